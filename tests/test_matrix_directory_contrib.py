"""Authorization matrix of the directory's contributors' and operators' pages, on the
platform's domain: one case per (route, role).

Roles: a signed-out visitor; a network member's session (no session on the platform's
domain); a signed-in platform account without rights; the manager of listing A; the manager
of listing B (refused on A); an operator (staff with TOTP). A refusal is the 404 of a page
that does not exist and changes nothing in the public schema.
"""

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import services
from shared_apps.directory.models import Association, Resource, Review
from tests.directory.test_contrib import association_data, token
from tests.fixtures import db_snapshot
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "network_member", "account", "manager", "other_manager", "operator")
EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset({"account", "manager", "other_manager", "operator"})
OPERATOR = frozenset({"operator"})
MANAGER = frozenset({"manager"})


@dataclass(frozen=True)
class Route:
    method: str
    path: object  # world -> str
    allowed: frozenset
    status: int = 200
    data: object = None  # world -> dict
    check: object = None  # (response, world, role) -> None
    # What a role outside ``allowed`` gets (404 unless the page answers for itself).
    refused_status: int = 404
    # Signed out (a network's session is none here): sent to sign in, then to this page.
    sign_in_to: str = ""
    # What the browser sweep asks of a matrix's routes: none is an API's, and every public
    # page is swept signed out already.
    public: bool = False
    is_api: bool = False


def _listing(name: str, **fields) -> Association:
    return Association.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), description="Entraide.",
        review=Review.PUBLISHED, contact_email=f"contact@{name.lower().replace(' ', '')}.example",
        **fields,
    )  # fmt: skip


PLATFORM = True  # the browser sweep opens these pages on the platform's domain
PASSWORD = "x-long-secret-contrib"


