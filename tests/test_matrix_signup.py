"""Authorization matrix of sign-up's pages, on the platform's domain: one case per (route,
role).

Roles: a signed-out visitor; a network member's session (no session on the platform's
domain); a platform account without an authenticator app (not a representative yet); the
representative whose requests and organization the routes name; another representative; an
operator (staff with TOTP: staff reads nobody's requests). A signed-out visitor is sent to
sign in; an account that has steps left is sent to the steps; anyone else's request or
organization is the 404 of one that does not exist, and nothing in the public schema
changes.
"""

import importlib
from dataclasses import dataclass, field

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.views import redirect_to_login
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan, Subscription
from shared_apps.signup import services
from shared_apps.signup.models import SignupRequest
from tenants.models import Organization
from tests.fixtures import db_snapshot
from tests.jobs import JobQueue, committed
from tests.signup.factories import PASSWORD, form_data, representative

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "network_member", "account", "representative", "other_representative",
         "operator")  # fmt: skip
EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset({"account", "representative", "other_representative", "operator"})
READY = frozenset({"representative", "other_representative", "operator"})
OWNER = frozenset({"representative"})
SIGNED_OUT = frozenset({"anonymous", "network_member"})

PLATFORM = True  # the browser sweep opens these pages on the platform's domain


@dataclass(frozen=True)
class Route:
    method: str
    path: object  # world -> str
    allowed: frozenset
    status: int = 200
    data: object = None  # world -> dict
    check: object = None  # (response, world, role) -> None
    # What a refused role gets besides 404: an account with steps left is sent to them.
    refused: dict = field(default_factory=dict)
    public: bool = False
    is_api: bool = False


@pytest.fixture(scope="module")
def signup_world(shared_world, session_networks, django_db_blocker):
    """The shared world plus, in the public schema: the accounts of the roles, the
    representative's organization on a three-network plan with a ready request (network
    alpha), a failed one and one waiting for its payment, and the other representative's
    request."""
    w = shared_world
    with django_db_blocker.unblock(), schema_context("public"):
        provisioning.platform_ensure()
        w.signup_users = {
            "account": representative("signup-account", totp=False),
            "representative": representative("signup-rep"),
            "other_representative": representative("signup-other"),
            "operator": representative("signup-ops", is_staff=True),
        }
        rep, other = w.signup_users["representative"], w.signup_users["other_representative"]
        # For the browser sweep: who signs in on the platform's domain, with which secret.
        w.platform_logins = {
            **getattr(w, "platform_logins", {}),
            "representative": (rep.email, PASSWORD),
        }
        w.platform_secrets = {
            **getattr(w, "platform_secrets", {}),
            "representative": rep.secret,
        }
        # The plans billing's migration seeds, again if a test that committed flushed them.
        importlib.import_module("shared_apps.billing.migrations.0003_default_plans").seed(
            django_apps, None
        )
        monthly = Plan.objects.get(code="association-mensuel")
        w.signup_org = Organization.objects.create(name="Asso matrice", slug="asso-matrice")
        Subscription.objects.create(
            organization=w.signup_org, plan=monthly, status=Subscription.Status.ACTIVE
        )
        w.signup_ready = SignupRequest.objects.create(
            account=rep, organization=w.signup_org, network_name="Réseau alpha",
            subdomain="alpha", status=SignupRequest.Status.READY,
            tenant=session_networks.get("alpha"), invitation_url="/invitation/cle-matrice/",
            handover_nonce="nonce-matrice",
        )  # fmt: skip
        w.signup_failed = SignupRequest.objects.create(
            account=rep, organization=w.signup_org, network_name="Réseau échoué",
            subdomain="echec-matrice", status=SignupRequest.Status.FAILED, error="Erreur.",
        )  # fmt: skip
        w.signup_paying = SignupRequest.objects.create(
            account=rep, organization=w.signup_org, network_name="Réseau payant",
            subdomain="payant-matrice", plan=monthly,
            status=SignupRequest.Status.AWAITING_PAYMENT,
        )  # fmt: skip
        other_org = Organization.objects.create(name="Autre asso", slug="autre-matrice")
        w.signup_other = SignupRequest.objects.create(
            account=other, organization=other_org, network_name="Réseau autre",
            subdomain="autre-matrice", status=SignupRequest.Status.QUEUED,
        )  # fmt: skip
    return w


@pytest.fixture
def world(signup_world, tenant):
    return signup_world


@pytest.fixture
def role_accounts(signup_world):
    return signup_world.accounts


@pytest.fixture
def client_for(client_as, world):
    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
            if role == "network_member":
                client.cookies = client_as("member").cookies
                assert "sessionid" in client.cookies
            elif role in SIGNED_IN:
                client.force_login(world.signup_users[role])
        return client

    return make


def _reload(obj):
    with schema_context("public"):
        obj.refresh_from_db()
    return obj


def _created(response, world, role):
    with schema_context("public"):
        made = SignupRequest.objects.get(subdomain=f"m-{role.replace('_', '-')}")
    assert made.account == world.signup_users[role]
    assert response["Location"] == f"/inscription/{made.pk}/"
    assert [name for name in world.queue.names()] == [services.PROVISION_JOB]


def _added(response, world, role):
    with schema_context("public"):
        made = SignupRequest.objects.get(subdomain="m-ajout")
    assert made.organization_id == world.signup_org.pk
    assert response["Location"] == f"/inscription/{made.pk}/"


def _availability(response, world, role):
    assert response.context["availability"].available is True


