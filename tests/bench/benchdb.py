"""What every benchmark script shares: its own throwaway database, Django set up on it with
the public and template schemas migrated, timing summaries and the results file.

Each benchmark works in a database of its own, which it drops first if it exists and drops
again at the end. The server comes from DATABASE_URL (only the database name is replaced) or,
when DATABASE_URL is unset, from the private cluster of ``scripts/devdb.py``, stopped at the end
if the benchmark started it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))


def log(message: str = "", *, end: str = "\n") -> None:
    print(message, file=sys.stderr, end=end, flush=True)


def bench_url(url: str, name: str) -> str:
    """The same server and credentials, with the benchmark's own database name."""
    parts = urlsplit(url)
    head = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return urlunsplit(parts._replace(path=f"{head}/{name}"))


def maintenance_connection(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's ``postgres`` database."""
    import environ

    db = environ.Env.db_url_config(url)
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        **db.get("OPTIONS", {}),
    }
    params = {k: v for k, v in params.items() if v is not None}
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def recreate_database(url: str, name: str) -> str:
    with maintenance_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return conn.execute("SHOW server_version").fetchone()[0]


def database_exists(url: str, name: str) -> bool:
    with maintenance_connection(url) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return found is not None


def drop_database(url: str, name: str) -> None:
    with maintenance_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def django_setup(url: str) -> None:
    """Django on the benchmark database, with the public and template schemas migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    migrate_public()


def migrate_public() -> None:
    """The public and template schemas of Django's database migrated, the platform's rows."""
    from django.core.management import call_command

    from provisioning import services

    log("Migrating the public and template schemas …")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    services.platform_ensure()
    services.template_ensure()


def arguments(doc: str) -> argparse.Namespace:
    """``--keep`` and ``--reuse``, for a benchmark whose dataset takes minutes to build."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure on the database a --keep run left (implies --keep)",
    )
    return parser.parse_args()


@contextmanager
def bench_database(
    name: str, *, keep: bool = False, reuse: bool = False
) -> Iterator[tuple[str, str]]:
    """A fresh database ``name`` on the configured server: yields (url, server version).

    ``keep`` leaves it in place at the end; ``reuse`` measures on one a ``keep`` run left
    (created when there is none).
    """
    import devdb

    # DEBUG stays off, as in production; the settings then want a key, any key for a
    # throwaway database.
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    given = os.environ.get("DATABASE_URL")
    started_now = False
    if given:
        server_url = given
    else:
        server_url, started_now = devdb.ensure_running()
        log("DATABASE_URL is unset: using the private cluster of scripts/devdb.py")
    url = bench_url(server_url, name)
    try:
        if reuse and database_exists(url, name):
            with maintenance_connection(url) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
        else:
            version = recreate_database(url, name)
            log(f"Created the database {name} (PostgreSQL {version})")
        try:
            yield url, version
        finally:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            if not (keep or reuse):
                drop_database(url, name)
                log(f"Dropped the database {name}")
    finally:
        if started_now:
            devdb.stop()


def bench_network():
    """The benchmark's network: the one a ``--keep`` run left, or a new one. Returns (tenant,
    whether it was created now)."""
    from provisioning import services
    from tenants.models import Tenant

    tenant = Tenant.objects.filter(slug="bench").first()
    if tenant is not None:
        log("Reusing the network built by an earlier run (--reuse), its schema migrated")
        from django.core.management import call_command

        call_command(
            "migrate_schemas", schema_name=tenant.schema_name, interactive=False, verbosity=0
        )
        return tenant, False
    creation = services.tenant_create(
        slug="bench", name="Réseau bench", organization_slug="asso-bench",
        admin_email="admin@bench.invalid", actor="bench",
    )  # fmt: skip
    return creation.tenant, True


def summary(samples: list[float]) -> dict[str, object]:
    """Median and nearest-rank p95 (the maximum below 20 samples), in seconds."""
    ordered = sorted(samples)
    n = len(ordered)
    tail_kind = "p95" if n >= 20 else "max"
    tail = ordered[math.ceil(0.95 * n) - 1] if n >= 20 else ordered[-1]
    return {
        "n": n,
        "median_s": statistics.median(ordered),
        "tail_s": tail,
        "tail_kind": tail_kind,
        "min_s": ordered[0],
        "samples_s": samples,
    }


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def timed_cpu(function: Callable[[], object]) -> tuple[float, float]:
    """Wall time and this process's CPU time of one call, in seconds. The CPU time leaves
    out the database server's work and any wait for a busy machine's cores: on a shared
    machine it compares the Python side of two pages where wall times cannot."""
    start, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - start, time.process_time() - cpu


def write_results(name: str, payload: dict) -> Path:
    """Results as JSON in .data/bench/<name>.json and on stdout's last line."""
    import devdb

    out = devdb.data_root() / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n")
    log(f"Results written to {out}")
    print(json.dumps(payload), flush=True)
    return out


# --- The plain views: one row, one template, behind the same middleware ----------------------


def plain_urlpatterns(model_label: str) -> list:
    """The URLconf a page benchmark measures against: its baseline views (the title of one
    ``model_label`` row alone, then inside the site's layout) and the network's own URLs."""
    from django.apps import apps
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    model = apps.get_model(model_label)
    engine = engines["django"]
    bare = engine.from_string("<!DOCTYPE html><title>{{ t }}</title><p>{{ t }}</p>")
    in_layout = engine.from_string(
        '{% extends "tenant_base.html" %}{% block content %}<p>{{ t }}</p>{% endblock %}'
    )

    def plain_view(request, pk):
        return HttpResponse(bare.render({"t": model.objects.only("title").get(pk=pk).title}))

    def plain_layout_view(request, pk):
        """The same row inside the site's layout (header, navigation, context processors)."""
        row = model.objects.only("title").get(pk=pk)
        return HttpResponse(in_layout.render({"t": row.title}, request))

    return [
        path("bench/plain/<int:pk>/", plain_view),
        path("bench/plain-layout/<int:pk>/", plain_layout_view),
        path("", include("config.urls_tenant")),
    ]
