"""Authorization matrix of the directory's API on the platform's domain (/api/annuaire/).

Reading is public: every role gets the published rows, and only them (the ids are
asserted). Writing is an operator's (staff with a second factor): anyone else, a signed-in
platform account, the manager of a claimed listing, staff without their second factor, a
network member's session (no session at all on the platform's domain), gets the API's 404
and nothing in the public schema changes.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from shared_apps.accounts.services import operator_create
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Resource,
    Review,
)
from tests.directory import browse_data as data
from tests.fixtures import db_snapshot, host_of
from tests.matrix import api

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "network_member", "account", "manager", "staff_no_totp", "operator")
# Staff without their second factor are led to set it up, and the API answers them 404
# until they do (members.middleware.SecondFactorRequiredMiddleware), reads included.
EVERYONE = frozenset(ROLES) - {"staff_no_totp"}
OPERATOR = frozenset({"operator"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Call:
    method: str
    path: Callable[[Any], str]
    allowed: frozenset[str]
    status: int = 200
    data: Callable[[Any], dict] | None = None
    check: Callable[[Any, Any], None] | None = None


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def _lists(expected: str) -> Callable[[Any, Any], None]:
    def check(response, w):
        assert _ids(response) == getattr(w, expected)
        assert "contact_email" not in response.content.decode()
        assert "proposer_email" not in response.content.decode()

    return check


def _review(model, attr: str, review: str) -> Callable[[Any, Any], None]:
    def check(response, w):
        with schema_context("public"):
            assert model.objects.get(pk=getattr(w, attr).pk).review == review

    return check


def _created(model) -> Callable[[Any, Any], None]:
    def check(response, w):
        with schema_context("public"):
            row = model.objects.get(pk=response.json()["id"])
        assert getattr(row, "review", Review.PROPOSED) == Review.PROPOSED
        assert getattr(row, "published", False) is False

    return check


def _named(model, attr: str, field: str, value: str) -> Callable[[Any, Any], None]:
    def check(response, w):
        with schema_context("public"):
            assert getattr(model.objects.get(pk=getattr(w, attr).pk), field) == value

    return check


def _listing(kind: str, prefix: str, pub: str, proposed: str, body: dict, edit: tuple):
    """The calls of one kind of listing: read, create, correct, publish, refuse."""
    model = {"association": Association, "initiative": Initiative, "event": DirectoryEvent}[kind]
    field, value = edit
    base = f"/api/annuaire/{prefix}/"
    return {
        f"directory_api:{kind}s": [
            Call("get", lambda w: base, EVERYONE, check=_lists(f"{kind}_ids")),
            Call("post", lambda w: base, OPERATOR, 201, data=lambda w: body(w) if callable(body)
                 else body, check=_created(model)),
        ],
        f"directory_api:{kind}": [
            Call("get", lambda w: f"{base}{getattr(w, pub).pk}/", EVERYONE),
            # A proposal is nobody's to read here, an operator's included (the queue is).
            Call("get", lambda w: f"{base}{getattr(w, proposed).pk}/", NOBODY),
            Call("patch", lambda w: f"{base}{getattr(w, pub).pk}/", OPERATOR,
                 data=lambda w: {field: value}, check=_named(model, pub, field, value)),
        ],
        f"directory_api:{kind}_publish": [
            Call("post", lambda w: f"{base}{getattr(w, proposed).pk}/publish/", OPERATOR,
                 data=lambda w: {}, check=_review(model, proposed, Review.PUBLISHED)),
        ],
        f"directory_api:{kind}_refuse": [
            Call("post", lambda w: f"{base}{getattr(w, proposed).pk}/refuse/", OPERATOR,
                 data=lambda w: {"reason": "Hors du champ de l'annuaire."},
                 check=_review(model, proposed, Review.REFUSED)),
        ],
    }  # fmt: skip


def _event_body(w) -> dict:
    start = timezone.now() + timezone.timedelta(days=20)
    end = start + timezone.timedelta(hours=1)
    return {
        "title": "Webinaire fictif", "summary": "Pour les aidants.", "format": "webinar",
        "starts_at": start.isoformat(), "ends_at": end.isoformat(),
        "online": True, "network_name": "Association fictive", "url": "https://e.example/",
        "pathologies": [w.cancer.slug],
    }  # fmt: skip


CALLS: dict[str, list[Call]] = {
    **_listing(
        "association", "associations", "a_pub", "a_proposed",
        {"name": "Association fictive Nouvelle", "description": "Écoute.", "regions": ["53"],
         "pathologies": ["cancer-du-poumon"], "legal_form": "association"},
        ("name", "Association fictive Renommée"),
    ),
    **_listing(
        "initiative", "initiatives", "i_pub", "i_proposed",
        {"title": "Podcast fictif", "description": "Des voix.", "carrier": "patient",
         "form": "volunteer", "motivation": "Partager.", "success_text": "La ténacité.",
         "activity": "active"},
        ("title", "Podcast fictif renommé"),
    ),
    **_listing(
        "event", "evenements", "e_pub", "e_proposed", _event_body,
        ("title", "Atelier fictif renommé"),
    ),
    "directory_api:resources": [
        Call("get", lambda w: "/api/annuaire/ressources/", EVERYONE,
             check=_lists("resource_ids")),
        Call("post", lambda w: "/api/annuaire/ressources/", OPERATOR, 201,
             data=lambda w: {"title": "Fiche fictive", "summary": "Résumé.",
                             "body": "## Titre\n\nTexte **gras**.", "themes": [w.info.slug]},
             check=_created(Resource)),
    ],
    "directory_api:resource": [
        Call("get", lambda w: f"/api/annuaire/ressources/{w.r_pub.pk}/", EVERYONE),
        Call("get", lambda w: f"/api/annuaire/ressources/{w.r_draft.pk}/", NOBODY),
        Call("patch", lambda w: f"/api/annuaire/ressources/{w.r_pub.pk}/", OPERATOR,
             data=lambda w: {"title": "Fiche renommée"},
             check=_named(Resource, "r_pub", "title", "Fiche renommée")),
    ],
    "directory_api:resource_publish": [
        Call("post", lambda w: f"/api/annuaire/ressources/{w.r_draft.pk}/publish/", OPERATOR,
             data=lambda w: {"published": True},
             check=lambda r, w: Resource.objects.get(pk=w.r_draft.pk).published),
    ],
    "directory_api:facets": [
        Call("get", lambda w: "/api/annuaire/facettes/?kind=association", EVERYONE,
             check=lambda r, w: r.json()["kinds"] == {"association": len(w.association_ids)}),
    ],
    "directory_api:schema": [
        Call("get", lambda w: "/api/annuaire/schema/", EVERYONE,
             check=lambda r, w: b"/api/annuaire/associations/{id}/publish/" in r.content),
    ],
}  # fmt: skip


# What the route-coverage test and the browser sweep read (every route is JSON: skipped by
# the sweep); the calls themselves are ``CALLS``, several per route.
ROUTES = {
    name: api(calls[0].method, calls[0].path, calls[0].allowed, calls[0].status)
    for name, calls in CALLS.items()
}


def cases() -> list[tuple[str, int, str]]:
    return [
        (name, index, role)
        for name, calls in CALLS.items()
        for index in range(len(calls))
        for role in ROLES
    ]


@pytest.fixture(scope="module")
def api_world(shared_world, session_networks, django_db_blocker):
    """Built once for the module, inside ``shared_world``'s transaction (rolled back after
    the module); each case's own transaction is rolled back after it."""
    w = SimpleNamespace()
    with django_db_blocker.unblock(), schema_context("public"):
        provisioning.platform_ensure()
        w.cancer = data.pathology("Cancer du poumon")
        w.info = data.theme("Information des patients")
        w.a_pub = data.association("Les Souffles", pathologies=[w.cancer], regions=["53"])
        w.a_other = data.association("Autre souffle")
        w.a_proposed = data.association("Proposée", review=Review.PROPOSED)
        data.association("Refusée", review=Review.REFUSED)
        w.association_ids = {w.a_pub.pk, w.a_other.pk}
        w.i_pub = data.initiative("Marche fictive", pathologies=[w.cancer])
        w.i_proposed = data.initiative("Proposée", review=Review.PROPOSED)
        w.initiative_ids = {w.i_pub.pk}
        w.e_pub = data.event("Atelier fictif", online=False, place="Brest", region="53")
        w.e_proposed = data.event("Atelier proposé", review=Review.PROPOSED)
        data.event("Passé", days=-30)
        w.event_ids = {w.e_pub.pk}
        w.r_pub = data.resource("Animer un webinaire", themes=[w.info])
        w.r_draft = data.resource("Brouillon", published=False)
        w.resource_ids = {w.r_pub.pk}
        users = get_user_model().objects
        w.account = users.create_user(username="visiteur", email="v@example.org")
        w.manager = users.create_user(username="gestion", email="g@example.org")
        w.a_other.managers.add(w.manager)
        w.a_other.claimed_at = timezone.now()
        w.a_other.save()
        w.staff = users.create_user(username="staff", email="s@example.org", is_staff=True)
        w.operator = operator_create(
            username="operateur", email="ops@example.org", password="x-long-secret-1"
        )
        TOTP.activate(w.operator, generate_totp_secret())
        alpha = session_networks.get("alpha")
        member = Client(HTTP_HOST=host_of(alpha))
    with django_db_blocker.unblock(), tenant_context(alpha):  # the session is alpha's
        member.force_login(shared_world.accounts["member"])
    w.member_cookies = member.cookies
    return w


