"""Authorization matrix of the care offer (/offre-de-soins/…), care pathways, local groups
(/groupes-locaux/…) and their API (/api/pro/care/…): anonymous, another network's session,
a suspended member, a patient member (Bob), a verified professional (Valentine), a moderator, an
admin. Members read the offer and the published pathways; admins write and see unpublished
pathways; anyone else gets 404 (or sign-in for a page when signed out) and nothing changes.
"""

import pytest
from django_tenants.utils import tenant_context

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Group
from tenant_apps.members.models import Member
from tenant_apps.pro.care import services
from tenant_apps.pro.models import CarePathway, CareProvider
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "pro", "moderator", "admin")
READERS = frozenset({"member", "pro", "moderator", "admin"})
ADMIN = frozenset({"admin"})


@pytest.fixture(scope="module")
def care_world(shared_world, session_networks, django_db_blocker):
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        admin = w.people["admin"]
        vera = account("Valentine").member
        Member.objects.filter(pk=vera.pk).update(verified_professional=True)
        w.people["pro"] = Member.objects.get(pk=vera.pk)
        w.pro_user = vera.user
        w.chu = services.provider_create(
            actor=admin, name="CHU de Poitiers", kind="establishment", city="Poitiers",
            department="86", postcode="86000", specialties="oncologie, pneumologie",
        )  # fmt: skip
        w.service = services.provider_create(
            actor=admin, name="Pneumologie — CHU de Poitiers", kind="service",
            establishment=w.chu, city="Poitiers", department="86",
            specialties="cancer du poumon",
        )  # fmt: skip
        w.ligue = services.provider_create(
            actor=admin, name="Ligue contre le cancer — comité de la Charente", city="Angoulême",
            kind="supportive_care", department="16", specialties="soins de support",
        )  # fmt: skip
        w.care_published = services.pathway_save(
            actor=admin, title="Cancer du poumon dans la Vienne", pathology="Cancer du poumon",
            department="86", summary="Le parcours.", body="## Étape 1\nLe scanner.",
            published=True, providers=[w.chu, w.service],
        )  # fmt: skip
        w.care_draft = services.pathway_save(
            actor=admin, title="Parcours en préparation", pathology="Cancer du sein",
            department="17", summary="Bientôt.", body="Brouillon.", published=False,
        )  # fmt: skip
        w.local = services.local_group_create(
            proposer=admin, name="Vienne : entraide", description="Entre voisins.",
            space=w.patients, access=Group.Access.PUBLIC, department="86",
        )  # fmt: skip
        forums.group_approve(group=w.local, moderator=w.people["moderator"])
    return w


@pytest.fixture
def world(care_world, tenant):
    return care_world


@pytest.fixture
def role_accounts(care_world):
    return {**care_world.accounts, "pro": care_world.pro_user}


def _lists(*names):
    def checked(response, w, role):
        body = response.content.decode()
        for name in names:
            assert f'id="provider-{getattr(w, name).pk}"' in body, name

    return checked


def _api_ids(response, w, role):
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {w.chu.pk, w.service.pk, w.ligue.pk}


def _pathways(response, w, role):
    slugs = {row["slug"] for row in response.json()}
    expected = (
        {w.care_published.slug, w.care_draft.slug} if role == "admin" else {w.care_published.slug}
    )
    assert slugs == expected


def _new_provider(w):
    return {"name": "Clinique Saint-Joseph", "kind": "establishment", "city": "Angoulême",
            "department": "16", "postcode": "16000"}  # fmt: skip


