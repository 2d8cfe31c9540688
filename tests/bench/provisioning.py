#!/usr/bin/env python3
"""Benchmark: provisioning a network by cloning the template vs. django-tenants' migrate-on-create.

Not part of the test run (pytest's ``norecursedirs`` skips tests/bench); run it as a script::

    python tests/bench/provisioning.py

It measures, side by side and interleaved, with 1 and then 200 existing networks:

- ``clone``: the real ``provisioning.services.tenant_create`` (public rows, schema cloned from
  the template, default spaces/charter/crisis resources, the admin invitation, one transaction);
- ``migrate``: what django-tenants does without ``TENANT_BASE_SCHEMA``: ``CREATE SCHEMA`` then
  ``migrate_schemas --tenant --schema=<new>``, followed by the same default seeding
  (``_seed_defaults()`` inside ``tenant_context``). It writes no public rows and no invitation,
  so it does slightly less work than ``clone``: the speed-up ratio is conservative.

Every measured creation starts on a new database session (opened before the timer starts) and
the network is deleted right after it is measured, so the population stays at 1 or 200. The
population is grown with the clone service (the fast path), on a new session every 10 clones.

After growing the population the system catalogs are analyzed, as autovacuum does on a live
server: the clone function's catalog queries (django-tenants' ``clone_schema``) are planned on
those statistics, and with never-analyzed catalogs (a freshly filled database, or a server with
autovacuum off) a clone with 200 networks was ~5x slower (6.5 s instead of 1.3 s, one clone).
``--no-analyze`` skips it to measure that case.

The benchmark always works in its own database, ``entraide_bench``, which it drops first if it
exists and drops again at the end. The server comes from DATABASE_URL (only its database name is
replaced) or, when DATABASE_URL is unset, from the private cluster of ``scripts/devdb.py``, which
is stopped at the end if this script started it.

Output: a table on stdout, the results as JSON on stdout's last line and in
``.data/bench/provisioning.json``. The exit status is 1 when a target is missed: clone median
≤ 1 s with 200 networks and clone ≥ 5× faster (median) than migrate-on-create.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# Run as a script, this folder comes first on sys.path and this file, named provisioning.py,
# would shadow the project's ``provisioning`` app: the repo goes first, this folder last.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))
sys.path.append(str(HERE))

from benchdb import bench_database, django_setup, log, summary, write_results  # noqa: E402

BENCH_DB = "entraide_bench"
POPULATIONS = (1, 200)
CLONE_SAMPLES = 15
MIGRATE_SAMPLES = 3
TARGET_CLONE_MEDIAN_S = 1.0  # with the largest population
TARGET_SPEEDUP = 5.0  # migrate median / clone median, with the largest population
GROW_SESSION_CLONES = 10  # clones per database session while growing the population
ORGANIZATION = "bench"
ADMIN_EMAIL = "admin@bench.example"


# --- measurements -----------------------------------------------------------------------------


def existing_tenants() -> int:
    from tenants.models import Tenant

    return Tenant.objects.exclude(schema_name="public").count()


def create_by_clone(slug: str) -> None:
    from provisioning import services

    creation = services.tenant_create(
        slug=slug,
        name=f"Bench {slug}",
        organization_slug=ORGANIZATION,
        admin_email=ADMIN_EMAIL,
        actor="bench",
    )
    assert creation.created, slug


def delete_clone(slug: str) -> None:
    from provisioning import services

    services.tenant_delete(slug=slug, actor="bench", force=True)


def create_by_migrate(slug: str) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from provisioning import services, validation
    from tenants.models import Tenant

    schema = validation.schema_name_for(slug)
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')  # noqa: S608 (schema from our own slug)
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    # An unsaved row: django-tenants' default flow has one, but it only names the schema here.
    with tenant_context(Tenant(schema_name=schema)):
        services._seed_defaults()


def delete_migrate(slug: str) -> None:
    from django.db import connection

    from provisioning import validation

    schema = validation.schema_name_for(slug)
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')  # noqa: S608 (schema we created)


def fresh_connection() -> None:
    """Start on a new database session, as a new request, job or command would.

    A long-lived session slows every later clone down: after the ~200 clones that grow the
    population, one clone on the same session took 34-43 s against 3-6 s on a new one (the
    backend's catalog caches keep growing). The migrate path closes its session itself
    (django-tenants' run_migrations), so without this the two methods would not be compared on
    the same footing. The connection is opened before the timer starts.
    """
    from django.db import connection

    connection.close()
    connection.ensure_connection()


def timed(create: Callable[[str], None], slug: str) -> float:
    fresh_connection()
    start = time.perf_counter()
    create(slug)
    return time.perf_counter() - start


def measure(population: int) -> dict[str, dict[str, object]]:
    """Clone and migrate samples, interleaved; each sample is deleted once measured."""
    assert existing_tenants() == population
    clone: list[float] = []
    migrate: list[float] = []
    # Spread the slow migrate samples among the clone samples.
    migrate_at = {
        round((k + 0.5) * CLONE_SAMPLES / MIGRATE_SAMPLES) for k in range(MIGRATE_SAMPLES)
    }
    for i in range(CLONE_SAMPLES):
        slug = f"sample-c{population}-{i:02d}"
        clone.append(timed(create_by_clone, slug))
        delete_clone(slug)
        log(f"  [{population:>3} existing] clone   #{i + 1:<2} {clone[-1]:7.3f} s")
        if i in migrate_at:
            slug = f"sample-m{population}-{len(migrate):02d}"
            migrate.append(timed(create_by_migrate, slug))
            delete_migrate(slug)
            log(f"  [{population:>3} existing] migrate #{len(migrate):<2} {migrate[-1]:7.3f} s")
    assert existing_tenants() == population
    return {"clone": summary(clone), "migrate": summary(migrate)}


def grow(target: int) -> None:
    current = existing_tenants()
    if current >= target:
        return
    log(f"Growing the population from {current} to {target} networks (clone service) …")
    start = time.perf_counter()
    for number in range(current + 1, target + 1):
        if number % GROW_SESSION_CLONES == 0:
            fresh_connection()  # see fresh_connection(): a long session gets slower and slower
        create_by_clone(f"network-{number:04d}")
        if number % 20 == 0 or number == target:
            rate = (number - current) / (time.perf_counter() - start)
            log(f"  {number:>4}/{target} networks  ({rate:.1f}/s)")
    assert existing_tenants() == target


def analyze_catalogs() -> None:
    """What autovacuum does to a live database: fresh statistics on the system catalogs."""
    from django.db import connection

    log("Analyzing the system catalogs …")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class "
            "WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ANALYZE pg_catalog."{name}"')  # noqa: S608 (catalog table name)


def warm_up() -> None:
    """One unmeasured creation of each kind: imports, the clone function, plan caches."""
    log("Warming up (unmeasured) …")
    create_by_clone("warmup-clone")
    delete_clone("warmup-clone")
    create_by_migrate("warmup-migrate")
    delete_migrate("warmup-migrate")


# --- report -----------------------------------------------------------------------------------


def report(results: dict[int, dict[str, dict[str, object]]]) -> tuple[list[str], list[str]]:
    lines = ["existing | method  | n  | median s | p95/max s", "-" * 49]
    for population, methods in results.items():
        for method, s in methods.items():
            lines.append(
                f"{population:>8} | {method:<7} | {s['n']:<2} | {s['median_s']:>8.3f} | "
                f"{s['tail_s']:>6.3f} ({s['tail_kind']})"
            )
    lines.append("")
    for population, methods in results.items():
        ratio = methods["migrate"]["median_s"] / methods["clone"]["median_s"]
        methods["speedup"] = ratio
        lines.append(f"speed-up (migrate median / clone median) at {population:>3} existing: "
                     f"{ratio:.1f}x")  # fmt: skip
    largest = results[max(results)]
    missed = []
    if largest["clone"]["median_s"] > TARGET_CLONE_MEDIAN_S:
        missed.append(
            f"clone median {largest['clone']['median_s']:.3f} s > {TARGET_CLONE_MEDIAN_S} s "
            f"at {max(results)} existing"
        )
    if largest["speedup"] < TARGET_SPEEDUP:
        missed.append(
            f"speed-up {largest['speedup']:.1f}x < {TARGET_SPEEDUP}x at {max(results)} existing"
        )
    lines.append(
        f"targets at {max(results)} existing (clone median ≤ {TARGET_CLONE_MEDIAN_S} s, "
        f"speed-up ≥ {TARGET_SPEEDUP}x): " + ("MISSED: " + "; ".join(missed) if missed else "met")
    )
    return lines, missed


# --- main -------------------------------------------------------------------------------------


def run(url: str, server_version: str, *, analyze: bool) -> int:
    django_setup(url)

    import django
    import django_tenants

    warm_up()

    results: dict[int, dict[str, dict[str, object]]] = {}
    load: dict[str, list[float]] = {}
    for population in POPULATIONS:
        grow(population)
        if analyze:
            analyze_catalogs()
        log(f"Measuring with {population} existing networks …")
        before = os.getloadavg()[0]
        results[population] = measure(population)
        load[str(population)] = [round(before, 2), round(os.getloadavg()[0], 2)]

    lines, missed = report(results)
    cpus = os.cpu_count()
    lines.append(
        f"machine: {cpus} CPUs, 1-min load average before/after measuring: "
        + ", ".join(f"{k} existing {v[0]}/{v[1]}" for k, v in load.items())
        + f"; catalogs analyzed: {'yes' if analyze else 'no'}"
        + f"; server autovacuum: {_setting('autovacuum')}"
    )
    print("\n".join(lines), flush=True)

    payload = {
        "benchmark": "provisioning",
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "postgresql": server_version,
        "django_tenants": getattr(django_tenants, "__version__", None)
        or _version("django-tenants"),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "loadavg_1min_before_after": load,
        "session": "a new database session for every measured creation",
        "catalogs_analyzed": analyze,
        "server_autovacuum": _setting("autovacuum"),
        "targets": {"clone_median_s": TARGET_CLONE_MEDIAN_S, "speedup": TARGET_SPEEDUP},
        "met": not missed,
        "missed": missed,
        "results": {str(k): v for k, v in results.items()},
    }
    write_results("provisioning", payload)
    return 1 if missed else 0


def _setting(name: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def _version(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="do not analyze the system catalogs after growing the population",
    )
    options = parser.parse_args()
    with bench_database(BENCH_DB) as (url, server_version):
        return run(url, server_version, analyze=options.analyze)


if __name__ == "__main__":
    sys.exit(main())
