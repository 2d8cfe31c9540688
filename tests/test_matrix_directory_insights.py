"""Authorization matrix of the statistics associations list in the directory
(/annuaire/statistiques/), on the platform's domain: a public read-only page. Every role gets
the same rows: the listings of open networks, newest publication first, never one of a
suspended network; a visit changes nothing in the public schema."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from shared_apps.directory import services_insights
from shared_apps.directory.services_insights import InsightCopy
from tests.fixtures import db_snapshot

pytestmark = pytest.mark.django_db

# On the platform's domain: the browser sweep opens this route there.
PLATFORM = True
ROLES = ("anonymous", "network_member", "account")
EVERYONE = frozenset(ROLES)


class Route(SimpleNamespace):
    is_api = False
    public = True


def _copy(release_id: int, title: str, days_ago: int) -> InsightCopy:
    return InsightCopy(
        release_id=release_id,
        title=title,
        network_name="Réseau Alpha",
        summary="Membres consentants par pathologie et par région",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        url=f"http://alpha.localhost/statistiques/jeton-{release_id}/",
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def world(session_networks, db):
    alpha = session_networks.get("alpha")
    w = SimpleNamespace()
    w.older = services_insights.insight_listing_upsert(
        tenant_id=alpha.pk, copy=_copy(1, "Premier semestre 2026", 10)
    )
    w.newer = services_insights.insight_listing_upsert(
        tenant_id=alpha.pk, copy=_copy(2, "Nos membres en 2026", 1)
    )
    with schema_context("public"):
        w.account = get_user_model().objects.create_user(
            username="Iris-stats", email="iris-stats@example.org", password="x"
        )
    return w


@pytest.fixture
def client_for(request, world):
    def make(role: str) -> Client:
        with schema_context("public"):
            client = Client(HTTP_HOST="localhost")
            if role == "network_member":
                client.cookies = request.getfixturevalue("client_as")("member").cookies
                assert "sessionid" in client.cookies
            elif role == "account":
                client.force_login(world.account)
        return client

    return make


def _listed(response, world, role):
    assert [row.pk for row in response.context["rows"]] == [world.newer.pk, world.older.pk]
    assert response.context["following"] == ""
    assert b"http://alpha.localhost/statistiques/jeton-2/" in response.content


ROUTES = {
    "directory_insights:list": Route(
        method="get",
        path=lambda w: "/annuaire/statistiques/",
        allowed=EVERYONE,
        status=200,
        check=_listed,
    ),
}


@pytest.mark.parametrize(("route", "role"), [(n, r) for n in ROUTES for r in ROLES])
def test_directory_insights_matrix(client_for, world, route, role):
    spec = ROUTES[route]
    client = client_for(role)
    with schema_context("public"):
        before = db_snapshot()
        response = getattr(client, spec.method)(spec.path(world))
        after = db_snapshot()
    assert response.status_code == spec.status, (route, role)
    spec.check(response, world, role)
    before.pop("django_session", None), after.pop("django_session", None)
    assert after == before
