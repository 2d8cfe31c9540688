"""Shared fixtures: a migrated template schema, tenants that live inside the test's
transaction, clients bound to a tenant's host, and clean files and caches per test."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context, tenant_context

from provisioning import services
from tenants import hosts
from tenants.models import Tenant


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        services.template_ensure()


@pytest.fixture(autouse=True)
def _isolated_state(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TENANT_EXPORT_DIR = tmp_path / "exports"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hosts.forget_hosts()
    cache.clear()
    # A request in English leaves English active in this thread: start each test in French.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    hosts.forget_hosts()
    connection.set_schema_to_public()


@pytest.fixture
def make_tenant(db):
    """Provision a network through the real service; it lives in the test's transaction."""

    def make(slug: str, **overrides) -> Tenant:
        creation = services.tenant_create(
            slug=slug,
            name=overrides.pop("name", f"Réseau {slug}"),
            organization_slug=overrides.pop("organization_slug", f"asso-{slug}"),
            admin_email=overrides.pop("admin_email", f"admin@{slug}.example"),
            actor="test",
            **overrides,
        )
        return creation.tenant

    with schema_context("public"):
        services.platform_ensure()
    return make


@pytest.fixture
def tenant(make_tenant):
    """Network “alpha”; the test runs inside its schema."""
    alpha = make_tenant("alpha", listed=True)
    with tenant_context(alpha):
        yield alpha


@pytest.fixture
def other_tenant(make_tenant):
    """Network “beta”, for cross-tenant checks; the test stays where it was."""
    return make_tenant("beta")


def host_of(tenant: Tenant) -> str:
    return tenant.domains.get(is_primary=True).domain


@pytest.fixture
def client_for():
    """A test client whose requests go to a tenant's primary host."""

    def make(tenant: Tenant) -> Client:
        with schema_context("public"):
            return Client(HTTP_HOST=host_of(tenant))

    return make


@pytest.fixture
def drop_tenant_schemas(django_db_blocker):
    """For tests that commit: drop the schemas they created (flush only empties tables)."""
    yield
    with django_db_blocker.unblock(), schema_context("public"):
        schemas = list(
            Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
        )
        with connection.cursor() as cursor:
            for schema in schemas:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
