"""Authorization matrix of the directory's public pages, on the platform's domain.

Everyone reads the same published listings: a visitor, a network member (whose session
cookie means nothing on the platform's domain), a platform account without rights, the
manager of a claimed listing, another listing's manager and an operator (staff with a second
factor). Each list asserts which listings come back: the published ones, never a proposed or
refused one, nor an event that is over; a listing that is not published answers 404 to all.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory.models import Review
from tests.directory import browse_data as data
from tests.matrix import Route, cases

pytestmark = pytest.mark.django_db

# The browser sweep opens these routes on the platform's domain (tests/browser/test_sweep.py).
PLATFORM = True
PLATFORM_ROLES = (
    "anonymous", "network_member", "platform_user", "manager", "other_manager", "operator",
)  # fmt: skip
EVERYONE_HERE = frozenset(PLATFORM_ROLES)


@pytest.fixture(scope="module")
def directory_world(shared_world, session_networks, django_db_blocker):
    """The shared world plus, in the public schema, published and unpublished listings of
    each kind, a claimed association with its manager, another manager and an operator."""
    w = shared_world
    with django_db_blocker.unblock(), schema_context("public"):
        provisioning.platform_ensure()
        cancer = data.pathology("Cancer du poumon")
        users = get_user_model().objects
        w.dir_users = {
            "platform_user": users.create_user("sans-droits", "sans@example.org", "x" * 12),
            "manager": users.create_user("gerante", "gerante@example.org", "x" * 12),
            "other_manager": users.create_user("autre-gerant", "autre@example.org", "x" * 12),
            "operator": users.create_user(
                "operatrice", "ops-dir@example.org", "x" * 12, is_staff=True
            ),
        }
        TOTP.activate(w.dir_users["operator"], generate_totp_secret())
        w.dir_assoc = data.association(
            "Souffle d'Armor", pathologies=[cancer], regions=["53"], claimed_at=timezone.now()
        )
        w.dir_assoc.managers.add(w.dir_users["manager"])
        w.dir_other = data.association("Autre souffle", regions=["11"])
        w.dir_other.managers.add(w.dir_users["other_manager"])
        w.dir_hidden = {
            "association": data.association("Souffle proposé", review=Review.PROPOSED),
            "association_refused": data.association("Souffle refusé", review=Review.REFUSED),
            "initiative": data.initiative("Marche proposée", review=Review.PROPOSED),
            "event": data.event("Webinaire proposé", review=Review.PROPOSED),
            "event_past": data.event("Webinaire passé", days=-10),
            "resource": data.resource("Guide brouillon", published=False),
        }
        w.dir_initiative = data.initiative(
            "Marche du souffle", pathologies=[cancer], region="53", association=w.dir_assoc
        )
        w.dir_event = data.event("Webinaire du souffle", pathologies=[cancer], region="53")
        w.dir_resource = data.resource("Animer un webinaire")
    return w


@pytest.fixture
def world(directory_world, tenant):
    return directory_world


@pytest.fixture
def role_accounts(directory_world):
    return directory_world.accounts


@pytest.fixture
def platform_client(client_as, world):
    """A client on the platform's domain as one of ``PLATFORM_ROLES``."""

    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
            if role == "network_member":
                client.cookies = client_as("member").cookies
            elif role != "anonymous":
                client.force_login(world.dir_users[role])
        return client

    return make


def _association_slugs(response) -> set[str]:
    return set(re.findall(r'href="/annuaire/associations/([\w-]+)/"', response.content.decode()))


def _initiative_slugs(response) -> set[str]:
    return set(re.findall(r'href="/annuaire/initiatives/([\w-]+)/"', response.content.decode()))


def _resource_slugs(response) -> set[str]:
    return set(re.findall(r'href="/annuaire/ressources/([\w-]+)/"', response.content.decode()))


def _event_ids(response) -> set[int]:
    return {
        int(pk) for pk in re.findall(r'href="/annuaire/agenda/(\d+)/"', response.content.decode())
    }


def _lists_associations(response, w, role):
    assert _association_slugs(response) == {w.dir_assoc.slug, w.dir_other.slug}, role


def _lists_initiatives(response, w, role):
    assert _initiative_slugs(response) == {w.dir_initiative.slug}, role


def _lists_resources(response, w, role):
    assert _resource_slugs(response) == {w.dir_resource.slug}, role


def _lists_events(response, w, role):
    assert _event_ids(response) == {w.dir_event.pk}, role


