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

import functools
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
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
    elif {"tenant", "other_tenant", "session_networks"} & set(getattr(item, "fixturenames", ())):
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
    # Every test Client loads the middleware again, and WhiteNoise's, when it does not look
    # files up per request, indexes every static file first (about 350): two thirds of a
    # matrix case's time. Tests look them up per request, as in development.
    settings.WHITENOISE_AUTOREFRESH = True
    # No spare clones of the template after a sign-up (seconds each, and schemas that a
    # committing test would leave behind): tests/signup/test_spares.py asks for them.
    settings.SIGNUP_SPARE_SCHEMAS = 0
    # A host is resolved again after TENANT_HOST_CACHE_SECONDS (10): on a loaded machine a
    # test that counts queries before and after growing its data can cross that. The
    # cache is emptied before and after each test, and by every change of a host's row.
    settings.TENANT_HOST_CACHE_SECONDS = 3600
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


# --- client_as(role) and the matrices' world ---------------------------------------------------
# One signed-in client per role for the whole suite, and one of each object the routes take.
# The roles are relative to network alpha (``tenant``) and its on-request group "stade-4".

ROLES = (
    "anonymous",
    "other_network",
    "member",
    "caregiver",
    "outsider_of_group",
    "group_member",
    "suspended",
    "moderator",
    "admin",
)


@pytest.fixture
def role_accounts(tenant):
    """One account per signed-in role of alpha (see ``build_role_accounts``)."""
    return build_role_accounts()


def build_role_accounts() -> dict:
    """One account per signed-in role of alpha, the on-request group they are relative to
    included: member (Bob) and the staff have no group; group_member (Gina) is in it,
    outsider_of_group (Olga) is a patient outside it; caregiver (Carla) cannot see the
    Patients space; suspended (Suzy) was suspended by the admin."""
    from tenant_apps.forums import services as forums
    from tenant_apps.forums.models import Group
    from tenant_apps.members import services as members
    from tenant_apps.members.models import ProfileType, Role, Space
    from tests.members.factories import account

    found = {
        "admin": account("Alice", Role.ADMIN),
        "moderator": account("Mona", Role.MODERATOR),
        "member": account("Bob"),
        "caregiver": account("Carla", profile_type=ProfileType.CAREGIVER),
        "outsider_of_group": account("Olga"),
        "group_member": account("Gina"),
        "suspended": account("Suzy"),
    }
    group = forums.group_propose(
        proposer=found["group_member"].member,
        name="Stade 4",
        description="Entre nous.",
        space=Space.objects.get(slug="patients"),
        access=Group.Access.ON_REQUEST,
    )
    forums.group_approve(group=group, moderator=found["moderator"].member)
    members.member_suspend(
        actor=found["admin"].member, member=found["suspended"].member, reason="Test", until=None
    )
    return found


@pytest.fixture
def other_network_account():
    """Who ``client_as("other_network")`` signs in as, called inside beta's schema: beta's
    admin (another network's strongest account). A suite whose point is a namesake of one of
    its own people overrides it (notifications: beta's member "Bob")."""
    from tenant_apps.members.models import Role
    from tests.members.factories import account

    return lambda: account("Alice", Role.ADMIN)


@pytest.fixture
def client_as(request, tenant):
    """A client on alpha's host as a role of ``ROLES``, or as a given account (a user or a
    member). Roles are looked up in ``role_accounts``: a suite with its own cast overrides
    that fixture (``{"member": ..., "author": ...}``). ``other_network`` carries the session
    cookie of ``other_network_account`` (a real session, in beta's schema), sent to alpha's
    host, where it is no session at all. ``network`` puts the client on another network's host
    and signs the account in there; other keywords go to the test client
    (``enforce_csrf_checks=True``)."""
    from django.contrib.sessions.models import Session

    from tenant_apps.members.models import Member

    def signed_in(network: Tenant, user, **client_options) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST=host_of(network), **client_options)
        with tenant_context(network):  # the session is the network's, in its schema
            client.force_login(user)
        return client

    def make(who, *, network: Tenant | None = None, **client_options) -> Client:
        network = network or tenant
        if who == "anonymous":
            with schema_context("public"):
                return Client(HTTP_HOST=host_of(network), **client_options)
        if who == "other_network":
            beta = request.getfixturevalue("other_tenant")
            with tenant_context(beta):
                stranger = request.getfixturevalue("other_network_account")()
            client = signed_in(beta, stranger)
            with tenant_context(beta):
                assert Session.objects.filter(pk=client.cookies["sessionid"].value).exists()
            with schema_context("public"):
                on_alpha = Client(HTTP_HOST=host_of(network), **client_options)
            on_alpha.cookies = client.cookies
            return on_alpha
        if isinstance(who, str):
            accounts = request.getfixturevalue("role_accounts")
            if who not in accounts:
                raise ValueError(f"no account for the role {who!r}")
            who = accounts[who]
        return signed_in(network, who.user if isinstance(who, Member) else who, **client_options)

    return make


