"""``migrate_schemas`` for thousands of networks: skip what is up to date, migrate the rest in
parallel, stop at the first failure with a report.

django-tenants' standard executor runs Django's ``migrate`` in every schema, and ``migrate``
first asks whether ``django_migrations`` exists (``MigrationRecorder.has_table``), which lists
every table visible on the search path by scanning all of ``pg_class``: with 1,000 networks
(338,000 catalog rows) a schema with nothing to migrate costs 0.9 s, and the whole run grows
with the square of the number of networks.

This executor (selected by ``GET_EXECUTOR_FUNCTION`` in the settings, so the deploy's plain
``manage.py migrate_schemas`` uses it) reads what every schema has applied with a few queries
over all schemas at once (a ``UNION ALL`` of each schema's ``django_migrations``, built from
``pg_namespace``), compares it with the migration graph, and hands only the schemas that lack a
migration to django-tenants' per-schema ``run_migrations``: in this process when there is one
(or when the caller is inside a transaction, as tests are), otherwise in a small pool of forked
processes, each with its own database connection. On the first failure no further schema is
started; the ones running finish, and the command fails with a report: the schema, the migration
it stopped at, the error, and the schemas left unmigrated.

Options that change what ``migrate`` does (an app label or target, ``--fake``, ``--plan``,
``--check``, ...) go to django-tenants' standard executor unchanged.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors import get_executor as tenants_get_executor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.migration_executors.standard import StandardExecutor
from psycopg import sql

# Schemas read per query: each branch of the UNION takes a lock on one table until the end of
# the transaction, and the server's lock table holds max_locks_per_transaction (64) times
# max_connections slots for everyone.
SCHEMAS_PER_QUERY = 250
DEFAULT_PARALLEL = 4
# Options with which ``migrate`` does something else than bringing every schema to head.
_OTHER_WORK = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune",
               "run_syncdb", "check_unapplied")  # fmt: skip

MigrationKey = tuple[str, str]


def get_executor(codename: str | None = None) -> type[MigrationExecutor]:
    """django-tenants' ``GET_EXECUTOR_FUNCTION``: this executor unless another is asked for."""
    codename = codename or os.environ.get("EXECUTOR") or NetworksExecutor.codename
    if codename in (NetworksExecutor.codename, StandardExecutor.codename):
        return NetworksExecutor
    return tenants_get_executor(codename)


def required_migrations() -> list[MigrationKey]:
    """Every migration of the project's graph, in the order ``migrate`` applies them.

    A schema is up to date when it has recorded all of them: Django records a migration in
    every schema it runs in, including the ones whose operations the tenant router skips.
    """
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan: list[MigrationKey] = []
    seen: set[MigrationKey] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(key)
    return plan


def applied_counts(schemas: list[str], required: list[MigrationKey]) -> dict[str, int]:
    """How many of ``required`` each schema has recorded; a schema without a
    ``django_migrations`` table (or no schema of that name) is left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind IN ('r', 'p') "
            "AND n.nspname = ANY(%s)",
            [list(schemas)],
        )
        present = sorted(row[0] for row in cursor.fetchall())
        apps = [app for app, _name in required]
        names = [name for _app, name in required]
        counts: dict[str, int] = {}
        for start in range(0, len(present), SCHEMAS_PER_QUERY):
            chunk = present[start : start + SCHEMAS_PER_QUERY]
            branches = sql.SQL(" UNION ALL ").join(
                sql.SQL(
                    "SELECT {label}, count(DISTINCT (m.app, m.name)) FROM {table} m "
                    "JOIN required r ON r.app = m.app AND r.name = m.name"
                ).format(
                    label=sql.Literal(schema),
                    table=sql.Identifier(schema, "django_migrations"),
                )
                for schema in chunk
            )
            query = (
                sql.SQL(
                    "WITH required(app, name) AS (SELECT * FROM unnest(%s::text[], %s::text[])) "
                )
                + branches
            )
            cursor.execute(query.as_string(connection.connection), [apps, names])
            counts.update({schema: count for schema, count in cursor.fetchall()})
    return counts


def applied_in(schema: str) -> set[MigrationKey]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = 'django_migrations')",
            [schema],
        )
        if not cursor.fetchone()[0]:
            return set()
        table = sql.Identifier(schema, "django_migrations").as_string(connection.connection)
        cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608 - a quoted identifier
        return {(app, name) for app, name in cursor.fetchall()}


@dataclass
class Failure:
    schema: str
    migration: str  # "app.name", or "" when it failed before applying any
    error: str


@dataclass
class Report:
    up_to_date: list[str] = field(default_factory=list)
    migrated: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)
    processes: int = 1
    check_seconds: float = 0.0

    def text(self) -> str:
        lines = [
            f"{len(self.up_to_date)} schema(s) up to date (skipped), {len(self.migrated)} "
            f"migrated ({self.processes} process(es)); checked in {self.check_seconds:.2f} s."
        ]
        for failure in self.failures:
            where = f" at {failure.migration}" if failure.migration else ""
            lines.append(f"FAILED {failure.schema}{where}: {failure.error}")
        if self.not_started:
            lines.append(
                f"Not migrated ({len(self.not_started)}, not started): "
                + ", ".join(self.not_started)
            )
        return "\n".join(lines)


def _migrate_schema(args: tuple, options: dict, schema: str) -> str | None:
    """Migrate one schema with django-tenants' own per-schema runner; the error, or None."""
    try:
        run_migrations(args, options, NetworksExecutor.codename, schema)
    except Exception as error:  # noqa: BLE001 - reported to the operator, the run stops
        return f"{type(error).__name__}: {error}".strip()
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    return None