def _lists_everything(response, w, role):
    _lists_associations(response, w, role)
    _lists_initiatives(response, w, role)
    _lists_resources(response, w, role)
    _lists_events(response, w, role)


def _shows(attribute: str, title_of):
    def check(response, w, role):
        row = getattr(w, attribute)
        assert escape(title_of(row)) in response.content.decode(), role
        assert response.context["row"].pk == row.pk, role

    return check


def _ics(response, w, role):
    assert response["Content-Type"].startswith("text/calendar"), role
    body = response.content.decode()
    uids = set(re.findall(r"UID:directory-event-(\d+)@", body))
    assert uids == {str(w.dir_event.pk)}, role


def _csv(response, w, role):
    assert response["Content-Type"].startswith("text/csv"), role
    body = b"".join(response.streaming_content).decode()
    assert w.dir_assoc.slug in body and w.dir_other.slug in body, role
    for hidden in ("association", "association_refused"):
        assert w.dir_hidden[hidden].slug not in body, (role, hidden)


def _page(path, check) -> Route:
    return Route("get", path, EVERYONE_HERE, public=True, roles=PLATFORM_ROLES, check=check)


ROUTES = {
    "directory:search": _page(lambda w: "/annuaire/recherche/", _lists_everything),
    "directory:associations": _page(lambda w: "/annuaire/associations/", _lists_associations),
    "directory:association": _page(
        lambda w: f"/annuaire/associations/{w.dir_assoc.slug}/", _shows("dir_assoc", str)
    ),
    "directory:initiatives": _page(lambda w: "/annuaire/initiatives/", _lists_initiatives),
    "directory:initiative": _page(
        lambda w: f"/annuaire/initiatives/{w.dir_initiative.slug}/",
        _shows("dir_initiative", str),
    ),
    "directory:resources": _page(lambda w: "/annuaire/ressources/", _lists_resources),
    "directory:resource": _page(
        lambda w: f"/annuaire/ressources/{w.dir_resource.slug}/", _shows("dir_resource", str)
    ),
    "directory:agenda": _page(lambda w: "/annuaire/agenda/", _lists_events),
    "directory:event": _page(
        lambda w: f"/annuaire/agenda/{w.dir_event.pk}/", _shows("dir_event", str)
    ),
    "directory:agenda_ics": _page(lambda w: "/annuaire/agenda/agenda.ics", _ics),
    "directory:export": _page(lambda w: "/annuaire/export.csv?kind=association", _csv),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_directory_matrix(platform_client, world, route, role):
    spec = ROUTES[route]
    response = platform_client(role).get(spec.path(world))
    assert response.status_code == spec.status, (route, role, response.status_code)
    spec.check(response, world, role)


HIDDEN_PAGES = {
    "association": lambda w: f"/annuaire/associations/{w.dir_hidden['association'].slug}/",
    "association_refused": lambda w: (
        f"/annuaire/associations/{w.dir_hidden['association_refused'].slug}/"
    ),
    "initiative": lambda w: f"/annuaire/initiatives/{w.dir_hidden['initiative'].slug}/",
    "event": lambda w: f"/annuaire/agenda/{w.dir_hidden['event'].pk}/",
    "event_past": lambda w: f"/annuaire/agenda/{w.dir_hidden['event_past'].pk}/",
    "resource": lambda w: f"/annuaire/ressources/{w.dir_hidden['resource'].slug}/",
    "forged_slug": lambda w: "/annuaire/associations/nexiste-pas/",
    "forged_event": lambda w: "/annuaire/agenda/999999999/",
}


@pytest.mark.parametrize("role", PLATFORM_ROLES)
@pytest.mark.parametrize("hidden", list(HIDDEN_PAGES))
def test_what_is_not_published_answers_404_to_everyone(platform_client, world, hidden, role):
    """Proposed, refused, unpublished or past listings, and forged addresses: 404, the
    operator included (operators review proposals in their own queue)."""
    response = platform_client(role).get(HIDDEN_PAGES[hidden](world))
    assert response.status_code == 404, (hidden, role)


def test_a_network_members_cookie_is_anonymous_here(platform_client, world):
    """A member's session from a network is no session on the platform's domain."""
    response = platform_client("network_member").get("/annuaire/associations/")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    signed = platform_client("platform_user").get("/annuaire/associations/")
    assert signed.wsgi_request.user.is_authenticated
