"""Authorization matrix of the webinar themes pages (/evenements/themes/): only those who
write events (admins here; organizers in tests/events/test_themes.py) see the themes and
write a webinar from one; every other role gets 404 (or sign-in when signed out) and nothing
changes."""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.events.models import Event, ThemeWebinar
from tenant_apps.knowledge.models import Category, Question
from tests.matrix import ADMIN, Route, cases, check

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def themes_world(shared_world, session_networks, django_db_blocker):
    """The shared world (tests/fixtures.py build_world), plus a theme with a member's
    question, inside its module transaction."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        w.theme = Category.objects.create(name="Thème du webinaire", slug="theme-du-webinaire")
        Question.objects.create(asker=w.people["member"], text="Et après ?", category=w.theme)
    return w


@pytest.fixture
def world(themes_world, tenant):
    return themes_world


@pytest.fixture
def role_accounts(themes_world):
    return themes_world.accounts


def _webinar_written(response, w, role) -> bool:
    origin = ThemeWebinar.objects.select_related("event").get(category=w.theme)
    return (
        origin.event.status == Event.Status.DRAFT
        and response["Location"] == f"/evenements/{origin.event.pk}/modifier/"
        and list(origin.askers.all()) == [w.people["member"]]
    )


ROUTES = {
    "events:themes": Route(
        "get",
        lambda w: "/evenements/themes/",
        ADMIN,
        check=lambda r, w, role: "Thème du webinaire" in r.content.decode(),
    ),
    "events:theme_webinar": Route(
        "post",
        lambda w: f"/evenements/themes/{w.theme.pk}/webinaire/",
        ADMIN,
        302,
        check=_webinar_written,
    ),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_event_themes_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