def _in_child(args: tuple, options: dict, schema: str) -> tuple[str, str | None]:
    return schema, _migrate_schema(args, options, schema)


class NetworksExecutor(MigrationExecutor):
    codename = "networks"

    def run_migrations(self, tenants: Iterable[str] | None = None) -> None:
        schemas = list(tenants or [])
        if not schemas:
            return
        if any(self.options.get(name) for name in _OTHER_WORK):
            StandardExecutor(self.args, self.options).run_migrations(tenants=schemas)
            return
        report = self.migrate(schemas)
        if report.failures:
            raise CommandError(report.text())
        if int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(report.text() + "\n")

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("Entraide has one tenant type")

    def migrate(self, schemas: list[str]) -> Report:
        started = time.perf_counter()
        required = required_migrations()
        counts = applied_counts(schemas, required)
        report = Report()
        pending = []
        for schema in schemas:
            if counts.get(schema) == len(required):
                report.up_to_date.append(schema)
            else:
                pending.append(schema)
        report.check_seconds = time.perf_counter() - started
        if not pending:
            return report
        parallel = max(1, int(self.options.get("parallel") or DEFAULT_PARALLEL))
        if len(pending) == 1 or parallel == 1 or connection.in_atomic_block:
            self._serially(pending, report)
        else:
            self._in_pool(pending, min(parallel, len(pending)), report)
        for failure in report.failures:
            failure.migration = self._stopped_at(failure.schema, required)
        return report

    def _serially(self, pending: list[str], report: Report) -> None:
        for index, schema in enumerate(pending):
            error = _migrate_schema(self.args, self.options, schema)
            if error is not None:
                report.failures.append(Failure(schema, "", error))
                report.not_started = pending[index + 1 :]
                return
            report.migrated.append(schema)

    def _in_pool(self, pending: list[str], processes: int, report: Report) -> None:
        """At most ``processes`` schemas at a time, each in a forked process with a connection
        of its own (django-tenants' runner closes it after each schema, so a worker's server
        process never holds more than one schema's catalog)."""
        report.processes = processes
        connections.close_all()  # the children must not share the parent's socket
        queue = list(pending)
        running: dict[str, multiprocessing.pool.AsyncResult] = {}
        context = multiprocessing.get_context("fork")
        with context.Pool(processes=processes) as pool:
            while queue or running:
                while queue and len(running) < processes and not report.failures:
                    schema = queue.pop(0)
                    running[schema] = pool.apply_async(_in_child, (self.args, self.options, schema))
                done = [schema for schema, result in running.items() if result.ready()]
                if not done:
                    time.sleep(0.02)
                    continue
                for schema in done:
                    _schema, error = running.pop(schema).get()
                    if error is None:
                        report.migrated.append(schema)
                    else:
                        report.failures.append(Failure(schema, "", error))
                if report.failures and not running:
                    break
            report.not_started = queue

    @staticmethod
    def _stopped_at(schema: str, required: list[MigrationKey]) -> str:
        """The first migration the schema lacks: each migration commits on its own, so it is
        the one that failed."""
        applied = applied_in(schema)
        for app, name in required:
            if (app, name) not in applied:
                return f"{app}.{name}"
        return ""
