"""The template's DDL is kept in a public table per migration state of the template: a process
that creates a network reads it instead of running pg_dump, and it is the same as a new dump."""

import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from provisioning import cloning
from provisioning.models import TemplateSnapshot

pytestmark = pytest.mark.django_db

TEMPLATE = settings.TENANT_BASE_SCHEMA


@pytest.fixture
def dumps(monkeypatch):
    """The pg_dump runs of the test (subprocess is the boundary), really run."""
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(cloning.subprocess, "run", spy)
    yield calls
    cloning.forget_snapshots()


def catalog_of(schema: str) -> list[tuple[str, str]]:
    """The schema's relations (tables, indexes, sequences, views) by kind and name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind::text, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s ORDER BY 1, 2",
            [schema],
        )
        return cursor.fetchall()


def test_a_new_process_creates_a_network_without_pg_dump(make_tenant, dumps):
    with schema_context("public"):
        cloning.snapshot_ensure(TEMPLATE)  # as template_ensure leaves it after migrating
        stored = TemplateSnapshot.objects.get(
            template=TEMPLATE, state=cloning.template_state(TEMPLATE)
        )
        fresh = cloning._take_snapshot(TEMPLATE)  # a pg_dump now, to compare with
    assert stored.ddl == fresh.ddl
    assert [tuple(row) for row in stored.tables_with_rows] == fresh.tables_with_rows
    assert "CREATE TABLE" in stored.ddl

    cloning.forget_snapshots()  # a new process: nothing in memory
    dumps.clear()
    tenant = make_tenant("ddl-cache")

    assert dumps == []
    assert catalog_of(tenant.schema_name) == catalog_of(TEMPLATE)


def test_a_migrated_template_is_dumped_once_for_every_process(dumps):
    with schema_context("public"):
        cloning.snapshot_ensure(TEMPLATE)
        before = cloning.template_state(TEMPLATE)
        # The template migrates (a migration recorded, rolled back with the test).
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{TEMPLATE}".django_migrations (app, name, applied) '  # noqa: S608
                "VALUES ('provisioning', '9999_test', now())"
            )
        after = cloning.template_state(TEMPLATE)
        assert after != before
        dumps.clear()

        cloning.snapshot_for(TEMPLATE)
        assert len(dumps) == 1, "the new state is dumped"
        cloning.forget_snapshots()  # another process
        cloning.snapshot_for(TEMPLATE)
        assert len(dumps) == 1, "and read from the table by the next process"

        cloning.snapshot_ensure(TEMPLATE)
        states = set(TemplateSnapshot.objects.values_list("state", flat=True))
    assert states == {after}, "the older state's DDL is dropped"