@pytest.fixture
def world(api_world, tenant):
    return api_world


def platform_client(role: str, w) -> Client:
    with schema_context("public"):
        client = Client(HTTP_HOST="localhost")
        if role == "network_member":
            client.cookies = w.member_cookies
        elif role != "anonymous":
            user = {
                "account": w.account,
                "manager": w.manager,
                "staff_no_totp": w.staff,
                "operator": w.operator,
            }[role]
            client.force_login(user)
    return client


def _snapshot() -> dict[str, str]:
    with schema_context("public"):
        snapshot = db_snapshot()
    # Signing in (force_login) is the test's own doing, not the request's.
    for table in ("django_session", "accounts_user"):
        snapshot.pop(table, None)
    return snapshot


@pytest.mark.parametrize(("name", "index", "role"), cases())
def test_directory_api_matrix(world, name, index, role):
    call = CALLS[name][index]
    client = platform_client(role, world)
    path = call.path(world)
    body = call.data(world) if call.data else None
    before = None if role in call.allowed else _snapshot()
    with schema_context("public"):
        if call.method == "get":
            response = client.get(path)
        else:
            response = getattr(client, call.method)(
                path, data=json.dumps(body or {}), content_type="application/json"
            )
    if role in call.allowed:
        assert response.status_code == call.status, (response.status_code, response.content)
        if call.check is not None:
            with schema_context("public"):
                assert call.check(response, world) is not False
        return
    assert response.status_code == 404, (response.status_code, path)
    assert _snapshot() == before


def test_a_refusal_comes_before_the_body_and_the_csrf_check(world):
    """A malformed body or a missing CSRF token changes nothing for who may not write: the
    same 404; an operator without the token gets the CSRF refusal."""
    path = f"/api/annuaire/associations/{world.a_pub.pk}/"
    with schema_context("public"):
        for role, expected in (("account", 404), ("operator", 403)):
            client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
            client.force_login(world.account if role == "account" else world.operator)
            response = client.patch(path, data="{not json", content_type="application/json")
            assert response.status_code == expected, role