@pytest.fixture
def world(role_accounts):
    """One of each object alpha's routes take (see ``build_world``)."""
    return build_world(role_accounts)


@pytest.fixture(scope="module")
def shared_world(session_networks, django_db_blocker):
    """``build_world`` once for a whole module of read-and-refuse cases (the matrices):
    built inside a transaction that every test's own rolled-back transaction nests in, and
    rolled back after the module. The module overrides ``world`` and ``role_accounts`` with
    it (tests/matrix.py)."""
    from django.db import transaction
    from django.test.utils import override_settings

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with tenant_context(session_networks.get("alpha")):
                built = build_world(build_role_accounts())
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            connection.set_schema_to_public()


def build_world(role_accounts):
    """One of each object alpha's routes take, made through the services, so that every
    route can be called with real ids (``world.topic.pk``, ``world.article.pk``…).

    Bob (member) opened a topic in the Patients space, which Olga answered and Bob reported;
    Carla opened one in the caregivers' space; Gina opened one in the on-request group
    "stade-4", where Pia's request waits. Tina is a plain member for the admins' pages.
    """
    import datetime
    from types import SimpleNamespace

    from tenant_apps.forums import services as forums
    from tenant_apps.forums.models import Category as ForumCategory
    from tenant_apps.forums.models import ContentWarning, Group, GroupMembership
    from tenant_apps.knowledge import services as knowledge
    from tenant_apps.knowledge.models import Category as Theme
    from tenant_apps.knowledge.models import EditorialRole
    from tenant_apps.members import services as members
    from tenant_apps.members.models import Space
    from tenant_apps.moderation import services as moderation
    from tenant_apps.moderation.models import CrisisTerm, ModerationSettings, Report, WatchedWord
    from tenant_apps.notifications import services as notifications
    from tenant_apps.notifications.models import Notification
    from tenant_apps.notifications.tokens import unsubscribe_token
    from tests.members.factories import account

    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    who = {role: user.member for role, user in role_accounts.items()}
    w = SimpleNamespace(
        accounts=role_accounts, people=who, **{f"{role}_member": m for role, m in who.items()}
    )
    w.tina = account("Tina").member
    w.pia = account("Pia").member
    w.patients = Space.objects.get(slug="patients")
    w.caregivers = Space.objects.get(slug="proches-aidants")
    w.category = ForumCategory.objects.get(slug="traitements")
    w.caregivers_category = ForumCategory.objects.get(slug="aider-sans-s-epuiser")
    w.group = Group.objects.get(slug="stade-4")
    w.group_category = ForumCategory.objects.get(group=w.group)
    w.gina_membership = GroupMembership.objects.get(group=w.group, member=who["group_member"])
    w.pending_membership = forums.group_join(member=w.pia, group=w.group)
    w.topic = forums.topic_create(
        author=who["member"], category=w.category, title="Immunothérapie et fatigue",
        body="La fatigue est-elle fréquente ?",
    )  # fmt: skip
    w.opening = w.topic.posts.get(is_opening=True)
    w.reply = forums.post_create(
        author=who["outsider_of_group"], topic=w.topic, body="Oui, surtout au début."
    )
    w.tina_post = forums.post_create(author=w.tina, topic=w.topic, body="Bon courage à tous.")
    w.hidden_post = forums.post_create(author=w.tina, topic=w.topic, body="Achetez ici.")
    moderation.post_hide(moderator=who["moderator"], post=w.hidden_post, reason="Publicité")
    w.caregivers_topic = forums.topic_create(
        author=who["caregiver"], category=w.caregivers_category, title="Tenir le coup",
        body="Comment souffler un peu ?",
    )  # fmt: skip
    w.group_topic = forums.topic_create(
        author=who["group_member"], category=w.group_category, title="Stade 4 et travail",
        body="Qui a gardé son emploi ?",
    )  # fmt: skip
    w.group_post = w.group_topic.posts.get(is_opening=True)
    w.proposed_group = forums.group_propose(
        proposer=who["member"], name="Jeunes adultes", description="Moins de 30 ans.",
        space=w.patients, access=Group.Access.PUBLIC,
    )  # fmt: skip
    w.report = moderation.report_create(
        reporter=who["member"], post=w.reply, reason=Report.Reason.HURTFUL
    )
    w.case = w.report.case
    w.notification = notifications.notification_create(
        recipient=who["member"], kind=Notification.Kind.REPLY, actor=who["outsider_of_group"],
        subject=w.topic.title, url=forums.post_url(w.reply),
    )  # fmt: skip
    w.unsubscribe_token = unsubscribe_token(member=who["member"])
    w.theme = Theme.objects.order_by("pk").first() or Theme.objects.create(
        name="Traitements", slug="traitements"
    )
    w.article = knowledge.article_create(
        author=who["admin"], title="Comprendre l'immunothérapie", summary="L'essentiel.",
        body="Un traitement qui aide le système immunitaire.", categories=[w.theme],
        sources=[knowledge.SourceData(
            title="Immunothérapie", publisher="INCa", url="https://www.e-cancer.fr/",
            published_on=datetime.date(2024, 3, 1),
        )],
    )  # fmt: skip
    knowledge.article_submit(article=w.article, by=who["admin"])
    knowledge.article_publish(article=w.article, reviewer=who["admin"])
    w.draft = knowledge.article_create(
        author=who["admin"], title="Brouillon", summary="À finir.", body="Pas encore prêt.",
    )  # fmt: skip
    w.in_review = knowledge.article_create(
        author=who["admin"], title="À relire", summary="Presque prêt.", body="À vérifier.",
        sources=[knowledge.SourceData(
            title="Fatigue", publisher="INCa", url="https://www.e-cancer.fr/",
            published_on=datetime.date(2024, 3, 1),
        )],
    )  # fmt: skip
    knowledge.article_submit(article=w.in_review, by=who["admin"])
    w.question = knowledge.question_ask(asker=who["member"], text="Et la fatigue ?")
    w.editorial_role = knowledge.editorial_role_grant(
        member=w.tina, kind=EditorialRole.Kind.EDITOR, actor=who["admin"]
    )
    w.pathology = members.pathology_create(name="Cancer du poumon")
    w.invitation = members.invitation_create(email="nouvelle@example.org", role="member")
    w.word = moderation.watched_word_add(
        actor=who["admin"], phrase="arnaque", action=WatchedWord.Action.values[0]
    )
    w.term = CrisisTerm.objects.order_by("pk").first() or moderation.crisis_term_add(
        actor=who["admin"], phrase="en finir"
    )
    w.warning = ContentWarning.objects.order_by("pk").first() or moderation.content_warning_add(
        actor=who["admin"], name="Fin de vie"
    )
    moderation.on_duty_set(actor=who["admin"], member=who["moderator"], on_duty=True)
    w.duty = who["moderator"].on_duty
    return w


