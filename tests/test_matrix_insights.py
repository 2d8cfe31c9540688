"""Authorization matrix of the anonymous statistics: only the association's admins list,
build, preview, publish, share and list releases, through the pages and the API; members,
moderators, a suspended member, another network's session and signed-out visitors get the
404 of a missing page (or are sent to sign in) and nothing changes. The shared link shows its
release to anyone, signed in or not. Lists assert which releases come back."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.insights import services
from tenant_apps.insights.models import Release
from tests import matrix
from tests.insights.world import people
from tests.matrix import ADMIN, Route, api, cases, check

pytestmark = pytest.mark.django_db

ROLES = matrix.STAFF_ROLES
# The shared page: anyone; a suspended member is signed out and sent home, as everywhere.
READERS = frozenset({"anonymous", "other_network", "member", "moderator", "admin"})
CHOICES = {
    "measure": "members",
    "first": "region",
    "second": "",
    "period_start": "2026-01",
    "period_end": "2026-12",
    "threshold": "10",
    "epsilon": "0.50",
}


def _published(admin, title: str, *, shared: bool) -> Release:
    params = services.params_clean(
        measure="members", dimensions=["region"], period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 1), threshold=10, epsilon="0.5",
    )  # fmt: skip
    release = services.release_publish(member=admin, title=title, params=params)
    if shared:
        release = services.release_share(member=admin, release=release, shared=True)
    return release


@pytest.fixture(scope="module")
def insights_world(shared_world, session_networks, django_db_blocker):
    """The shared world plus twelve consenting members in Île-de-France (few: the browser
    sweep builds every matrix's world in one network, within its plan's seats), a published and
    shared release, a published one kept private, and a draft."""
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        admin = w.people["admin"]
        people(12, department="75")
        w.release = _published(admin, "Nos membres par région", shared=True)
        w.private = _published(admin, "Pour le conseil d'administration", shared=False)
        w.insights_draft = services.release_draft_create(
            member=admin, title="Brouillon", params=services.params_from_json(w.private.parameters)
        )
    return w


@pytest.fixture
def world(insights_world, tenant):
    return insights_world


@pytest.fixture
def role_accounts(insights_world):
    return insights_world.accounts


def _status(release_attr: str, expected: str):
    def check_(response, world, role):
        return Release.objects.get(pk=getattr(world, release_attr).pk).status == expected

    return check_


def _list(response, world, role):
    assert [r.pk for r in response.context["releases"]] == [
        world.insights_draft.pk, world.private.pk, world.release.pk
    ]  # fmt: skip
    assert response.context["budget"].year == timezone.localdate().year


def _detail(response, world, role):
    assert response.context["release"] == world.release
    assert response.context["view"].table.rows


def _shared_page(response, world, role):
    assert response.context["release"] == world.release


def _csv(response, world, role):
    assert response["Content-Type"].startswith("text/csv")
    assert "Nos membres par région" in response.content.decode("utf-8-sig")


def _api_list(response, world, role):
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [world.insights_draft.pk, world.private.pk, world.release.pk]


def _api_detail(response, world, role):
    body = response.json()
    assert body["id"] == world.release.pk and body["result"] == world.release.result
    assert body["share_url"].endswith(f"/statistiques/{world.release.share_token}/")


def _api_preview(response, world, role):
    body = response.json()
    assert body["rows"] and body["figures"] > 0 and body["refusal"] == ""
    # A preview tells the shape only: no count, and not which values would be hidden.
    assert not {"hidden", "hidden_count", "published_count", "cells", "total"} & set(body)


def _draft_made(response, world, role):
    return Release.objects.filter(title="Par la matrice", status=Release.Status.DRAFT).exists()


ROUTES = {
    "insights:release_list": Route(
        "get", lambda w: "/association/statistiques/", ADMIN, roles=ROLES, check=_list
    ),
    "insights:release_new": Route(
        "get",
        lambda w: "/association/statistiques/nouveau/",
        ADMIN,
        roles=ROLES,
        check=lambda r, w, role: "form" in r.context,
    ),  # fmt: skip
    "insights:release_detail": Route(
        "get",
        lambda w: f"/association/statistiques/{w.release.pk}/",
        ADMIN,
        roles=ROLES,
        check=_detail,
    ),  # fmt: skip
    "insights:release_csv": Route(
        "get",
        lambda w: f"/association/statistiques/{w.release.pk}/statistiques.csv",
        ADMIN,
        roles=ROLES,
        check=_csv,
    ),  # fmt: skip
    "insights:release_publish": Route(
        "post",
        lambda w: f"/association/statistiques/{w.insights_draft.pk}/publier/",
        ADMIN,
        status=302,
        roles=ROLES,
        check=_status("insights_draft", Release.Status.PUBLISHED),
    ),  # fmt: skip
    "insights:release_delete": Route(
        "post",
        lambda w: f"/association/statistiques/{w.insights_draft.pk}/supprimer/",
        ADMIN,
        status=302,
        roles=ROLES,
        check=lambda r, w, role: not Release.objects.filter(pk=w.insights_draft.pk).exists(),
    ),  # fmt: skip
    "insights:release_share": Route(
        "post",
        lambda w: f"/association/statistiques/{w.private.pk}/partage/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {"on": "on"},
        check=lambda r, w, role: Release.objects.get(pk=w.private.pk).shared,
    ),  # fmt: skip
    "insights:release_directory": Route(
        "post",
        lambda w: f"/association/statistiques/{w.release.pk}/annuaire/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {"on": "on"},
        check=lambda r, w, role: Release.objects.get(pk=w.release.pk).listed_in_directory,
    ),  # fmt: skip
    "insights_shared:page": Route(
        "get",
        lambda w: f"/statistiques/{w.release.share_token}/",
        READERS,
        roles=ROLES,
        public=True,
        check=_shared_page,
    ),  # fmt: skip
    "insights_shared:csv": Route(
        "get",
        lambda w: f"/statistiques/{w.release.share_token}/statistiques.csv",
        READERS,
        roles=ROLES,
        public=True,
        check=_csv,
    ),  # fmt: skip
    "api_insights_releases": api(
        "get", lambda w: "/api/insights/releases/", ADMIN, roles=ROLES, check=_api_list
    ),
    "api_insights_release": api(
        "get",
        lambda w: f"/api/insights/releases/{w.release.pk}/",
        ADMIN,
        roles=ROLES,
        check=_api_detail,
    ),  # fmt: skip
    "api_insights_release_publish": api(
        "post",
        lambda w: f"/api/insights/releases/{w.insights_draft.pk}/publish/",
        ADMIN,
        roles=ROLES,
        check=_status("insights_draft", Release.Status.PUBLISHED),
    ),  # fmt: skip
    "api_insights_preview": api(
        "post",
        lambda w: "/api/insights/preview/",
        ADMIN,
        roles=ROLES,
        data=lambda w: {
            "measure": "members",
            "dimensions": ["region", "profile_type"],
            "period_start": "2026-01-01",
            "period_end": "2026-12-01",
        },
        check=_api_preview,
    ),  # fmt: skip
}

OTHER_METHODS = {
    "insights:release_new": Route(
        "post",
        lambda w: "/association/statistiques/nouveau/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {**CHOICES, "title": "Par la matrice"},
        check=_draft_made,
    ),  # fmt: skip
    "insights:release_detail": Route(
        "post",
        lambda w: f"/association/statistiques/{w.insights_draft.pk}/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {**CHOICES, "title": "Par la matrice"},
        check=_draft_made,
    ),  # fmt: skip
    "api_insights_releases": api(
        "post",
        lambda w: "/api/insights/releases/",
        ADMIN,
        status=201,
        roles=ROLES,
        data=lambda w: {
            "title": "Publié par l'API",
            "measure": "members",
            "dimensions": ["profile_type"],
            "period_start": "2026-01-01",
            "period_end": "2026-12-01",
            "epsilon": "0.25",
        },
        check=lambda r, w, role: Release.objects.get(pk=r.json()["id"]).epsilon == Decimal("0.25"),
    ),  # fmt: skip
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_insights_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_insights_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)
