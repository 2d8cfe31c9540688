#!/usr/bin/env python3
"""Benchmark: the social feed on a network of 20,000 members, 200,000 experiences and 500,000
follows, against a plain Django view.

Not part of the test run (pytest's ``norecursedirs`` skips tests/bench); run it as a script::

    python tests/bench/social.py        # --keep / --reuse to keep the dataset between runs

It provisions one network through the real service and fills it with COPY: 20,000 members,
200,000 experiences over the last 200 days (audiences: 70 % the network, 20 % followers
only, 10 % the author's spaces; a few held or hidden), 500,000 follows (the reader follows
200 members, who follow the reader back in part), a few blocks of the reader, and 20 followed
topics with replies. It then measures the server time of, interleaved and after a warm-up:

- ``feed``: the feed page (GET /communaute/, the reader signed in);
- ``feed_next``: its second page (keyset cursor);
- ``feed_api``: the feed through the API (GET /api/community/feed/);
- ``home``: the network's home page, which shows the feed's section among others;
- ``plain``: one row rendered by a template behind the same middleware (benchdb);
- ``plain_layout``: the same inside the site's layout.

The number of queries of the feed page is counted for the reader (200 followed) and for a
member following 20: it must be the same. Targets: feed p95 ≤ 50 ms and a constant number of
queries. The exit status is 1 when a target is missed. Results: a table, and JSON on stdout's
last line and in ``.data/bench/social.json``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for config and the apps

from benchdb import (  # noqa: E402
    arguments,
    bench_database,
    bench_network,
    django_setup,
    log,
    plain_urlpatterns,
    summary,
    timed_cpu,
    write_results,
)

BENCH_DB = os.environ.get("BENCH_DB", "entraide_bench_social")
MEMBERS = 20_000
EXPERIENCES = 200_000
FOLLOWS = 500_000
READER_FOLLOWS = 200
SMALL_READER_FOLLOWS = 20
TOPICS = 20
REPLIES_PER_TOPIC = 30
SAMPLES = 60
TARGET_FEED_P95_S = 0.050

PHRASES = (
    "Aujourd'hui la fatigue a laissé un peu de place.", "Scanner de contrôle : stable.",
    "J'ai remarché vingt minutes ce matin.", "Les nuits avant les examens restent dures.",
    "Merci à celles et ceux qui m'ont écrit.", "Reprise du travail à mi-temps, doucement.",
    "Ma kiné respiratoire me fait du bien.", "Les effets secondaires se calment enfin.",
)  # fmt: skip


def body(rng: random.Random) -> str:
    return " ".join(rng.choice(PHRASES) for _ in range(rng.randint(2, 4)))


# --- the dataset ------------------------------------------------------------------------------


def populate() -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from tenant_apps.forums.models import Category, Post, Subscription, Topic
    from tenant_apps.members.models import Member, ProfileType, Space
    from tenant_apps.social.models import Block

    rng = random.Random(2026)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    User = get_user_model()
    log(f"Writing {MEMBERS:,} members …")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY accounts_user (password, is_superuser, is_staff, is_active, date_joined, "
            "username, email) FROM STDIN"
        ) as copy:
            for i in range(MEMBERS):
                copy.write_row(
                    ("!", False, False, True, now, f"membre{i:05d}", f"m{i:05d}@bench.invalid")
                )
    user_ids = list(
        User.objects.filter(username__startswith="membre")
        .order_by("id")
        .values_list("id", flat=True)
    )
    Member.objects.bulk_create(
        (Member(user_id=uid, profile_type=ProfileType.PATIENT) for uid in user_ids),
        batch_size=5000,
    )
    member_ids = list(
        Member.objects.filter(user_id__in=user_ids).order_by("id").values_list("id", flat=True)
    )
    spaces = list(Space.objects.values_list("id", flat=True))
    reader, small_reader = member_ids[0], member_ids[1]
    log(f"  in {time.perf_counter() - start:.1f} s; {EXPERIENCES:,} experiences …")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY social_experience (author_id, body, body_html, image, image_alt, audience, "
            "space_ids, warning_names, status, hidden_reason, created, comment_count, "
            "thanks_count, support_count, courage_count, same_count) FROM STDIN"
        ) as copy:
            for i in range(EXPERIENCES):
                text = body(rng)
                roll = rng.random()
                audience = "network" if roll < 0.7 else "followers" if roll < 0.9 else "spaces"
                status = "published" if rng.random() < 0.98 else rng.choice(("held", "hidden"))
                at = now - timezone.timedelta(seconds=i * 86)  # 200 days, newest first
                copy.write_row(
                    (rng.choice(member_ids[2:]), text, f"<p>{text}</p>", "", "", audience,
                     spaces[:1] if audience == "spaces" else [], [], status, "", at,
                     0, 0, 0, 0, 0)
                )  # fmt: skip
    log(f"  in {time.perf_counter() - start:.1f} s; {FOLLOWS:,} follows …")
    start = time.perf_counter()
    pairs: set[tuple[int, int]] = set()
    followed = rng.sample(member_ids[2:], READER_FOLLOWS)
    pairs.update((reader, other) for other in followed)
    pairs.update((small_reader, other) for other in followed[:SMALL_READER_FOLLOWS])
    pairs.update((other, reader) for other in followed[: READER_FOLLOWS // 2])
    while len(pairs) < FOLLOWS:
        a, b = rng.choice(member_ids[2:]), rng.choice(member_ids[2:])
        if a != b:
            pairs.add((a, b))
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY social_follow (follower_id, followed_id, created) FROM STDIN"
        ) as copy:
            for a, b in pairs:
                copy.write_row((a, b, now))
    # The reader blocked a few of those they do not follow, and one blocked them.
    strangers = [m for m in member_ids[2:50] if m not in followed]
    Block.objects.bulk_create(
        [Block(blocker_id=reader, blocked_id=m) for m in strangers[:3]]
        + [Block(blocker_id=strangers[4], blocked_id=reader)]
    )
    log(f"  in {time.perf_counter() - start:.1f} s; followed topics …")
    category = Category.objects.filter(space__slug="patients", group=None).first()
    for t in range(TOPICS):
        topic = Topic.objects.create(
            category=category, author_id=followed[t], title=f"Sujet suivi {t}", last_post_at=now
        )
        Post.objects.bulk_create(
            Post(topic=topic, author_id=rng.choice(followed), is_opening=(n == 0),
                 body=(text := body(rng)), body_html=f"<p>{text}</p>",
                 status="published")
            for n in range(REPLIES_PER_TOPIC)
        )  # fmt: skip
        Subscription.objects.create(topic=topic, member_id=reader)
        Subscription.objects.create(topic=topic, member_id=small_reader)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"reader": reader, "small_reader": small_reader}


def rebuilt() -> dict[str, object]:
    from tenant_apps.members.models import Member

    ids = list(
        Member.objects.filter(user__username__in=["membre00000", "membre00001"])
        .order_by("user__username")
        .values_list("id", flat=True)
    )
    return {"reader": ids[0], "small_reader": ids[1]}


urlpatterns = []  # filled in run(): this module is the URLconf while measuring


# --- measurements -----------------------------------------------------------------------------


def client_for(tenant, member_id):
    from django.test import Client
    from django_tenants.utils import schema_context

    from tenant_apps.members.models import Member

    with schema_context("public"):
        client = Client(HTTP_HOST=tenant.domains.get(is_primary=True).domain)
    client.force_login(Member.objects.select_related("user").get(pk=member_id).user)
    return client


def queries_of(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the session and the host's network, resolved once
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def measure(tenant, data: dict, topic_id: int) -> tuple[dict, dict]:
    import re

    client = client_for(tenant, data["reader"])
    first = client.get("/communaute/")
    assert first.status_code == 200
    entries = len(re.findall(rb'id="feed-[ep]-\d+"', first.content))
    cursor = re.search(rb'\?avant=([0-9.ep]+)"', first.content).group(1).decode()
    urls = {
        "feed": "/communaute/",
        "feed_next": f"/communaute/?avant={cursor}",
        "feed_api": "/api/community/feed/",
        "home": "/",
        "plain": f"/bench/plain/{topic_id}/",
        "plain_layout": f"/bench/plain-layout/{topic_id}/",
    }

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    actions = {name: (lambda url=url: get(url)) for name, url in urls.items()}
    for action in actions.values():  # warm-up: imports, templates, plans
        for _ in range(3):
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    cpu: dict[str, list[float]] = {name: [] for name in actions}
    for i in range(SAMPLES):
        for name, action in actions.items():
            wall, used = timed_cpu(action)
            samples[name].append(wall)
            cpu[name].append(used)
        if (i + 1) % 20 == 0:
            log(f"  {i + 1}/{SAMPLES} rounds")
    results = {name: summary(values) for name, values in samples.items()}
    for name, values in cpu.items():
        results[name]["cpu_median_s"] = statistics.median(values)
    small = client_for(tenant, data["small_reader"])
    queries = {
        "feed_200_followed": queries_of(client, "/communaute/"),
        "feed_20_followed": queries_of(small, "/communaute/"),
        "entries_on_first_page": entries,
    }
    return results, queries


def report(results: dict, queries: dict) -> tuple[list[str], list[str]]:
    plain = results["plain"]["median_s"]
    plain_cpu = results["plain"]["cpu_median_s"]
    lines = [
        "page         | n  | median ms | p95 ms | throughput vs plain | cpu ms | cpu vs plain",
        "-" * 84,
    ]
    for name, s in results.items():
        s["throughput_ratio"] = plain / s["median_s"]
        s["cpu_ratio"] = plain_cpu / s["cpu_median_s"]
        lines.append(
            f"{name:<12} | {s['n']:<2} | {s['median_s'] * 1000:>9.1f} | "
            f"{s['tail_s'] * 1000:>6.1f} | {s['throughput_ratio']:>18.2f}x | "
            f"{s['cpu_median_s'] * 1000:>6.1f} | {s['cpu_ratio']:.2f}x"
        )
    lines.append(
        f"queries of the feed page: {queries['feed_200_followed']} following 200, "
        f"{queries['feed_20_followed']} following 20"
    )
    missed = []
    feed = results["feed"]
    if feed["tail_s"] > TARGET_FEED_P95_S:
        missed.append(f"feed p95 {feed['tail_s'] * 1000:.1f} ms > 50 ms")
    if queries["feed_200_followed"] != queries["feed_20_followed"]:
        missed.append("the feed's number of queries grows with the follows")
    if queries["entries_on_first_page"] == 0:
        missed.append("the feed's first page is empty")
    lines.append(
        "targets (feed p95 ≤ 50 ms, constant queries): "
        + ("MISSED: " + "; ".join(missed) if missed else "met")
    )
    return lines, missed


def run(url: str, server_version: str) -> int:
    django_setup(url)

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from tenant_apps.forums.models import Topic
    from tenant_apps.social.models import Experience, Follow

    tenant, created = bench_network()
    if not created:
        call_command("migrate_schemas", schema_name=tenant.schema_name, verbosity=0)
    with tenant_context(tenant):
        data = populate() if created else rebuilt()
        experiences, follows = Experience.objects.count(), Follow.objects.count()
        log(f"{experiences:,} experiences, {follows:,} follows")
        topic_id = Topic.objects.order_by("pk").values_list("pk", flat=True).first()
        urlpatterns[:] = plain_urlpatterns("forums.Topic")
        settings.ROOT_URLCONF = __name__
        log(f"Measuring {SAMPLES} rounds of each page, interleaved …")
        before = os.getloadavg()[0]
        results, queries = measure(tenant, data, topic_id)
        load = [round(before, 2), round(os.getloadavg()[0], 2)]
    lines, missed = report(results, queries)
    lines.append(f"machine: {os.cpu_count()} CPUs, 1-min load average before/after: {load}")
    print("\n".join(lines), flush=True)
    write_results(
        "social",
        {
            "benchmark": "social",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "postgresql": server_version,
            "django": django.get_version(),
            "members": MEMBERS,
            "experiences": experiences,
            "follows": follows,
            "cpus": os.cpu_count(),
            "loadavg_1min_before_after": load,
            "queries": queries,
            "targets": {"feed_p95_s": TARGET_FEED_P95_S, "constant_queries": True},
            "met": not missed,
            "missed": missed,
            "results": results,
        },
    )
    return 1 if missed else 0


def main() -> int:
    options = arguments(__doc__)
    with bench_database(BENCH_DB, keep=options.keep, reuse=options.reuse) as (url, version):
        return run(url, version)


if __name__ == "__main__":
    sys.exit(main())
