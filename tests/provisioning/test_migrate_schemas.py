"""``migrate_schemas`` through provisioning.migrating: up-to-date schemas are skipped without
running Django's migrate in them, the rest are migrated, and a failure stops the run with a
report (which schema, which migration, the error, what was not started)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

from provisioning import migrating

pytestmark = pytest.mark.django_db


@pytest.fixture
def migrated(monkeypatch):
    """The schemas Django's migrate ran in, in order (the real runner, spied on)."""
    calls: list[str] = []
    real = migrating._migrate_schema

    def spy(args, options, schema):
        calls.append(schema)
        return real(args, options, schema)

    monkeypatch.setattr(migrating, "_migrate_schema", spy)
    return calls


def run(**options) -> str:
    from io import StringIO

    out = StringIO()
    # The report goes to the process's stdout, like django-tenants' own lines.
    call_command("migrate_schemas", tenant=True, interactive=False, stdout=out, **options)
    return out.getvalue()


def forget(schema: str, app: str, name: str) -> None:
    with connection.cursor() as cursor:
        table = sql.Identifier(schema, "django_migrations").as_string(connection.connection)
        cursor.execute(f"DELETE FROM {table} WHERE app = %s AND name = %s", [app, name])  # noqa: S608
        assert cursor.rowcount == 1


def leaf_of(apps: tuple[str, ...], operations: tuple[str, ...]) -> tuple[str, str]:
    """A last migration of one of ``apps`` made only of ``operations``."""
    graph = MigrationLoader(None).graph
    for app, name in sorted(graph.leaf_nodes()):
        ops = graph.nodes[(app, name)].operations
        if graph.node_map[(app, name)].children:
            continue  # another app's migration depends on it
        if app in apps and ops and all(type(op).__name__ in operations for op in ops):
            return app, name
    raise AssertionError(f"no last migration of {apps} made of {operations}")


def test_up_to_date_schemas_are_skipped_without_running_migrate(make_tenant, migrated, capsys):
    make_tenant("mig-one")
    run(verbosity=1)
    assert migrated == []
    assert "0 migrated" in capsys.readouterr().out


def test_a_schema_missing_one_migration_is_migrated(make_tenant, migrated, capsys):
    one = make_tenant("mig-one")
    # A public-only app's migration: in a network schema, migrate only records it.
    app, name = leaf_of(
        ("signup", "console", "directory", "billing"),
        ("CreateModel", "RunSQL", "RunPython", "AddField"),
    )
    forget(one.schema_name, app, name)
    assert (app, name) not in migrating.applied_in(one.schema_name)

    run(verbosity=1)

    assert migrated == [one.schema_name]
    assert (app, name) in migrating.applied_in(one.schema_name)
    assert "1 migrated" in capsys.readouterr().out


def test_a_failing_migration_stops_the_run_and_reports(make_tenant, migrated):
    first = make_tenant("mig-one")
    second = make_tenant("mig-two")
    # A network app's last migration, forgotten but not undone: applying it again fails
    # (its table or column exists already).
    app, name = leaf_of(
        ("events", "forums", "knowledge", "messaging", "social", "members", "pro", "insights"),
        ("AddField", "CreateModel"),
    )
    forget(first.schema_name, app, name)
    forget(second.schema_name, app, name)

    with pytest.raises(CommandError) as raised:
        run(verbosity=0, parallel=1)

    report = str(raised.value)
    assert len(migrated) == 1, "the run stops at the first failure"
    failed = migrated[0]
    other = ({first.schema_name, second.schema_name} - {failed}).pop()
    assert f"FAILED {failed} at {app}.{name}: " in report
    assert "already exists" in report
    assert f"Not migrated (1, not started): {other}" in report
    assert (app, name) not in migrating.applied_in(other)
