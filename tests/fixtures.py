"""Shared fixtures: a migrated template schema, the session's networks alpha and beta, clients
bound to a network's host, and clean files and caches per test.

alpha and beta are provisioned once per xdist worker (each worker has its own test database)
and committed; every test that uses them runs inside pytest-django's rolled-back transaction,
so it starts from a network exactly as provisioning seeds it (spaces, charter, crisis lines,
the admin's invitation) and leaves nothing behind. A transactional test (``transaction=True``,
``transactional_db``, ``live_server``) commits and ends with a flush, which would leave the
networks half gone: before such a test the networks are removed, so that it sees an empty
platform as it always did, and they are provisioned again before the next test that asks for
them. Tests of provisioning itself, or that need a network of their own, use ``make_tenant``
with any other slug.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context, tenant_context
from pytest_django.fixtures import validate_django_db

from provisioning import services
from tenants import hosts
from tenants.models import AuditEntry, Tenant
from tests.forums.factories import PostFactory, TopicFactory
from tests.knowledge.factories import ArticleFactory
from tests.members.factories import MemberFactory, UserFactory

SESSION_ACTOR = "tests:session"


class SessionNetworks:
    """alpha (listed) and beta, committed in this worker's test database."""

    # slug → tenant_create options; the rest follows make_tenant's defaults.
    NETWORKS = {"alpha": {"listed": True}, "beta": {}}

    def __init__(self) -> None:
        self.blocker = None  # pytest-django's database blocker, once the database exists
        self.ready = False

    def ensure(self) -> None:
        """Provision the networks (committed) unless they are there already."""
        if self.ready:
            return
        if connection.in_atomic_block:
            raise RuntimeError("the session's networks must be provisioned outside a transaction")
        with self.blocker.unblock(), schema_context("public"):
            self._drop()
            services.platform_ensure()
            last_job = _last_job_id()
            for slug, options in self.NETWORKS.items():
                _provision(slug, actor=SESSION_ACTOR, **options)
            # Provisioning leaves an invitation email job and an audit entry, committed: take
            # them out, so that a test counting either sees only its own.
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job])
            AuditEntry.objects.filter(actor=SESSION_ACTOR).delete()
        self.ready = True

    def remove(self) -> None:
        """Drop the networks' schemas and rows (before a test that commits and flushes)."""
        if self.blocker is None:
            return
        with self.blocker.unblock(), schema_context("public"):
            self._drop()
        self.ready = False

    def get(self, slug: str) -> Tenant:
        with schema_context("public"):
            return Tenant.objects.get(slug=slug)

    def _drop(self) -> None:
        # A flush empties the public tables but leaves the schemas; a test's
        # drop_tenant_schemas drops the schemas but leaves the rows: clear both.
        Tenant.objects.filter(slug__in=self.NETWORKS).delete()
        with connection.cursor() as cursor:
            for slug in self.NETWORKS:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')


NETWORKS = SessionNetworks()


def _last_job_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        return cursor.fetchone()[0]


def _provision(slug: str, *, actor: str = "test", **overrides) -> Tenant:
    return services.tenant_create(
        slug=slug,
        name=overrides.pop("name", f"Réseau {slug}"),
        organization_slug=overrides.pop("organization_slug", f"asso-{slug}"),
        admin_email=overrides.pop("admin_email", f"admin@{slug}.example"),
        actor=actor,
        **overrides,
    ).tenant


def _commits(item: pytest.Item) -> bool:
    """Whether the test runs outside a rolled-back transaction (and ends with a flush)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture of the test: its transaction is not open yet.
    if NETWORKS.blocker is None:
        return  # the session fixture provisions them the first time
    if _commits(item):
        NETWORKS.remove()
    elif {"tenant", "other_tenant"} & set(getattr(item, "fixturenames", ())):
        NETWORKS.ensure()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _commits(item):
        NETWORKS.ready = False  # the flush has just emptied the public tables


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        services.template_ensure()


@pytest.fixture(scope="session")
def session_networks(django_db_setup, django_db_blocker) -> SessionNetworks:
    """alpha and beta, provisioned once for this worker."""
    NETWORKS.blocker = django_db_blocker
    NETWORKS.ensure()
    return NETWORKS


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
    """Provision a network of its own through the real service, inside the test's transaction
    (1 to 2 s each: prefer ``tenant`` and ``other_tenant``)."""

    def make(slug: str, **overrides) -> Tenant:
        if slug in SessionNetworks.NETWORKS:
            raise ValueError(
                f"{slug} is a session network: use the tenant or other_tenant fixture, "
                "or another slug"
            )
        return _provision(slug, **overrides)

    with schema_context("public"):
        services.platform_ensure()
    return make


@pytest.fixture
def tenant(session_networks, db):
    """Network “alpha” (listed); the test runs inside its schema."""
    session_networks.ensure()
    alpha = session_networks.get("alpha")
    with tenant_context(alpha):
        yield alpha


@pytest.fixture
def other_tenant(session_networks, db):
    """Network “beta”, for cross-tenant checks; the test stays where it was."""
    session_networks.ensure()
    return session_networks.get("beta")


# The apps' factories (tests/<app>/factories.py), inside alpha's schema.


@pytest.fixture
def user_factory(tenant):
    return UserFactory


@pytest.fixture
def member_factory(tenant):
    return MemberFactory


@pytest.fixture
def topic_factory(tenant):
    return TopicFactory


@pytest.fixture
def post_factory(tenant):
    return PostFactory


@pytest.fixture
def article_factory(tenant):
    return ArticleFactory


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