def _login(username: str, **options):
    """A platform account with a verified address, which signs in like a person would."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **options
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture(scope="module")
def contrib_world(shared_world, session_networks, django_db_blocker):
    """The shared world plus, in the public schema: two published listings with a manager
    each, a proposal, a resource, a platform account without rights and an operator."""
    w = shared_world
    with django_db_blocker.unblock(), schema_context("public"):
        provisioning.platform_ensure()
        w.contrib_users = {
            "account": _login("contrib-iris"),
            "manager": _login("contrib-gestion"),
            "other_manager": _login("contrib-autre"),
            "operator": _login("contrib-ops", is_staff=True),
        }
        TOTP.activate(w.contrib_users["operator"], generate_totp_secret())
        # For the browser sweep: who signs in on the platform's domain besides the operator.
        w.platform_logins = {
            **getattr(w, "platform_logins", {}),
            **{role: (w.contrib_users[role].email, PASSWORD) for role in ("account", "manager")},
        }
        w.contrib_a = _listing("Contrib A")
        w.contrib_b = _listing("Contrib B")
        w.contrib_a.managers.add(w.contrib_users["manager"])
        # Signed once: a token signed again a second later differs (its timestamp), and the
        # browser sweep compares the page it lands on with the route's path.
        w.contrib_claim_token = services.claim_token(w.contrib_a)
        w.contrib_b.managers.add(w.contrib_users["other_manager"])
        w.contrib_proposal = Association.objects.create(
            name="Proposée contrib", slug="proposee-contrib", description="À relire.",
            proposer_email="p@example.org",
        )  # fmt: skip
        # Written directly: the service's durable transaction cannot nest in the module's.
        w.contrib_resource = Resource.objects.create(
            title="Trouver un local", slug="trouver-un-local", summary="Pas à pas.",
            body="# Oui", body_html="<h2>Oui</h2>",
        )  # fmt: skip
    return w


@pytest.fixture
def world(contrib_world, tenant):
    return contrib_world


@pytest.fixture
def role_accounts(contrib_world):
    return contrib_world.accounts


@pytest.fixture
def client_for(client_as, world):
    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
            if role == "network_member":
                client.cookies = client_as("member").cookies
                assert "sessionid" in client.cookies
            elif role in SIGNED_IN:
                client.force_login(world.contrib_users[role])
        return client

    return make


def _reload(obj):
    with schema_context("public"):
        obj.refresh_from_db()
    return obj


def _proposed(response, world, role):
    with schema_context("public"):
        assert Association.objects.filter(name=f"Proposée par {role}").count() == 1


def _claim_sent(response, world, role):
    with schema_context("public"):
        world.queue.run()
    assert [m.to for m in mail.outbox] == [["contact@contriba.example"]]


def _claimed(response, world, role):
    with schema_context("public"):
        assert world.contrib_a.managers.filter(username=_user(world, role).username).exists()


def _user(world, role):
    return world.contrib_users[role]


def _lists_managed(response, world, role):
    mine = {"manager": [world.contrib_a.pk], "other_manager": [world.contrib_b.pk]}
    assert [a.pk for a in response.context["associations"]] == mine.get(role, [])


def _edited(response, world, role):
    assert _reload(world.contrib_a).description == "Corrigée."


def _confirmed(response, world, role):
    assert _reload(world.contrib_a).confirmed_at is not None


def _queue_lists_the_proposal(response, world, role):
    ids = [
        row.pk
        for kind, rows in response.context["waiting"]
        if kind == "association"
        for row in rows
    ]
    assert ids == [world.contrib_proposal.pk]


def _published(response, world, role):
    assert _reload(world.contrib_proposal).review == Review.PUBLISHED


def _resources_listed(response, world, role):
    assert [r.pk for r in response.context["resources"]] == [world.contrib_resource.pk]


def _resource_saved(response, world, role):
    with schema_context("public"):
        assert Resource.objects.filter(title="Trouver des fonds").count() == 1


def _resource_edited(response, world, role):
    assert _reload(world.contrib_resource).title == "Trouver un local, pas à pas"


def _resource_published(response, world, role):
    assert _reload(world.contrib_resource).published is True


def _propose_data(world):
    return association_data(name=f"Proposée par {world.role}", started=token(submission=world.role))


def _manage_data(world):
    return {**association_data(name="Contrib A", description="Corrigée."), "rna": ""}


ROUTES = {
    "directory_contrib:propose": Route("get", lambda w: "/annuaire/proposer/", EVERYONE),
    "directory_contrib:thanks": Route("get", lambda w: "/annuaire/proposer/merci/", EVERYONE),
    "directory_contrib:propose_kind": Route(
        "post", lambda w: "/annuaire/proposer/association/", EVERYONE, 302,
        data=_propose_data, check=_proposed,
    ),
    "directory_contrib:claim_request": Route(
        "post", lambda w: f"/annuaire/associations/{w.contrib_a.slug}/revendiquer/", EVERYONE, 302,
        check=_claim_sent,
    ),
    # Signed out, the link's page asks to sign in (200) and nothing changes.
    "directory_contrib:claim": Route(
        "post", lambda w: f"/annuaire/revendiquer/{w.contrib_claim_token}/",
        SIGNED_IN, 302,
        check=_claimed, refused_status=200,
    ),
    "directory_contrib:managed": Route(
        "get", lambda w: "/annuaire/gerer/", SIGNED_IN, check=_lists_managed,
        sign_in_to="/annuaire/gerer/",
    ),
    "directory_contrib:manage": Route(
        "post", lambda w: f"/annuaire/gerer/{w.contrib_a.slug}/", MANAGER, 302,
        data=_manage_data, check=_edited, sign_in_to="/annuaire/gerer/contrib-a/",
    ),
    "directory_contrib:confirm": Route(
        "post", lambda w: f"/annuaire/gerer/{w.contrib_a.slug}/a-jour/", MANAGER, 302,
        check=_confirmed, sign_in_to="/annuaire/gerer/contrib-a/",
    ),
    "directory_contrib:queue": Route(
        "get", lambda w: "/annuaire/operateurs/", OPERATOR, check=_queue_lists_the_proposal
    ),
    "directory_contrib:review": Route(
        "post", lambda w: f"/annuaire/operateurs/association/{w.contrib_proposal.pk}/",
        OPERATOR, 302,
        data=lambda w: {**association_data(name="Proposée contrib"), "action": "publish"},
        check=_published,
    ),
    "directory_contrib:resources": Route(
        "get", lambda w: "/annuaire/operateurs/ressources/", OPERATOR, check=_resources_listed
    ),
    "directory_contrib:resource_new": Route(
        "post", lambda w: "/annuaire/operateurs/ressources/nouvelle/", OPERATOR, 302,
        data=lambda w: {"title": "Trouver des fonds", "summary": "Où chercher.", "body": "Texte"},
        check=_resource_saved,
    ),
    "directory_contrib:resource_edit": Route(
        "post", lambda w: f"/annuaire/operateurs/ressources/{w.contrib_resource.pk}/",
        OPERATOR, 302,
        data=lambda w: {"title": "Trouver un local, pas à pas", "summary": "Pas à pas.",
                        "body": "# Oui"},
        check=_resource_edited,
    ),
    "directory_contrib:resource_publish": Route(
        "post", lambda w: f"/annuaire/operateurs/ressources/{w.contrib_resource.pk}/publication/",
        OPERATOR, 302, data=lambda w: {"published": "1"}, check=_resource_published,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("route", "role"), [(r, role) for r in ROUTES for role in ROLES])
def test_directory_contrib_matrix(client_for, world, route, role):
    spec = ROUTES[route]
    world.role = role
    client = client_for(role)
    path = spec.path(world)
    data = spec.data(world) if spec.data else {}
    with schema_context("public"):
        before = db_snapshot()
        world.queue = JobQueue()
    # What the request defers on commit is deferred (the jobs' table is in the snapshot).
    with committed():
        if spec.method == "post":
            response = client.post(path, data)
        else:
            response = client.get(path)
    if role in spec.allowed:
        assert response.status_code == spec.status, (response.status_code, path)
        if spec.check is not None:
            spec.check(response, world, role)
        return
    if spec.sign_in_to and role in ("anonymous", "network_member"):
        assert response.status_code == 302, (response.status_code, path)
        assert response["Location"] == f"/comptes/login/?next={quote(spec.sign_in_to)}"
    else:
        assert response.status_code == spec.refused_status, (response.status_code, path)
    with schema_context("public"):
        after = db_snapshot()
    # A signed-out visitor's session may be saved (a message); nothing else moves.
    before.pop("django_session"), after.pop("django_session")
    assert after == before
    assert mail.outbox == []


def test_forged_ids_and_kinds_do_not_exist(client_for, world):
    client = client_for("operator")
    for path in (
        "/annuaire/operateurs/association/999999/",
        "/annuaire/operateurs/personne/1/",
        f"/annuaire/operateurs/association/{world.contrib_a.pk}/",  # published: not in the queue
        "/annuaire/operateurs/ressources/999999/",
        f"/annuaire/gerer/{world.contrib_b.slug}/",
        "/annuaire/associations/inconnue/revendiquer/",
    ):
        assert client.get(path).status_code == 404, path