def _shows_the_ready_request(response, world, role):
    assert response.context["signup"].pk == world.signup_ready.pk
    assert response.context["handover_url"].startswith(
        f"/inscription/{world.signup_ready.pk}/ouvrir/?jeton="
    )


def _handed_over(response, world, role):
    assert response["Location"].endswith("alpha.localhost/invitation/cle-matrice/")
    assert _reload(world.signup_ready).handover_nonce != "nonce-matrice"


def _retried(response, world, role):
    assert _reload(world.signup_failed).status == SignupRequest.Status.QUEUED
    assert world.queue.names() == [services.PROVISION_JOB]


def _still_waiting(response, world, role):
    # Billing is off in the tests: no Checkout, the progress page says why.
    assert response["Location"] == f"/inscription/{world.signup_paying.pk}/"
    assert _reload(world.signup_paying).status == SignupRequest.Status.AWAITING_PAYMENT


def _payment_confirmed(response, world, role):
    # The organization's subscription is paid (billing recorded it): the creation starts.
    assert response["Location"] == f"/inscription/{world.signup_paying.pk}/"
    assert _reload(world.signup_paying).status == SignupRequest.Status.QUEUED
    assert world.queue.names() == [services.PROVISION_JOB]


def _lists_mine(response, world, role):
    mine = {
        "representative": [[world.signup_ready.pk, world.signup_failed.pk, world.signup_paying.pk]],
        "other_representative": [[world.signup_other.pk]],
    }
    listed = [[r.pk for r in row.requests] for row in response.context["organizations"]]
    assert listed == mine.get(role, [])


def _token(w) -> str:
    return services.handover_token(request=w.signup_ready)


TO_STEPS = {"account": 302}

ROUTES = {
    "signup:start": Route("get", lambda w: "/inscription/", EVERYONE, public=True),
    "signup:create": Route(
        "post", lambda w: "/inscription/reseau/", READY, 302,
        data=lambda w: form_data(f"m-{w.role.replace('_', '-')}"), check=_created,
        refused=TO_STEPS,
    ),
    "signup:subdomain_check": Route(
        "get", lambda w: "/inscription/adresse/?subdomain=libre-matrice", SIGNED_IN,
        check=_availability,
    ),
    "signup:progress": Route(
        "get", lambda w: f"/inscription/{w.signup_ready.pk}/", OWNER,
        check=_shows_the_ready_request,
    ),
    "signup:progress_status": Route(
        "get", lambda w: f"/inscription/{w.signup_ready.pk}/etat/", OWNER,
        check=_shows_the_ready_request,
    ),
    "signup:handover": Route(
        "get", lambda w: f"/inscription/{w.signup_ready.pk}/ouvrir/?jeton={_token(w)}", OWNER,
        302, check=_handed_over, refused=TO_STEPS,
    ),
    "signup:retry": Route(
        "post", lambda w: f"/inscription/{w.signup_failed.pk}/reessayer/", OWNER, 302,
        check=_retried, refused=TO_STEPS,
    ),
    "signup:pay": Route(
        "post", lambda w: f"/inscription/{w.signup_paying.pk}/paiement/", OWNER, 302,
        check=_still_waiting, refused=TO_STEPS,
    ),
    "signup:payment_return": Route(
        "get", lambda w: f"/inscription/{w.signup_paying.pk}/paiement/retour/", OWNER, 302,
        check=_payment_confirmed,
    ),
    "signup:networks": Route("get", lambda w: "/mes-reseaux/", SIGNED_IN, check=_lists_mine),
    "signup:network_add": Route(
        "post", lambda w: f"/mes-reseaux/{w.signup_org.pk}/nouveau/", OWNER, 302,
        data=lambda w: {"network_name": "Réseau ajouté", "subdomain": "m-ajout"},
        check=_added, refused=TO_STEPS,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("route", "role"), [(r, role) for r in ROUTES for role in ROLES])
def test_signup_matrix(client_for, world, route, role):
    spec = ROUTES[route]
    world.role = role
    client = client_for(role)
    path = spec.path(world)
    data = spec.data(world) if spec.data else {}
    with schema_context("public"):
        before = db_snapshot()
        world.queue = JobQueue()
    with committed():
        response = getattr(client, spec.method)(path, data)
    if role in spec.allowed:
        assert response.status_code == spec.status, (response.status_code, path)
        if spec.check is not None:
            spec.check(response, world, role)
        return
    if role in SIGNED_OUT and not spec.public:
        assert response.status_code == 302, (response.status_code, path)
        assert response["Location"] == redirect_to_login(path, "/comptes/login/")["Location"]
    elif role in spec.refused:
        assert response.status_code == spec.refused[role], (response.status_code, path)
        assert response["Location"] == "/inscription/"
    else:
        assert response.status_code == 404, (response.status_code, path)
    with schema_context("public"):
        after = db_snapshot()
    # A session may be saved (a message); nothing else moves.
    before.pop("django_session"), after.pop("django_session")
    assert after == before
    assert mail.outbox == []


def test_forged_ids_do_not_exist(client_for, world):
    client = client_for("representative")
    for path in (
        "/inscription/999999/",
        "/inscription/999999/etat/",
        f"/inscription/{world.signup_other.pk}/",
        f"/inscription/{world.signup_other.pk}/ouvrir/?jeton=x",
        "/mes-reseaux/999999/nouveau/",
        f"/mes-reseaux/{world.signup_other.organization_id}/nouveau/",
    ):
        assert client.get(path).status_code == 404, path
