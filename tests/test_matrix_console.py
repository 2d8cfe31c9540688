"""Authorization matrix of the operators' console (``/console/`` on the platform's domain):
one case per (route, role).

Roles: a signed-out visitor; network alpha's member and admin (their sessions belong to
alpha's schema, so they are no session on the platform's domain); a platform account without
staff rights (an association's representative); a staff account without a second factor;
an operator (staff with TOTP).

Decision: everyone but an operator gets the 404 of a page that does not exist, and nothing
changes — except the staff account without TOTP, which the second-factor middleware sends to
set one up (as on every page of the platform, the admin included), also with nothing changed.
"""

import datetime
from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan, Subscription
from shared_apps.console.models import UsageSnapshot
from tenants.models import AuditEntry, Export, Tenant
from tests.console.plans import plans_ensure
from tests.fixtures import db_snapshot
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db

PLATFORM = True  # the browser sweep opens these pages on the platform's domain
ROLES = ("anonymous", "network_member", "network_admin", "account", "staff_no_totp", "operator")
OPERATOR = frozenset({"operator"})


@dataclass(frozen=True)
class Route:
    method: str
    path: object  # world -> str
    allowed: frozenset
    status: int = 200
    data: object = None  # world -> dict
    check: object = None  # (response, world) -> None
    public: bool = False  # for the browser sweep: none of these is
    is_api: bool = False


class World:
    """What the routes take: network beta (the one acted on; alpha's people are the
    clients), its export and subscription, plus snapshots of both networks."""


@pytest.fixture
def role_accounts(shared_world):
    """alpha's people, made once for the module (tests/fixtures.py ``shared_world``)."""
    return shared_world.accounts


@pytest.fixture
def console_world(tenant, other_tenant):
    w = World()
    with schema_context("public"):
        provisioning.platform_ensure()
        plans_ensure()
        users = get_user_model().objects
        w.account = users.create_user(username="console-rep", email="rep@example.org")
        w.staff = users.create_user(username="console-staff", email="s@example.org", is_staff=True)
        w.operator = users.create_user(username="console-ops", email="o@example.org", is_staff=True)
        TOTP.activate(w.operator, generate_totp_secret())
        w.beta = Tenant.objects.get(pk=other_tenant.pk)
        w.alpha = Tenant.objects.get(pk=tenant.pk)
        w.free = Plan.objects.get(code="gratuit")
        w.paid = Plan.objects.exclude(price_cents=0).order_by("position", "price_cents").first()
        Subscription.objects.update_or_create(
            organization=w.alpha.organization, defaults={"plan": w.free}
        )
        # Late: its grace period ends in three days.
        w.subscription, _ = Subscription.objects.update_or_create(
            organization=w.beta.organization,
            defaults={"plan": w.free, "status": Subscription.Status.PAST_DUE,
                      "past_due_since": timezone.now(),
                      "grace_until": timezone.now() + datetime.timedelta(days=3)},
        )  # fmt: skip
        for network, members in ((w.alpha, 12), (w.beta, 5)):
            UsageSnapshot.objects.create(
                tenant=network, day=timezone.localdate(), members=members, active_members=2,
                files_bytes=1000, database_bytes=5000,
            )  # fmt: skip
    return w


@pytest.fixture
def platform_client(role_accounts, client_as, console_world):
    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
        if role in ("network_member", "network_admin"):
            client.cookies = client_as(role.removeprefix("network_")).cookies
            assert "sessionid" in client.cookies
        elif role != "anonymous":
            user = {"account": console_world.account, "staff_no_totp": console_world.staff,
                    "operator": console_world.operator}[role]  # fmt: skip
            with schema_context("public"):
                client.force_login(user)
        return client

    return make


def _reload(obj):
    with schema_context("public"):
        obj.refresh_from_db()
    return obj


def _lists(response, w):
    assert [n.pk for n in response.context["networks"]] == [w.beta.pk, w.alpha.pk]


def _shows_alpha(response, w):
    assert response.context["network"].pk == w.alpha.pk
    # The plan's limit beside the count, as the association's admin sees it.
    assert response.context["subscription"].plan.max_members == 50
    assert "12" in response.content.decode().split('id="usage-members">')[1].split("<")[0]
    assert [s.members for _start, s in response.context["weeks"] if s] == [12]


def _charts(response, w):
    assert response.context["created_chart"].slug == "created"
    assert [c.slug for c in response.context["charts"]] == ["active-networks", "active-members"]


def _suspended(response, w):
    assert _reload(w.beta).status == Tenant.Status.SUSPENDED
    with schema_context("public"):
        assert AuditEntry.objects.filter(tenant_slug="beta", action="suspend").count() == 1