def db_snapshot() -> dict[str, str]:
    """What a refused request must leave as it was, in the current network's schema: the
    rows each table had inserted, updated and deleted so far in the test's transaction (the
    server's own counters, ``pg_stat_xact_user_tables``: a write undone by a rolled-back
    savepoint still counts), and a checksum of ``members_member`` without ``last_seen`` and
    ``previous_visit``, which any signed-in request may refresh.

    Outside a transaction (a test that commits) the counters start again at each statement:
    every table is checksummed instead, as the counters took 1.5 ms where checksumming every
    table took 40 ms, two snapshots per refusal, 2,000 refusals in the matrices."""
    from django.db import connection as conn

    counted = conn.in_atomic_block
    with conn.cursor() as cursor:
        snapshot = {}
        if counted:
            cursor.execute(
                "SELECT relname::text, concat_ws('/', n_tup_ins, n_tup_upd, n_tup_del)"
                " FROM pg_catalog.pg_stat_xact_user_tables"
                " WHERE schemaname = current_schema() AND relname <> 'members_member'"
            )
            snapshot = dict(cursor.fetchall())
        # The catalog itself, not information_schema.columns (the same rows, several times
        # slower to read).
        cursor.execute(
            "SELECT c.relname::text, array_agg(a.attname::text ORDER BY a.attname)"
            " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " AND c.relkind IN ('r', 'v', 'f', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
            " AND NOT (c.relname = 'members_member'"
            " AND a.attname IN ('last_seen', 'previous_visit'))"
            " AND (%s OR c.relname = 'members_member')"
            " GROUP BY c.relname ORDER BY c.relname",
            [not counted],
        )
        tables = tuple((name, tuple(cols)) for name, cols in cursor.fetchall())
        if tables:
            cursor.execute(_checksum_query(tables))
            snapshot.update(cursor.fetchall())
        return snapshot


@functools.cache
def _checksum_query(tables: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """One query checksumming each of these tables (name, columns): composed once per set
    of tables, as psycopg's composing was half the time of a snapshot."""
    from psycopg import sql

    checksum = sql.SQL(
        "SELECT {name}, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"
        " FROM (SELECT {columns} FROM {table}) r"
    )
    query = sql.SQL(" UNION ALL ").join(
        checksum.format(
            name=sql.Literal(name),
            columns=sql.SQL(",").join(map(sql.Identifier, columns)),
            table=sql.Identifier(name),
        )
        for name, columns in tables
    )
    # Literals and identifiers are quoted the same way on every connection (UTF-8,
    # standard_conforming_strings): no connection is needed to compose them.
    return query.as_string(None)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret."""
    # MFA_TOTP_TOLERANCE is 0: a code is good for its own period only. Near the end of one,
    # wait for the next, so that the server checks the code within the period it belongs to.
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
