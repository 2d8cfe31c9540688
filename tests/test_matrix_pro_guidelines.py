"""Authorization matrix of working groups and regional guidelines (/referentiels/,
/api/pro/guidelines/): anonymous, another network's session (beta's admin), a suspended
member, a patient member (Bob), a moderator (a patient partner: not a professional by role),
a verified professional outside the group (Violette), a member of the thoracic group (Wanda,
verified), its coordinator (Corinne, verified), an admin.

Four guidelines of the thoracic group: one for everyone (versions 1 and 2 validated), one for
professionals (version 1 in force, version 2 a draft), one for the group only (version 1 in
force), one for everyone but never validated (its group only). Reads assert which ids come
back; refusals are 404 (sign-in for signed-out visitors) and change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.members.models import Member
from tenant_apps.pro.guidelines import services
from tenant_apps.pro.models import Guideline, GuidelineVersion, WorkingGroup, WorkingGroupMember
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "moderator", "gl_pro", "gl_writer",
         "gl_coordinator", "admin")  # fmt: skip
MEMBERS = frozenset({"member", "moderator", "gl_pro", "gl_writer", "gl_coordinator", "admin"})
PROS = frozenset({"gl_pro", "gl_writer", "gl_coordinator", "admin"})
GROUP = frozenset({"gl_writer", "gl_coordinator", "admin"})
WRITERS = frozenset({"gl_writer", "gl_coordinator"})
COORDINATOR = frozenset({"gl_coordinator"})
ADMIN = frozenset({"admin"})


def _guideline(group, author, slug, visibility, versions: int, validated: int) -> Guideline:
    guideline = Guideline.objects.create(
        group=group, title=f"Référentiel {slug}", slug=slug, organ="Thorax", visibility=visibility
    )
    for number in range(1, versions + 1):
        version = GuidelineVersion.objects.create(
            guideline=guideline, number=number, change_summary=f"Changement {number}"
        )
        version.authors.add(author)
        services._write_sections(
            version,
            [{"title": "Bilan", "body": f"Scanner et TEP, version {number}."},
             {"title": "Traitement", "body": "Chirurgie."}],
        )  # fmt: skip
        if number <= validated:
            version.validated_at = timezone.now()
            version.save()
            guideline.current_version = version
            guideline.status = Guideline.Status.VALID
            guideline.valid_until = timezone.localdate() + timedelta(days=365)
    guideline.save()
    return guideline


@pytest.fixture(scope="module")
def guidelines_world(shared_world, session_networks, django_db_blocker):
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        people = {name: account(name).member for name in ("Violette", "Wanda", "Corinne")}
        Member.objects.filter(pk__in=[m.pk for m in people.values()]).update(
            verified_professional=True
        )
        w.gl_pro, w.gl_writer, w.gl_coordinator = (
            Member.objects.get(pk=m.pk) for m in people.values()
        )
        w.gl_group = WorkingGroup.objects.create(name="Thorax", slug="thorax", organ="Thorax")
        WorkingGroupMember.objects.create(group=w.gl_group, member=w.gl_writer)
        WorkingGroupMember.objects.create(
            group=w.gl_group, member=w.gl_coordinator, role="coordinator"
        )
        V = Guideline.Visibility
        w.gl_all = _guideline(w.gl_group, w.gl_writer, "pour-tous", V.EVERYONE, 2, 2)
        w.gl_pros = _guideline(w.gl_group, w.gl_writer, "pour-les-pros", V.PROFESSIONALS, 2, 1)
        w.gl_only = _guideline(w.gl_group, w.gl_writer, "pour-le-groupe", V.GROUP, 1, 1)
        w.gl_draft = _guideline(w.gl_group, w.gl_writer, "brouillon", V.EVERYONE, 1, 0)
        w.people.update(
            {"gl_pro": w.gl_pro, "gl_writer": w.gl_writer, "gl_coordinator": w.gl_coordinator}
        )
    return w


@pytest.fixture
def world(guidelines_world, tenant):
    return guidelines_world


@pytest.fixture
def role_accounts(guidelines_world):
    w = guidelines_world
    return {**w.accounts, "gl_pro": w.gl_pro.user, "gl_writer": w.gl_writer.user,
            "gl_coordinator": w.gl_coordinator.user}  # fmt: skip


def _expected(w, role) -> list[int]:
    if role in GROUP:
        return sorted([w.gl_all.pk, w.gl_pros.pk, w.gl_only.pk, w.gl_draft.pk])
    if role == "gl_pro":
        return sorted([w.gl_all.pk, w.gl_pros.pk])
    return [w.gl_all.pk]


def _list(response, w, role):
    assert sorted(g.pk for g in response.context["guidelines"]) == _expected(w, role)


def _api_list(response, w, role):
    assert sorted(g["id"] for g in response.json()) == _expected(w, role)


def _group_page(response, w, role):
    assert response.context["group"] == w.gl_group
    assert sorted(g.pk for g in response.context["guidelines"]) == _expected(w, "gl_writer")


def _version_page(response, w, role):
    assert response.context["version"].number == 1
    assert [d.state for d in response.context["diff"]] == ["added", "added"]


def _pdf(response, w, role):
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"pour-le-groupe" in response.content


def _named(response, w, role):
    return WorkingGroupMember.objects.filter(group=w.gl_group, member=w.gl_pro).exists()


def _removed(response, w, role):
    return not WorkingGroupMember.objects.filter(group=w.gl_group, member=w.gl_writer).exists()


def _validated(response, w, role):
    return Guideline.objects.get(pk=w.gl_pros.pk).current_version.number == 2


def _validity(response, w, role):
    return Guideline.objects.get(pk=w.gl_only.pk).valid_until.isoformat() == "2099-01-31"


def _new_version(response, w, role):
    return w.gl_only.versions.filter(number=2, change_summary="Suivi ajouté").exists()


def _created(response, w, role):
    return Guideline.objects.filter(title="Mésothéliome").exists()


def _group_created(response, w, role):
    return WorkingGroup.objects.filter(name="Digestif").exists()


def _sections(title="Bilan", body="Scanner, TEP et IRM."):
    return {
        "sections-TOTAL_FORMS": "1", "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "40",
        "sections-0-title": title, "sections-0-body": body,
    }  # fmt: skip


ROUTES = {
    "guidelines:list": Route("get", lambda w: "/referentiels/", MEMBERS, roles=ROLES, check=_list),
    "guidelines:groups": Route("get", lambda w: "/referentiels/groupes/", GROUP, roles=ROLES),
    "guidelines:group_create": Route(
        "get", lambda w: "/referentiels/groupes/nouveau/", ADMIN, roles=ROLES
    ),
    "guidelines:group": Route(
        "get", lambda w: "/referentiels/groupes/thorax/", GROUP, roles=ROLES, check=_group_page
    ),
    "guidelines:member_name": Route(
        "post",
        lambda w: "/referentiels/groupes/thorax/membres/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {"member": w.gl_pro.pk, "role": "member"},
        check=_named,
    ),  # fmt: skip
    "guidelines:member_remove": Route(
        "post",
        lambda w: "/referentiels/groupes/thorax/membres/retirer/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {"member": w.gl_writer.pk},
        check=_removed,
    ),  # fmt: skip
    "guidelines:create": Route(
        "get", lambda w: "/referentiels/groupes/thorax/nouveau-referentiel/", WRITERS, roles=ROLES
    ),
    "guidelines:detail": Route(
        "get",
        lambda w: "/referentiels/pour-le-groupe/",
        GROUP,
        roles=ROLES,
        check=lambda r, w, role: r.context["guideline"] == w.gl_only,
    ),  # fmt: skip
    "guidelines:version_edit": Route(
        "get", lambda w: "/referentiels/pour-le-groupe/nouvelle-version/", WRITERS, roles=ROLES
    ),
    "guidelines:version": Route(
        "get",
        lambda w: "/referentiels/pour-le-groupe/versions/1/",
        GROUP,
        roles=ROLES,
        check=_version_page,
    ),  # fmt: skip
    "guidelines:pdf": Route(
        "get",
        lambda w: "/referentiels/pour-le-groupe/versions/1/pdf/",
        GROUP,
        roles=ROLES,
        check=_pdf,
    ),  # fmt: skip
    "guidelines:validate": Route(
        "post",
        lambda w: "/referentiels/pour-les-pros/versions/2/valider/",
        COORDINATOR,
        status=302,
        roles=ROLES,
        data=lambda w: {"valid_until": ""},
        check=_validated,
    ),  # fmt: skip
    "guidelines:validity": Route(
        "post",
        lambda w: "/referentiels/pour-le-groupe/validite/",
        COORDINATOR,
        status=302,
        roles=ROLES,
        data=lambda w: {"valid_until": "2099-01-31"},
        check=_validity,
    ),  # fmt: skip
    "api_guidelines": api(
        "get", lambda w: "/api/pro/guidelines/", MEMBERS, roles=ROLES, check=_api_list
    ),
    "api_guideline": api(
        "get",
        lambda w: "/api/pro/guidelines/pour-le-groupe/",
        GROUP,
        roles=ROLES,
        check=lambda r, w, role: r.json()["id"] == w.gl_only.pk,
    ),  # fmt: skip
    "api_guideline_create": api(
        "post",
        lambda w: "/api/pro/guidelines/groups/thorax/guidelines/",
        WRITERS,
        status=201,
        roles=ROLES,
        data=lambda w: {
            "title": "Mésothéliome",
            "organ": "Thorax",
            "visibility": "group",
            "sections": [{"title": "Bilan", "body": "Scanner, TEP et IRM."}],
        },
        check=lambda r, w, role: _created(r, w, role) and r.json()["version"] is None,
    ),  # fmt: skip
    "api_guideline_version": api(
        "post",
        lambda w: "/api/pro/guidelines/pour-le-groupe/versions/",
        WRITERS,
        status=201,
        roles=ROLES,
        data=lambda w: {
            "change_summary": "Suivi ajouté",
            "sections": [{"title": "Bilan", "body": "Scanner."}],
        },
        check=lambda r, w, role: _new_version(r, w, role) and r.json()["number"] == 2,
    ),  # fmt: skip
    "api_guideline_validate": api(
        "post",
        lambda w: "/api/pro/guidelines/pour-les-pros/versions/2/validate/",
        COORDINATOR,
        roles=ROLES,
        data=lambda w: {},
        check=lambda r, w, role: _validated(r, w, role) and r.json()["version"] == 2,
    ),  # fmt: skip
}

OTHER_METHODS = {
    "guidelines:group_create": Route(
        "post",
        lambda w: "/referentiels/groupes/nouveau/",
        ADMIN,
        status=302,
        roles=ROLES,
        data=lambda w: {"name": "Digestif", "organ": "Digestif"},
        check=_group_created,
    ),  # fmt: skip
    "guidelines:create": Route(
        "post",
        lambda w: "/referentiels/groupes/thorax/nouveau-referentiel/",
        WRITERS,
        status=302,
        roles=ROLES,
        check=_created,
        data=lambda w: {
            "title": "Mésothéliome",
            "organ": "Thorax",
            "visibility": "group",
            **_sections(),
        },
    ),  # fmt: skip
    "guidelines:version_edit": Route(
        "post",
        lambda w: "/referentiels/pour-le-groupe/nouvelle-version/",
        WRITERS,
        status=302,
        roles=ROLES,
        check=_new_version,
        data=lambda w: {"change_summary": "Suivi ajouté", **_sections(body="Scanner.")},
    ),  # fmt: skip
}

# The same pages for guidelines of other audiences: who reads one visible to professionals,
# one visible to everyone, and one never validated (its group only).
# The signed-out and suspended roles are tried on the same views above.
READERS = ("member", "moderator", "gl_pro", "gl_writer", "admin")
AUDIENCES = {
    "pros_detail": Route("get", lambda w: "/referentiels/pour-les-pros/", PROS, roles=READERS),
    "pros_pdf": Route(
        "get", lambda w: "/referentiels/pour-les-pros/versions/1/pdf/", PROS, roles=READERS
    ),  # fmt: skip
    # Its draft version 2 is its group's only.
    "pros_draft": Route(
        "get", lambda w: "/referentiels/pour-les-pros/versions/2/", GROUP, roles=READERS
    ),  # fmt: skip
    "pros_api": api("get", lambda w: "/api/pro/guidelines/pour-les-pros/", PROS, roles=READERS),
    "all_detail": Route("get", lambda w: "/referentiels/pour-tous/", MEMBERS, roles=READERS),
    "all_diff": Route(
        "get",
        lambda w: "/referentiels/pour-tous/versions/2/",
        MEMBERS,
        roles=READERS,
        check=lambda r, w, role: [d.state for d in r.context["diff"]] == ["changed", "same"],
    ),  # fmt: skip
    "draft_detail": Route("get", lambda w: "/referentiels/brouillon/", GROUP, roles=READERS),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_guidelines_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(OTHER_METHODS))
def test_guidelines_other_methods_matrix(client_as, world, route, role):
    check(OTHER_METHODS, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(AUDIENCES))
def test_guidelines_audiences_matrix(client_as, world, route, role):
    check(AUDIENCES, route, role, client_as, world)
