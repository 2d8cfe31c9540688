#!/usr/bin/env python3
"""Benchmark: thousands of networks on one database.

Not part of the test run (pytest's ``norecursedirs`` skips tests/bench); run it as a script::

    python tests/bench/scale.py                    # 10, then 200 networks
    python tests/bench/scale.py --sizes 10 200 1000

It grows one database (its own, ``entraide_bench_scale``, dropped first and at the end) through
the given numbers of networks, created with the real ``tenant_create``, and at each size
measures what grows with the number of networks:

- ``migrate_noop_s_per_schema``: ``manage.py migrate_schemas --tenant`` with nothing to migrate
  (``provisioning.migrating``: one check over all schemas, no migrate run), divided by the
  number of networks; and ``standard_noop_s_per_schema``: django-tenants' standard executor
  (Django's migrate in each schema) on 10 of them, per schema, for comparison;
- ``page_s``: a network's home page through the Django test client, warm (median of 30, over
  the first 10 networks);
- ``first_response_s``: the same page as the first request of a new database connection;
- in a new Python process (Django set up first, outside the timers): ``ddl_read_s``, the
  template's DDL read from the public table; ``ddl_pg_dump_s``, the same DDL taken with
  ``pg_dump`` (what the first creation of every process paid before); and
  ``create_new_process_s``, a whole ``tenant_create`` (which reads the DDL from the table);
- ``backend_cache_mib``: the catalog cache (``CacheMemoryContext`` and its children in
  ``pg_backend_memory_contexts``) of one server process after serving the home page of every
  network (at most 1,000) on one connection, and ``fresh_backend_cache_mib`` after serving one
  network on a new connection: the bound that recycling connections gives;
  ``backend_cache_all_tables_mib`` after reading every table of at most 200 networks.

Each figure is also given as a ratio to the first size's. And since growing to 1,000
networks takes most of an hour, during which a shared machine's load changes, each size
larger than ``--baseline`` (10) is also compared with a database of that many networks of its
own (``entraide_bench_scale_base``): the figures that depend on time are measured on both
in turn, ``--rounds`` times, and the ratio of their medians is given.

Results: a table on stderr, JSON on stdout's last line and in ``.data/bench/scale.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))
sys.path.append(str(HERE))

from benchdb import bench_database, django_setup, log, migrate_public, write_results  # noqa: E402

BENCH_DB = "entraide_bench_scale"
# The first size's networks in a database of their own, measured alternately with the grown
# one (``interleaved``).
BASE_DB = "entraide_bench_scale_base"
PAGE_SAMPLES = 30
FIRST_RESPONSE_SAMPLES = 10
STANDARD_SAMPLE = 10
MEMORY_NETWORKS_MAX = 1000
# Every table of a network costs a server process about 2.2 MiB: 200 networks is 450 MiB.
ALL_TABLES_NETWORKS_MAX = 200

CREATE_SCRIPT = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.conf import settings
from django_tenants.utils import schema_context
from provisioning import cloning, services
services.template_ensure()
cloning.forget_snapshots()  # what template_ensure read: this process starts with nothing
start = time.perf_counter()
with schema_context("public"):
    cloning.snapshot_for(settings.TENANT_BASE_SCHEMA)
read = time.perf_counter() - start
dump = 0.0
if sys.argv[2:] != ["no-dump"]:
    start = time.perf_counter()
    with schema_context("public"):
        cloning._take_snapshot(settings.TENANT_BASE_SCHEMA)
    dump = time.perf_counter() - start
cloning.forget_snapshots()
start = time.perf_counter()
services.tenant_create(slug=sys.argv[1], name="Réseau", organization_slug="asso-scale",
                       admin_email="admin@scale.invalid", actor="bench")
print(read, dump, time.perf_counter() - start)
"""


def slug(index: int) -> str:
    return f"scale-{index:05d}"


