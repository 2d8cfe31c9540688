"""Authorization matrix of the directory's contributors' and operators' pages, on the
platform's domain: one case per (route, role).

Roles: a signed-out visitor; a network member's session (no session on the platform's
domain); a signed-in platform account without rights; the manager of listing A; the manager
of listing B (refused on A); an operator (staff with TOTP). A refusal is the 404 of a page
that does not exist and changes nothing in the public schema.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory import services
from shared_apps.directory.models import Association, Resource, Review
from tests.directory.test_contrib import association_data, operator, platform_account, token
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


def _listing(name: str, **fields) -> Association:
    return Association.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), description="Entraide.",
        review=Review.PUBLISHED, contact_email=f"contact@{name.lower().replace(' ', '')}.example",
        **fields,
    )  # fmt: skip


@pytest.fixture
def world(session_networks, db):
    """(The networks of the session are provisioned first, outside the test's transaction,
    for the network member's role.)"""
    with schema_context("public"):
        provisioning.platform_ensure()
        w = SimpleNamespace()
        w.operator = operator()
        w.account = platform_account("Iris")
        w.manager = platform_account("Gestionnaire")
        w.other_manager = platform_account("Autre")
        w.a = _listing("Asso A")
        w.b = _listing("Asso B")
        w.a.managers.add(w.manager)
        w.b.managers.add(w.other_manager)
        w.proposal = Association.objects.create(
            name="Proposée", slug="proposee", description="À relire.",
            proposer_email="p@example.org",
        )  # fmt: skip
        w.resource = services.resource_save(
            operator=w.operator, title="Animer un webinaire", summary="Pas à pas.", body="# Oui"
        )
    return w


@pytest.fixture
def client_for(request, world):
    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
            if role == "network_member":
                member_client = request.getfixturevalue("client_as")("member")
                client.cookies = member_client.cookies
                assert "sessionid" in client.cookies
            elif role in SIGNED_IN:
                user = {
                    "account": world.account, "manager": world.manager,
                    "other_manager": world.other_manager, "operator": world.operator,
                }[role]  # fmt: skip
                client.force_login(user)
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
    assert [m.to for m in mail.outbox] == [["contact@assoa.example"]]


def _claimed(response, world, role):
    with schema_context("public"):
        assert world.a.managers.filter(username=_user(world, role).username).exists()


def _user(world, role):
    return {"account": world.account, "manager": world.manager,
            "other_manager": world.other_manager, "operator": world.operator}[role]  # fmt: skip


def _edited(response, world, role):
    assert _reload(world.a).description == "Corrigée."


def _confirmed(response, world, role):
    assert _reload(world.a).confirmed_at is not None


def _queue_lists_the_proposal(response, world, role):
    ids = [
        row.pk
        for kind, rows in response.context["waiting"]
        if kind == "association"
        for row in rows
    ]
    assert ids == [world.proposal.pk]


def _published(response, world, role):
    assert _reload(world.proposal).review == Review.PUBLISHED


def _resources_listed(response, world, role):
    assert [r.pk for r in response.context["resources"]] == [world.resource.pk]


def _resource_saved(response, world, role):
    with schema_context("public"):
        assert Resource.objects.filter(title="Trouver des fonds").count() == 1


def _resource_edited(response, world, role):
    assert _reload(world.resource).title == "Animer un webinaire, pas à pas"


def _resource_published(response, world, role):
    assert _reload(world.resource).published is True


def _propose_data(world):
    return association_data(name=f"Proposée par {world.role}", started=token(submission=world.role))


def _manage_data(world):
    return {**association_data(name="Asso A", description="Corrigée."), "rna": ""}


ROUTES = {
    "directory_contrib:propose": Route("get", lambda w: "/annuaire/proposer/", EVERYONE),
    "directory_contrib:thanks": Route("get", lambda w: "/annuaire/proposer/merci/", EVERYONE),
    "directory_contrib:propose_kind": Route(
        "post", lambda w: "/annuaire/proposer/association/", EVERYONE, 302,
        data=_propose_data, check=_proposed,
    ),
    "directory_contrib:claim_request": Route(
        "post", lambda w: f"/annuaire/associations/{w.a.slug}/revendiquer/", EVERYONE, 302,
        check=_claim_sent,
    ),
    # Signed out, the link's page asks to sign in (200) and nothing changes.
    "directory_contrib:claim": Route(
        "post", lambda w: f"/annuaire/revendiquer/{services.claim_token(w.a)}/", SIGNED_IN, 302,
        check=_claimed, refused_status=200,
    ),
    "directory_contrib:manage": Route(
        "post", lambda w: f"/annuaire/gerer/{w.a.slug}/", MANAGER, 302,
        data=_manage_data, check=_edited,
    ),
    "directory_contrib:confirm": Route(
        "post", lambda w: f"/annuaire/gerer/{w.a.slug}/a-jour/", MANAGER, 302, check=_confirmed
    ),
    "directory_contrib:queue": Route(
        "get", lambda w: "/annuaire/operateurs/", OPERATOR, check=_queue_lists_the_proposal
    ),
    "directory_contrib:review": Route(
        "post", lambda w: f"/annuaire/operateurs/association/{w.proposal.pk}/", OPERATOR, 302,
        data=lambda w: {**association_data(name="Proposée"), "action": "publish"},
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
        "post", lambda w: f"/annuaire/operateurs/ressources/{w.resource.pk}/", OPERATOR, 302,
        data=lambda w: {"title": "Animer un webinaire, pas à pas", "summary": "Pas à pas.",
                        "body": "# Oui"},
        check=_resource_edited,
    ),
    "directory_contrib:resource_publish": Route(
        "post", lambda w: f"/annuaire/operateurs/ressources/{w.resource.pk}/publication/",
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
        f"/annuaire/operateurs/association/{world.a.pk}/",  # published: not in the queue
        "/annuaire/operateurs/ressources/999999/",
        "/annuaire/gerer/asso-b/",
        "/annuaire/associations/inconnue/revendiquer/",
    ):
        assert client.get(path).status_code == 404, path
