#!/usr/bin/env python3
"""Benchmark: forum pages on a network holding 100,000 posts, against a plain Django view.

Not part of the test run (pytest's ``norecursedirs`` skips tests/bench); run it as a script::

    python tests/bench/forums.py        # or: make bench

It provisions one network through the real service, fills it with 100,000 posts of French
text (5,000 topics of 20 posts over the Patients space's categories, plus one topic of 200
replies), then measures the server time of, interleaved and after a warm-up:

- ``category``: the first page of the largest category (GET, signed-in patient);
- ``topic``: the first page of the 200-reply topic (GET);
- ``topic_last``: the last page of that topic (GET, keyset cursor);
- ``reply``: posting a reply to a topic (POST, screening and notifications included);
- ``plain``: a view that reads one row and renders it through a template, behind the same
  middleware (tenant resolution, session, authentication): the baseline of the targets;
- ``plain_layout``: the same row rendered inside the site's layout (header, navigation and
  context processors), to show what the layout alone costs.

Server time is measured in-process around Django's test client: the full middleware stack,
views, templates and every query, without a network hop. Throughput ratio = plain median /
page median. The CPU columns are this process's CPU time alone (Python: no database server,
no wait for a busy machine's cores): on a shared machine their ratio shows what wall times
cannot, but the targets are judged on wall times. Targets: topic page p95 ≤ 50 ms, and
≥ 0.3× the plain view's throughput. The exit status is 1 when a target is missed. Results: a
table, and JSON on stdout's last line and in ``.data/bench/forums.json``.
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

# BENCH_DB names the database elsewhere, when several people share one server.
BENCH_DB = os.environ.get("BENCH_DB", "entraide_bench_forums")
TOPICS = 5_000
POSTS_PER_TOPIC = 20
LONG_TOPIC_REPLIES = 200
MEMBERS = 300
SAMPLES = 60
TARGET_TOPIC_P95_S = 0.050
TARGET_THROUGHPUT_RATIO = 0.3

SUBJECTS = (
    "l'immunothérapie", "la chimiothérapie", "la radiothérapie", "le scanner de contrôle",
    "la fatigue", "les effets secondaires", "l'oncologue", "la thérapie ciblée",
    "l'essai clinique", "la reprise du travail", "les nausées", "le moral",
    "la kiné respiratoire", "l'alimentation", "les proches", "l'annonce du diagnostic",
)  # fmt: skip
VERBS = (
    "m'inquiète", "se passe mieux que prévu", "me fatigue beaucoup", "a changé mon quotidien",
    "reste difficile", "m'a surpris", "demande de la patience", "me redonne espoir",
)  # fmt: skip
ENDINGS = (
    "Est-ce que vous avez vécu la même chose ?", "Merci pour vos messages de soutien.",
    "Mon équipe soignante est à l'écoute.", "Je prends les choses jour après jour.",
    "Courage à toutes et à tous.", "J'en parle à mon infirmière de coordination demain.",
)  # fmt: skip


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)}. {rng.choice(ENDINGS)}"


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


# --- the dataset ------------------------------------------------------------------------------


def populate(tenant) -> dict[str, object]:
    """Members, topics and posts, written with COPY; search vectors computed in SQL."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from core.search import fold
    from tenant_apps.forums.models import Category, Topic
    from tenant_apps.members.models import Member, ProfileType

    rng = random.Random(2026)  # noqa: S311 - reproducible text, not secrets
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"membre{i:04d}", email=f"membre{i:04d}@bench.invalid", password="!")
        for i in range(MEMBERS)
    )
    members = Member.objects.bulk_create(
        Member(user=user, profile_type=ProfileType.PATIENT) for user in users
    )
    categories = list(Category.objects.filter(space__slug="patients", group=None))
    now = timezone.now()
    log(f"Writing {TOPICS:,} topics and {TOPICS * POSTS_PER_TOPIC:,} posts …")
    start = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(
            "COPY forums_topic (category_id, author_id, title, created, last_post_at, "
            "reply_count, pinned, locked, status) FROM STDIN"
        ) as copy:
            for i in range(TOPICS):
                at = now - timezone.timedelta(minutes=TOPICS - i)
                copy.write_row(
                    (categories[i % len(categories)].pk, rng.choice(members).pk,
                     f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} ({i})", at, at,
                     POSTS_PER_TOPIC - 1, i % 1000 == 0, False, "visible")
                )  # fmt: skip
        topic_ids = list(Topic.objects.order_by("id").values_list("id", flat=True))
        with cursor.copy(
            "COPY forums_post (topic_id, author_id, is_opening, body, body_html, created, "
            "status, hidden_reason) FROM STDIN"
        ) as copy:
            for topic_id in topic_ids:
                for n in range(POSTS_PER_TOPIC):
                    body = text(rng, rng.randint(2, 5))
                    copy.write_row(
                        (topic_id, rng.choice(members).pk, n == 0, body, f"<p>{body}</p>", now,
                         "published", "")
                    )  # fmt: skip
        log(f"  copied in {time.perf_counter() - start:.1f} s; indexing for search …")
        # Folding is the identity on this generated text but for accents: fold in Python
        # would mean 100,000 round trips; translate() does the same for these characters.
        cursor.execute(
            "UPDATE forums_post SET search_vector = to_tsvector('french', translate(lower(body),"
            " 'àâäéèêëîïôöùûüç', 'aaaeeeeiioouuuc'))"
        )
        cursor.execute(
            "UPDATE forums_topic t SET search_vector = to_tsvector('french', "
            "translate(lower(t.title), 'àâäéèêëîïôöùûüç', 'aaaeeeeiioouuuc'))"
        )
        cursor.execute("ANALYZE")
    assert fold("é") == "e"
    return {"members": members, "categories": categories, "topic_ids": topic_ids}