def grow(target: int) -> None:
    from django.db import connection

    from provisioning import services
    from tenants.models import Tenant

    have = Tenant.objects.filter(slug__startswith="scale-").count()
    started = time.perf_counter()
    for index in range(have, target):
        services.tenant_create(
            slug=slug(index), name=f"Réseau {index}", organization_slug="asso-scale",
            admin_email="admin@scale.invalid", actor="bench",
        )  # fmt: skip
        if index % 10 == 9:
            connection.close()  # a new server process now and then, as a deployment has
        if index % 50 == 49:
            log(f"  {index + 1} networks ({time.perf_counter() - started:.0f} s)")
    connection.close()
    with connection.cursor() as cursor:  # as autovacuum does on a live server
        cursor.execute("ANALYZE pg_catalog.pg_class")
        cursor.execute("ANALYZE pg_catalog.pg_attribute")
        cursor.execute("ANALYZE pg_catalog.pg_namespace")
        cursor.execute("ANALYZE pg_catalog.pg_index")
        cursor.execute("ANALYZE pg_catalog.pg_constraint")


def catalog_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class")
        return cursor.fetchone()[0]


def migrate_noop_ours(count: int) -> float:
    """``migrate_schemas --tenant`` with nothing to migrate, per schema."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    start = time.perf_counter()
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    return (time.perf_counter() - start) / count


def migrate_noop(count: int) -> tuple[float, float]:
    from django.core.management import load_command_class
    from django.db import connection
    from django_tenants.migration_executors.standard import StandardExecutor

    ours = migrate_noop_ours(count)
    schemas = [slug(i).replace("-", "_") for i in range(min(STANDARD_SAMPLE, count))]
    command = load_command_class("django_tenants", "migrate_schemas")
    parser = command.create_parser("manage.py", "migrate_schemas")
    options = vars(parser.parse_args(["--noinput", "--tenant", "--verbosity", "0"]))
    options["skip_checks"] = True
    start = time.perf_counter()
    StandardExecutor((), options).run_migrations(tenants=list(schemas))
    standard = (time.perf_counter() - start) / len(schemas)
    connection.close()
    return ours, standard


def client_for(index: int):
    from django.conf import settings
    from django.test import Client

    return Client(HTTP_HOST=f"{slug(index)}.{settings.PLATFORM_DOMAIN}")


def page_latency() -> float:
    clients = [client_for(i) for i in range(10)]
    for client in clients:
        assert client.get("/").status_code in (200, 302)
    samples = []
    for n in range(PAGE_SAMPLES):
        client = clients[n % len(clients)]
        start = time.perf_counter()
        client.get("/")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def first_response() -> float:
    from django.db import connection

    samples = []
    for n in range(FIRST_RESPONSE_SAMPLES):
        client = client_for(n % 10)
        connection.close()
        start = time.perf_counter()
        client.get("/")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def cache_mib() -> float:
    """This connection's server process: CacheMemoryContext and the contexts under it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts "
            "WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext' "
            "OR parent IN ('index info', 'CachedPlan', 'CachedPlanSource')"
        )
        return float(cursor.fetchone()[0]) / 2**20


def backend_memory(count: int) -> tuple[float, float]:
    from django.db import connection
    from django.test import Client

    connection.close()
    client_for(0).get("/")
    fresh = cache_mib()
    from django.conf import settings

    client = Client()
    for index in range(min(count, MEMORY_NETWORKS_MAX)):
        client.get("/", HTTP_HOST=f"{slug(index)}.{settings.PLATFORM_DOMAIN}")
    served = cache_mib()
    connection.close()
    return fresh, served


