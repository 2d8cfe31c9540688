"""Export, delete and restore a network; restore a dump into a fresh database.

pg_dump and pg_restore run in their own sessions, so these tests commit their data.
"""

import subprocess
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context, schema_exists, tenant_context

from provisioning import services
from provisioning.pgtools import pg_connection_args, pg_tool
from tenant_apps.members import services as members
from tenants.models import AuditEntry, Domain, Export, Tenant
from tests.provisioning.test_lifecycle import table_counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network(transactional_db, drop_tenant_schemas):
    services.platform_ensure()
    tenant = services.tenant_create(
        slug="export-me",
        name="Réseau à exporter",
        organization_slug="asso-export",
        admin_email="admin@export.example",
        actor="test",
    ).tenant
    with tenant_context(tenant):
        members.member_create(username="Iris", email="iris@example.org", password="secret-long-42x")
        members.space_create(name="Stade 4", slug="stade-4")
        default_storage.save("branding/logo.txt", ContentFile(b"logo"))
    return tenant


def test_export_delete_restore_gives_back_identical_rows_and_files(network, settings):
    before = table_counts(network.schema_name)
    export = services.tenant_export(slug="export-me", actor="test")
    assert export.size_bytes > 0

    services.tenant_delete(slug="export-me", actor="test")
    assert not schema_exists(network.schema_name)
    assert not Tenant.objects.filter(slug="export-me").exists()

    from pathlib import Path

    restored = services.tenant_restore(archive_path=Path(export.path), actor="test")
    assert table_counts(restored.schema_name) == before
    assert Domain.objects.get(tenant=restored, is_primary=True).domain == "export-me.localhost"
    assert restored.branding.display_name == "Réseau à exporter"
    with tenant_context(restored):
        assert default_storage.open("branding/logo.txt").read() == b"logo"
        from django.contrib.auth import get_user_model

        assert get_user_model().objects.get(username="Iris").check_password("secret-long-42x")


def test_restore_refuses_a_network_that_exists(network):
    from pathlib import Path

    export = services.tenant_export(slug="export-me", actor="test")
    with pytest.raises(services.ProvisioningError, match="existe"):
        services.tenant_restore(archive_path=Path(export.path), actor="test")
    assert Export.objects.count() == 1


def test_the_dump_restores_into_a_fresh_database_with_identical_row_counts(network):
    export = services.tenant_export(slug="export-me", actor="test")
    before = table_counts(network.schema_name)
    fresh = f"entraide_restore_{uuid.uuid4().hex[:8]}"
    args, env = pg_connection_args()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        import tarfile
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as work, tarfile.open(export.path) as archive:
            archive.extract("schema.dump", work, filter="data")
            subprocess.run(
                [pg_tool("pg_restore"), *args, "--no-owner", "--exit-on-error",
                 f"--dbname={fresh}", str(Path(work) / "schema.dump")],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(
            host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"], dbname=fresh
        ) as other:
            counts = {
                table: other.execute(
                    f'SELECT count(*) FROM "{network.schema_name}"."{table}"'  # noqa: S608
                ).fetchone()[0]
                for table in before
            }
        assert counts == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')


def test_exported_archive_lives_under_the_export_folder(network, settings):
    export = services.tenant_export(slug="export-me", actor="test")
    assert export.path.startswith(str(settings.TENANT_EXPORT_DIR))
    with schema_context("public"):
        assert Export.objects.get().tenant.slug == "export-me"


def test_delete_is_refused_without_an_export_unless_forced(network, settings):
    with pytest.raises(services.ProvisioningError, match="export"):
        services.tenant_delete(slug="export-me", actor="test")
    assert schema_exists(network.schema_name)
    assert (settings.MEDIA_ROOT / network.schema_name / "branding" / "logo.txt").exists()

    services.tenant_delete(slug="export-me", actor="test", force=True)
    assert not schema_exists(network.schema_name)
    assert not Tenant.objects.filter(slug="export-me").exists()
    assert not Domain.objects.filter(domain="export-me.localhost").exists()
    assert not (settings.MEDIA_ROOT / network.schema_name).exists()
    assert AuditEntry.objects.get(action="delete").detail == {"forced": True}