def rebuilt() -> tuple[dict[str, object], object]:
    """The dataset of an earlier ``--keep`` run, found again."""
    from tenant_apps.forums.models import Category, Topic
    from tenant_apps.members.models import Member

    data = {
        "members": list(Member.objects.filter(user__username__startswith="membre").order_by("pk")),
        "categories": list(Category.objects.filter(space__slug="patients", group=None)),
        "topic_ids": list(
            Topic.objects.exclude(title="Immunothérapie : vos expériences")
            .order_by("id")
            .values_list("id", flat=True)
        ),
    }
    return data, Topic.objects.get(title="Immunothérapie : vos expériences")


def long_topic(author, category):
    """One topic with 200 replies, written through the real services."""
    from tenant_apps.forums import services as forums

    topic = forums.topic_create(
        author=author, category=category, title="Immunothérapie : vos expériences",
        body="Je commence l'immunothérapie la semaine prochaine, des conseils ?",
    )  # fmt: skip
    rng = random.Random(7)  # noqa: S311
    for _ in range(LONG_TOPIC_REPLIES):
        forums.post_create(author=author, topic=topic, body=text(rng, 3))
    return topic


urlpatterns = []  # filled in run(): this module is the URLconf while measuring


# --- measurements -----------------------------------------------------------------------------


def measure(tenant, data: dict, topic) -> dict[str, dict[str, object]]:
    from django.test import Client
    from django.urls import reverse
    from django_tenants.utils import schema_context

    from tenant_apps.forums.models import Category, Post

    category = max(data["categories"], key=lambda c: Category.objects.get(pk=c.pk).topics.count())
    last_page_after = (
        Post.objects.filter(topic=topic).order_by("-id").values_list("id", flat=True)[50]
    )
    reader = data["members"][0]
    with schema_context("public"):
        client = Client(HTTP_HOST=tenant.domains.get(is_primary=True).domain)
    client.force_login(reader.user)
    rng = random.Random(11)  # noqa: S311
    urls = {
        "category": reverse("forums:category", args=[category.slug]),
        "topic": reverse("forums:topic", args=[topic.pk]),
        "topic_last": reverse("forums:topic", args=[topic.pk]) + f"?apres={last_page_after}",
        "plain": f"/bench/plain/{topic.pk}/",
        "plain_layout": f"/bench/plain-layout/{topic.pk}/",
    }
    reply_url = reverse("forums:reply", args=[data["topic_ids"][-1]])

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def post_reply():
        response = client.post(reply_url, {"body": text(rng, 2)})
        assert response.status_code == 302, response.status_code

    actions = {name: (lambda url=url: get(url)) for name, url in urls.items()}
    actions["reply"] = post_reply
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
    return results


def report(results: dict[str, dict[str, object]]) -> tuple[list[str], list[str]]:
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
    missed = []
    topic = results["topic"]
    if topic["tail_s"] > TARGET_TOPIC_P95_S:
        missed.append(f"topic p95 {topic['tail_s'] * 1000:.1f} ms > 50 ms")
    if topic["throughput_ratio"] < TARGET_THROUGHPUT_RATIO:
        missed.append(f"topic throughput {topic['throughput_ratio']:.2f}x < 0.3x of plain")
    lines.append(
        "targets (topic p95 ≤ 50 ms, ≥ 0.3x plain throughput): "
        + ("MISSED: " + "; ".join(missed) if missed else "met")
    )
    return lines, missed


def run(url: str, server_version: str) -> int:
    django_setup(url)

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from tenant_apps.forums.models import Post

    tenant, created = bench_network()
    if not created:
        # The kept network, brought to the code's migrations (the template schema is).
        call_command("migrate_schemas", schema_name=tenant.schema_name, verbosity=0)
    with tenant_context(tenant):
        if created:
            data = populate(tenant)
            topic = long_topic(data["members"][1], data["categories"][0])
        else:
            data, topic = rebuilt()
    with tenant_context(tenant):
        total = Post.objects.count()
        log(f"{total:,} posts in {Post.objects.aggregate(n=Count('topic', distinct=True))['n']:,}"
            " topics")  # fmt: skip
        urlpatterns[:] = plain_urlpatterns("forums.Topic")
        settings.ROOT_URLCONF = __name__
        # It measures a reply's cost, many a minute from one member: not the posting throttle.
        settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "forums.post": "1000000/min"}
        log(f"Measuring {SAMPLES} rounds of each page, interleaved …")
        before = os.getloadavg()[0]
        results = measure(tenant, data, topic)
        load = [round(before, 2), round(os.getloadavg()[0], 2)]
    lines, missed = report(results)
    lines.append(f"machine: {os.cpu_count()} CPUs, 1-min load average before/after: {load}")
    print("\n".join(lines), flush=True)
    write_results(
        "forums",
        {
            "benchmark": "forums",
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "postgresql": server_version,
            "django": django.get_version(),
            "posts": total,
            "cpus": os.cpu_count(),
            "loadavg_1min_before_after": load,
            "targets": {"topic_p95_s": TARGET_TOPIC_P95_S, "ratio": TARGET_THROUGHPUT_RATIO},
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