ROUTES = {
    "care:list": Route(
        "get", lambda w: "/offre-de-soins/", READERS, roles=ROLES,
        check=_lists("chu", "service", "ligue"),
    ),
    "care:map": Route(
        "get", lambda w: "/offre-de-soins/carte/", READERS, roles=ROLES,
        check=lambda r, w, role: 'data-code="75" data-count="3"' in r.content.decode(),
    ),
    "care:map_departments": Route(
        "get", lambda w: "/offre-de-soins/carte/departements/", READERS, roles=ROLES,
        check=lambda r, w, role: 'data-code="86" data-count="2"' in r.content.decode(),
    ),
    "care:provider": Route(
        "get", lambda w: f"/offre-de-soins/{w.chu.pk}/", READERS, roles=ROLES,
        check=lambda r, w, role: "Pneumologie — CHU de Poitiers" in r.content.decode(),
    ),
    "care:provider_new": Route(
        "post", lambda w: "/offre-de-soins/ajouter/", ADMIN, 302, roles=ROLES,
        data=_new_provider,
        check=lambda r, w, role: CareProvider.objects.filter(
            name="Clinique Saint-Joseph", region="75"
        ).exists(),
    ),
    "care:provider_edit": Route(
        "post", lambda w: f"/offre-de-soins/{w.ligue.pk}/modifier/", ADMIN, 302, roles=ROLES,
        data=lambda w: {**_new_provider(w), "name": "Ligue — Charente", "kind": "supportive_care"},
        check=lambda r, w, role: CareProvider.objects.get(pk=w.ligue.pk).name == "Ligue — Charente",
    ),
    "care:import": Route("get", lambda w: "/offre-de-soins/importer/", ADMIN, roles=ROLES),
    "care:pathways": Route(
        "get", lambda w: "/offre-de-soins/parcours/", READERS, roles=ROLES,
        check=lambda r, w, role: (w.care_draft.title in r.content.decode()) == (role == "admin"),
    ),
    "care:pathway": Route(
        "get", lambda w: f"/offre-de-soins/parcours/{w.care_draft.slug}/", ADMIN, roles=ROLES
    ),
    "care:pathway_new": Route(
        "post", lambda w: "/offre-de-soins/parcours/nouveau/", ADMIN, 302, roles=ROLES,
        data=lambda w: {"title": "Cancer du sein en Charente", "pathology": "Cancer du sein",
                        "department": "16", "summary": "Le parcours.", "body": "## 1.\nOui.",
                        "providers": [w.ligue.pk], "published": "on"},
        check=lambda r, w, role: list(
            CarePathway.objects.get(title="Cancer du sein en Charente").providers.all()
        ) == [w.ligue],
    ),
    "care:pathway_edit": Route(
        "post", lambda w: f"/offre-de-soins/parcours/{w.care_published.slug}/modifier/", ADMIN, 302,
        roles=ROLES,
        data=lambda w: {"title": "Poumon : le parcours", "pathology": "Cancer du poumon",
                        "department": "86", "summary": "Mis à jour.", "body": "## 1.\nScanner."},
        check=lambda r, w, role: CarePathway.objects.get(pk=w.care_published.pk).title
        == "Poumon : le parcours",
    ),
    "local_groups:list": Route(
        "get", lambda w: "/groupes-locaux/", READERS, roles=ROLES,
        check=lambda r, w, role: f'id="local-group-{w.local.slug}"' in r.content.decode(),
    ),
    "local_groups:new": Route(
        "post", lambda w: "/groupes-locaux/nouveau/", READERS, 302, roles=ROLES,
        data=lambda w: {"name": "Charente : rencontres", "description": "Café mensuel.",
                        "space": w.patients.pk, "access": "public", "department": "16"},
        check=lambda r, w, role: Group.objects.filter(
            name="Charente : rencontres", locality__department="16"
        ).exists(),
    ),  # fmt: skip
    "api_care_providers": api(
        "get", lambda w: "/api/pro/care/providers/", READERS, roles=ROLES, check=_api_ids
    ),
    "api_care_provider": api(
        "patch", lambda w: f"/api/pro/care/providers/{w.ligue.pk}/", ADMIN, roles=ROLES,
        data=lambda w: {"phone": "05 45 00 00 00"},
        check=lambda r, w, role: CareProvider.objects.get(pk=w.ligue.pk).phone == "05 45 00 00 00",
    ),
    "api_care_areas": api(
        "get", lambda w: "/api/pro/care/areas/", READERS, roles=ROLES,
        check=lambda r, w, role: r.json()["departments"]["86"] == 2,
    ),
    "api_care_pathways": api(
        "get", lambda w: "/api/pro/care/pathways/", READERS, roles=ROLES, check=_pathways
    ),
}  # fmt: skip


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_pro_care_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