def backend_memory_all_tables(count: int) -> float:
    """One server process after reading every table of ``count`` networks once, as a process
    that has served every kind of page of each would have: the upper bound per network."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
            [settings.TENANT_BASE_SCHEMA],
        )
        tables = [row[0] for row in cursor.fetchall()]
    connection.close()
    with connection.cursor() as cursor:
        for index in range(min(count, ALL_TABLES_NETWORKS_MAX)):
            schema = slug(index).replace("-", "_")
            for table in tables:
                cursor.execute(f'SELECT 1 FROM "{schema}"."{table}" LIMIT 0')  # noqa: S608
    served = cache_mib()
    connection.close()
    return served


def create_in_new_process(index: int, *, dump: bool = True) -> tuple[float, float, float]:
    """In a new process: the template's DDL read from the table, the same DDL taken with
    pg_dump (what each process paid before; 0 without ``dump``), then a whole
    ``tenant_create`` with nothing in memory (it reads the DDL from the table again)."""
    from django.db import connection

    connection.close()
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", CREATE_SCRIPT, slug(index), *([] if dump else ["no-dump"])],
        cwd=REPO, env=os.environ, check=True, capture_output=True, text=True,
    )  # fmt: skip
    read, dump, create = done.stdout.strip().splitlines()[-1].split()
    return float(read), float(dump), float(create)


def delete(index: int) -> None:
    from provisioning import services

    services.tenant_delete(slug=slug(index), actor="bench", force=True)


def measure(count: int) -> dict[str, float]:
    from django.db import connection

    from provisioning import services

    log(f"Measuring at {count} networks ({catalog_rows()} rows in pg_class) …")
    services.template_ensure()
    ours, standard = migrate_noop(count)
    page = page_latency()
    first = first_response()
    fresh, served = backend_memory(count)
    all_tables = backend_memory_all_tables(count)
    # Created, measured and deleted, so the population stays at ``count``.
    read_s, dump_s, created = create_in_new_process(900_000 + count)
    delete(900_000 + count)
    connection.close()
    services.template_ensure()  # stores the template's DDL again
    return {
        "networks": count,
        "pg_class_rows": catalog_rows(),
        "migrate_noop_s_per_schema": ours,
        "standard_noop_s_per_schema": standard,
        "page_s": page,
        "first_response_s": first,
        "ddl_read_s": read_s,
        "ddl_pg_dump_s": dump_s,
        "create_new_process_s": created,
        "fresh_backend_cache_mib": fresh,
        "backend_cache_mib": served,
        "backend_cache_all_tables_mib": all_tables,
    }


@contextmanager
def on_database(url: str) -> Iterator[None]:
    """Django's connection, its cache and the subprocesses on the database at ``url``."""
    from django.core.cache import cache
    from django.db import connection

    from provisioning import services
    from tenants.hosts import forget_hosts

    def forget() -> None:
        # The two databases have networks of the same names and hosts, and templates.
        connection.close()
        cache.clear()
        forget_hosts()
        services.template_forget()

    name = url.rsplit("/", 1)[1]
    before = connection.settings_dict["NAME"], os.environ["DATABASE_URL"]
    forget()
    connection.settings_dict["NAME"], os.environ["DATABASE_URL"] = name, url
    try:
        yield
    finally:
        forget()
        connection.settings_dict["NAME"], os.environ["DATABASE_URL"] = before


def timings(count: int) -> dict[str, float]:
    """The figures that depend on how busy the machine is, measured once."""
    from django.db import connection

    from provisioning import services

    services.template_ensure()
    figures = {
        "migrate_noop_s_per_schema": migrate_noop_ours(count),
        "page_s": page_latency(),
        "first_response_s": first_response(),
    }
    _, _, figures["create_new_process_s"] = create_in_new_process(900_000 + count, dump=False)
    delete(900_000 + count)
    connection.close()
    services.template_ensure()
    return figures


