"""Authorization matrix of the directory's map and engagement landscape, on the platform's
domain: one case per (route, role). Both are public read-only pages: every role gets the
same page, with the published listings only (the ids and counts are checked), and a visit
changes nothing in the public schema.

Roles: a signed-out visitor; a network member's session (no session on the platform's
domain); a signed-in platform account without rights; the manager of a claimed listing; an
operator (staff with TOTP).
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.accounts.services import operator_create
from shared_apps.directory.models import Initiative, Review
from tests.directory import map_data as data
from tests.fixtures import db_snapshot

pytestmark = pytest.mark.django_db

# On the platform's domain: the browser sweep opens these routes there.
PLATFORM = True
ROLES = ("anonymous", "network_member", "account", "manager", "operator")
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Route:
    method: str
    path: object  # world -> str
    allowed: frozenset
    status: int = 200
    check: object = None  # (response, world, role) -> None
    public: bool = True  # open to signed-out visitors
    is_api: bool = False  # pages, for the browser sweep


@pytest.fixture
def world(session_networks, db):
    """(The networks of the session are provisioned first, outside the test's transaction,
    for the network member's role.)"""
    with schema_context("public"):
        provisioning.platform_ensure()
        w = SimpleNamespace()
        w.operator = operator_create(
            username="operateur-carte", email="operateur-carte@example.org",
            password="x-long-secret-1",
        )  # fmt: skip
        TOTP.activate(w.operator, generate_totp_secret())
        users = get_user_model().objects
        w.account = users.create_user(username="Iris-carte", email="iris@example.org", password="x")
        w.manager = users.create_user(username="Gest-carte", email="gest@example.org", password="x")
        w.listing = data.association(name="Asso bretonne", regions=["53"])
        w.listing.managers.add(w.manager)
        w.hidden = data.association(name="Asso proposée", regions=["53"], review=Review.PROPOSED)
        w.initiative = data.initiative(
            region="04", form=Initiative.Form.ENTREPRENEURIAL, carrier=Initiative.Carrier.CAREGIVER
        )
        data.initiative(region="04", form=Initiative.Form.SALARIED, review=Review.REFUSED)
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
            elif role != "anonymous":
                client.force_login(getattr(world, role))
        return client

    return make


def _areas(response) -> dict[str, int]:
    return {link.area.code: link.area.count for link in response.context["links"]}


def _region_counts(response, world, role):
    counts = _areas(response)
    # The published association in Bretagne, not the one waiting; the published initiative
    # in La Réunion, not the refused one.
    assert (counts["53"], counts["04"], counts["11"]) == (1, 1, 0), role
    assert sum(counts.values()) == 2


def _department_counts(response, world, role):
    counts = _areas(response)
    assert all(counts[code] == 1 for code in ("22", "29", "35", "56", "974")), role
    assert sum(counts.values()) == 5


def _landscape(response, world, role):
    charts = {chart.slug: chart for chart in response.context["charts"]}
    assert [(bar.key, bar.value) for bar in charts["forms"].bars] == [("entrepreneurial", 1)]
    assert [(bar.key, bar.value) for bar in charts["carriers"].bars] == [("caregiver", 1)]
    assert charts["forms"].total == 1


ROUTES = {
    "directory_map:map": Route("get", lambda w: "/annuaire/carte/", EVERYONE,
                               check=_region_counts),
    "directory_map:map_departments": Route("get", lambda w: "/annuaire/carte/departements/",
                                           EVERYONE, check=_department_counts),
    "directory_map:landscape": Route("get", lambda w: "/annuaire/paysage/", EVERYONE,
                                     check=_landscape),
}  # fmt: skip


def cases() -> list[tuple[str, str]]:
    return [(name, role) for name in ROUTES for role in ROLES]


@pytest.mark.parametrize(("route", "role"), cases())
def test_directory_map_matrix(client_for, world, route, role):
    spec = ROUTES[route]
    client = client_for(role)
    with schema_context("public"):
        before = db_snapshot()
        response = getattr(client, spec.method)(spec.path(world))
        after = db_snapshot()
    if role in spec.allowed:
        assert response.status_code == spec.status, (route, role)
        spec.check(response, world, role)
    else:
        assert response.status_code == 404, (route, role)
    # Reading changes nothing (a signed-in visit may refresh its own session only).
    before.pop("django_session", None), after.pop("django_session", None)
    assert after == before