def _resumed(response, w):
    assert _reload(w.beta).status == Tenant.Status.ACTIVE


def _export_queued(response, w):
    with schema_context("public"):
        assert w.queue.names() == ["shared_apps.console.jobs.network_export"]


def _deleted(response, w):
    with schema_context("public"):
        assert not Tenant.objects.filter(slug="beta").exists()
        assert AuditEntry.objects.filter(tenant_slug="beta", action="delete").count() == 1


def _grace_extended(response, w):
    seen = w.subscription.grace_until
    assert _reload(w.subscription).grace_until == seen + datetime.timedelta(days=7)


def _plan_changed(response, w):
    assert _reload(w.subscription).plan_id == w.paid.pk


def _suspend_first(w):
    with schema_context("public"):
        Tenant.objects.filter(pk=w.beta.pk).update(status=Tenant.Status.SUSPENDED)
    return {}


def _with_export(w):
    with schema_context("public"):
        archive = provisioning.Path(provisioning.settings.TENANT_EXPORT_DIR) / "beta.tar.gz"
        archive.parent.mkdir(parents=True, exist_ok=True)
        archive.write_bytes(b"archive")
        Export.objects.create(tenant=w.beta, path=str(archive), size_bytes=7)
    return {"confirmation": "beta"}


BETA = "/console/reseaux/beta/"
ROUTES = {
    "console:networks": Route("get", lambda w: "/console/", OPERATOR, check=_lists),
    "console:activity": Route("get", lambda w: "/console/activite/", OPERATOR, check=_charts),
    # alpha: the browser sweep's network (its actions below act on beta).
    "console:network": Route(
        "get", lambda w: "/console/reseaux/alpha/", OPERATOR, check=_shows_alpha
    ),
    "console:suspend": Route(
        "post", lambda w: BETA + "suspendre/", OPERATOR, 302,
        data=lambda w: {"reason": "Impayé"}, check=_suspended,
    ),
    "console:resume": Route(
        "post", lambda w: BETA + "reprendre/", OPERATOR, 302, data=_suspend_first,
        check=_resumed,
    ),
    "console:export": Route(
        "post", lambda w: BETA + "exporter/", OPERATOR, 302, check=_export_queued
    ),
    "console:delete": Route(
        "post", lambda w: BETA + "supprimer/", OPERATOR, 302, data=_with_export,
        check=_deleted,
    ),
    "console:grace": Route(
        "post", lambda w: BETA + "delai-de-grace/", OPERATOR, 302,
        data=lambda w: {"days": "7", "seen": w.subscription.grace_until.isoformat()},
        check=_grace_extended,
    ),
    "console:plan": Route(
        "post", lambda w: BETA + "offre/", OPERATOR, 302,
        data=lambda w: {"plan": w.paid.code}, check=_plan_changed,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("route", "role"), [(r, role) for r in ROUTES for role in ROLES])
def test_console_matrix(platform_client, console_world, route, role):
    spec = ROUTES[route]
    w = console_world
    client = platform_client(role)
    path = spec.path(w)
    data = spec.data(w) if spec.data else {}
    with schema_context("public"):
        before = db_snapshot()
        w.queue = JobQueue()
    with committed():
        response = client.post(path, data) if spec.method == "post" else client.get(path)
    if role in spec.allowed:
        assert response.status_code == spec.status, (response.status_code, path)
        if spec.status == 302:
            assert response["Location"] in ("/console/", BETA), response["Location"]
        spec.check(response, w)
        return
    if role == "staff_no_totp":
        assert response.status_code == 302, (response.status_code, path)
        assert response["Location"] == reverse("mfa_activate_totp", urlconf="config.urls_public")
    else:
        assert response.status_code == 404, (response.status_code, path)
    with schema_context("public"):
        after = db_snapshot()
    before.pop("django_session"), after.pop("django_session")
    assert after == before
    assert mail.outbox == []


@pytest.mark.parametrize("path", [
    "/console/reseaux/nulle-part/", "/console/reseaux/public/",
    "/console/reseaux/nulle-part/suspendre/", "/console/reseaux/public/supprimer/",
])  # fmt: skip
def test_unknown_and_platform_networks_do_not_exist(platform_client, path):
    client = platform_client("operator")
    assert client.get(path).status_code == 404
    assert client.post(path, {"confirmation": "public"}).status_code == 404


def test_the_console_is_not_served_on_a_network_s_domain(client_as):
    """A network's own site has no /console/: its admin gets the network's 404."""
    assert client_as("admin").get("/console/").status_code == 404
