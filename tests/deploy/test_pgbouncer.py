"""deploy/pgbouncer.ini bounds each PostgreSQL backend's memory by its lifetime.

A backend keeps the catalog entries of every table it has touched (``CacheMemoryContext``)
until it ends; in session mode PgBouncer hands a server connection a client gave back to the
next client, caches and all. ``server_lifetime`` ends it instead once it is that old
(docs/scaling-networks.md, section 2). Measured here with the deployed file, its lifetime
shortened to a few seconds, in front of the test session's server and database (read only:
the template schema's tables, which every network has).
"""

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connections
from psycopg import sql

from tests.deploy.stack import (
    Process,
    StackError,
    free_port,
    missing_programs,
    pgbouncer_config,
    spawn_pgbouncer,
)

LIFETIME = 3  # seconds, instead of the deployed 600

CACHE_MIB = (
    "SELECT pg_backend_pid(), coalesce(sum(total_bytes), 0) / 2^20 FROM pg_backend_memory_contexts"
    " WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext'"
    " OR parent IN ('index info', 'CachedPlan', 'CachedPlanSource')"
)


@pytest.fixture
def pgbouncer(django_db_setup, django_db_blocker):
    """The deployed PgBouncer with a short server_lifetime, in front of the test database."""
    if missing := [name for name in missing_programs() if name == "pgbouncer"]:
        pytest.fail(f"{', '.join(missing)} not installed: run `bash scripts/system-deps.sh`")
    with django_db_blocker.unblock():
        database = dict(connections["default"].settings_dict)
    user = database.get("USER") or "postgres"
    password = "lifetime-test-only"
    root = Path(tempfile.mkdtemp(prefix="entraide-pgbouncer-"))
    root.chmod(0o755)
    users, config, port = root / "userlist.txt", root / "pgbouncer.ini", free_port()
    users.write_text(f'"{user}" "{password}"\n')
    config.write_text(
        pgbouncer_config(
            listen_port=port,
            server_host=database.get("HOST") or "/var/run/postgresql",
            server_port=str(database.get("PORT") or 5432),
            auth_file=users,
            user=user,
            overrides={"server_lifetime": str(LIFETIME)},
        )
    )
    for path in (users, config):
        path.chmod(0o644)
    process = spawn_pgbouncer(config, root / "pgbouncer.log")
    conninfo = {
        "host": "127.0.0.1",
        "port": port,
        "user": user,
        "password": password,
        "dbname": database["NAME"],
        "autocommit": True,
    }
    try:
        _wait_for(process, conninfo)
        yield conninfo
    finally:
        process.stop()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(process: Process, conninfo: dict) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise StackError(f"pgbouncer exited:\n{process.tail()}")
        with contextlib.suppress(psycopg.OperationalError):
            psycopg.connect(**conninfo, connect_timeout=2).close()
            return
        time.sleep(0.05)
    raise StackError(f"pgbouncer not ready:\n{process.tail()}")


def _touch_template_tables(conn: psycopg.Connection) -> int:
    """Read every table of the template schema once, as serving its network's pages does."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'tenant_template' ORDER BY 1"
        )
    ]
    for table in tables:
        conn.execute(
            sql.SQL("SELECT 1 FROM {}.{} LIMIT 1").format(
                sql.Identifier("tenant_template"), sql.Identifier(table)
            )
        )
    return len(tables)


@pytest.mark.django_db
def test_a_server_connection_older_than_server_lifetime_is_replaced(pgbouncer):
    with psycopg.connect(**pgbouncer) as first:
        started = time.monotonic()
        pid, fresh = first.execute(CACHE_MIB).fetchone()
        tables = _touch_template_tables(first)
        _, served = first.execute(CACHE_MIB).fetchone()
    assert tables > 50
    assert served > fresh + 1  # MiB: the catalog entries of the tables it read
    # Given back younger than the lifetime: the next client gets the same backend, caches and
    # all (what happens without a bound).
    with psycopg.connect(**pgbouncer) as second:
        assert time.monotonic() - started < LIFETIME, "too slow to see the reuse: raise LIFETIME"
        reused_pid, reused = second.execute(CACHE_MIB).fetchone()
        assert reused_pid == pid
        assert reused >= served - 0.5
        # Older than the lifetime when this client gives it back: PgBouncer closes it.
        time.sleep(max(0.0, LIFETIME + 0.2 - (time.monotonic() - started)))
    with psycopg.connect(**pgbouncer) as third:
        new_pid, renewed = third.execute(CACHE_MIB).fetchone()

    assert new_pid != pid
    assert renewed < fresh + 0.5
    print(
        f"server_lifetime={LIFETIME}s: fresh {fresh:.2f} MiB, after {tables} tables "
        f"{served:.2f} MiB, reused {reused:.2f} MiB (same backend), "
        f"past the lifetime {renewed:.2f} MiB (new backend)"
    )