def interleaved(grown: tuple[str, int], base: tuple[str, int], rounds: int) -> dict:
    """``timings`` on the grown database and on the baseline one, alternately, ``rounds``
    times each: both under the same load, so that their ratio says what the number of
    networks does (a shared machine's load drifts over a run of an hour)."""
    samples: dict[str, list[dict[str, float]]] = {"grown": [], "base": []}
    for round_ in range(rounds):
        order = [("grown", grown), ("base", base)]
        for label, (url, count) in order if round_ % 2 == 0 else order[::-1]:  # who goes first
            with on_database(url):
                samples[label].append(timings(count))
        log(f"  round {round_ + 1}/{rounds}: {json.dumps(samples['grown'][-1])} against "
            f"{json.dumps(samples['base'][-1])}")  # fmt: skip
    medians = {
        label: {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        for label, rows in samples.items()
    }
    return {
        "networks": grown[1],
        "baseline_networks": base[1],
        "rounds": rounds,
        "grown": medians["grown"],
        "baseline": medians["base"],
        "ratios": {key: medians["grown"][key] / medians["base"][key] for key in medians["base"]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 200])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="with --reuse: only the server process's memory after the first N networks",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="grow the database a --keep run left (implies --keep)"
    )
    parser.add_argument(
        "--baseline",
        type=int,
        default=10,
        help="networks in the database each larger size is compared with, alternately",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of that comparison (0: none)")
    options = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    results, compared = [], []
    sizes = sorted(options.sizes)
    with contextlib.ExitStack() as stack:
        url, version = stack.enter_context(
            bench_database(BENCH_DB, keep=options.keep, reuse=options.reuse)
        )
        django_setup(url)
        from provisioning import services

        services.platform_ensure()
        base_url = None
        if options.rounds and not options.memory_only and sizes[-1] > options.baseline:
            base_url, _ = stack.enter_context(
                bench_database(BASE_DB, keep=options.keep, reuse=options.reuse)
            )
            with on_database(base_url):
                migrate_public()
                log(f"Baseline database {BASE_DB}: {options.baseline} networks …")
                grow(options.baseline)
        if options.memory_only:
            memory = {}
            for size in sorted(options.sizes):
                fresh, served = backend_memory(size)
                memory[size] = {
                    "fresh_backend_cache_mib": fresh,
                    "backend_cache_mib": served,
                    "backend_cache_all_tables_mib": backend_memory_all_tables(size),
                }
                log(f"{size}: {json.dumps(memory[size])}")
            write_results("scale-memory", {"server_version": version, "memory": memory})
            return 0
        for size in sizes:
            log(f"Growing to {size} networks …")
            started = time.perf_counter()
            grow(size)
            log(f"  grown in {time.perf_counter() - started:.0f} s")
            results.append(measure(size))
            log(json.dumps(results[-1]))
            if base_url and size > options.baseline:
                log(f"Against {options.baseline} networks, alternately ({options.rounds} rounds) …")
                base = (base_url, options.baseline)
                compared.append(interleaved((url, size), base, options.rounds))
    base = results[0]
    ratios = [
        {key: (row[key] / base[key] if base[key] else None) for key in row if key != "networks"}
        | {"networks": row["networks"]}
        for row in results
    ]
    log("")
    keys = [key for key in results[0] if key != "networks"]
    log(f"{'':32}" + "".join(f"{row['networks']:>14}" for row in results))
    for key in keys:
        cells = "".join(
            f"{row[key]:>9.3f} ×{ratio[key]:<4.2f}" if ratio[key] is not None else f"{row[key]:>14}"
            for row, ratio in zip(results, ratios, strict=True)
        )
        log(f"{key:32}{cells}")
    for row in compared:
        log(f"\n{row['networks']} networks against {row['baseline_networks']}, measured "
            f"alternately ({row['rounds']} rounds, medians):")  # fmt: skip
        for key, ratio in row["ratios"].items():
            log(f"{key:32}{row['grown'][key]:>9.4f} {row['baseline'][key]:>9.4f} ×{ratio:.2f}")
    write_results(
        "scale",
        {
            "server_version": version,
            "results": results,
            "ratios_to_first": ratios,
            "interleaved": compared,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
