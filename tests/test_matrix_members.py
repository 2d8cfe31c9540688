"""Authorization matrix of the members' pages: the network's home and charter, invitations,
profiles, one's own data, the association admins' area, and the platform's home."""

import pytest
from django_tenants.utils import schema_context

from tenant_apps.members.models import AuditEntry, Charter, Invitation, Member, Role
from tests import matrix
from tests.fixtures import host_of
from tests.matrix import (
    ADMIN,
    EVERY_ROLE,
    EVERYONE,
    MEMBERS,
    SIGNED_OUT,
    STAFF,
    Route,
    cases,
    check,
)

pytestmark = pytest.mark.django_db


role_accounts = matrix.role_accounts


@pytest.fixture
def world(shared_world, tenant):
    """The module's shared world, with files under /media/: alpha's logo, and Bob's avatar shown
    to the members of his spaces."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tenant_apps.members.models import ProfileType, ProfileTypeRequest

    world = shared_world
    # Carla, a caregiver, asks to be a patient: the Patients space waits for a moderator.
    world.profile_request = ProfileTypeRequest.objects.create(
        member=world.caregiver_member, requested=ProfileType.PATIENT,
        previous=ProfileType.CAREGIVER,
    )  # fmt: skip
    world.logo = default_storage.save("branding/logo.png", ContentFile(b"\x89PNG logo"))
    world.avatar = default_storage.save("avatars/bob.png", ContentFile(b"\x89PNG avatar"))
    Member.objects.filter(pk=world.member_member.pk).update(
        avatar=world.avatar, visibility_avatar="spaces"
    )
    return world


# Everyone a network's member may be, the suspended aside (signed out on their next page).
SIGNED_IN = MEMBERS


def _saw(text: str, roles: frozenset[str]):
    """The page shows ``text`` to ``roles`` only."""

    def check_(response, world, role):
        assert (text.encode() in response.content) == (role in roles), role

    return check_


def _audited(action: str):
    def check_(response, world, role):
        assert AuditEntry.objects.filter(action=action, actor=world.people[role]).exists()

    return check_


ROUTES = {
    # --- Public pages: signed-out visitors are welcome -------------------------------------
    "home": Route(
        "get",
        lambda w: "/",
        EVERYONE - {"suspended"},
        public=True,
        roles=EVERY_ROLE,
        check=_saw("Patients", SIGNED_IN - {"caregiver"} | SIGNED_OUT),
    ),  # fmt: skip
    "charter": Route("get", lambda w: "/charte/", EVERYONE - {"suspended"}, public=True),
    "invitation": Route(
        "get",
        lambda w: f"/invitation/{w.invitation.key}/",
        EVERYONE - {"suspended"},
        public=True,
    ),  # fmt: skip
    # Files: the network's branding is public, a member's avatar goes by its owner's choice
    # (an image, so a refusal is a 404 even signed out).
    "media": Route("get", lambda w: f"/media/{w.logo}", EVERYONE - {"suspended"}, public=True),
    "member_avatar": Route(
        "get",
        lambda w: f"/media/{w.avatar}",
        SIGNED_IN - {"caregiver"},
        public=True,
        roles=EVERY_ROLE,
    ),  # fmt: skip
    # --- Profiles ------------------------------------------------------------------------
    "profile": Route(
        "get", lambda w: f"/membres/{w.member_member.user.username}/", SIGNED_IN, roles=EVERY_ROLE
    ),
    "profile_edit": Route(
        "post",
        lambda w: "/profil/",
        SIGNED_IN,
        302,
        data=lambda w: {
            "profile_type": w.people.get(w.role, w.member_member).profile_type,
            "department": "33",
            "bio": "Bonjour",
            "visibility_profile_type": "network",
            "visibility_pathologies": "nobody",
            "visibility_region": "spaces",
            "visibility_bio": "network",
            "visibility_avatar": "spaces",
        },
        check=lambda r, w, role: Member.objects.get(pk=w.people[role].pk).bio == "Bonjour",
    ),  # fmt: skip
    # --- "My account" ---------------------------------------------------------------------
    "account_home": Route("get", lambda w: "/compte/", SIGNED_IN, roles=EVERY_ROLE),
    # After the second factor's setup: on to the page asked for (none here: home).
    "account_continue": Route("get", lambda w: "/compte/continuer/", SIGNED_IN, 302),
    # --- One's own data ------------------------------------------------------------------
    "gdpr_overview": Route("get", lambda w: "/mes-donnees/", SIGNED_IN),
    "gdpr_consent_withdraw": Route(
        "post", lambda w: "/mes-donnees/consentement/retirer/", SIGNED_IN, 302
    ),
    "gdpr_consent_give": Route(
        "post", lambda w: "/mes-donnees/consentement/donner/", SIGNED_IN, 302
    ),
    "gdpr_export": Route("get", lambda w: "/mes-donnees/export/", SIGNED_IN),
    "gdpr_erase": Route("get", lambda w: "/mes-donnees/supprimer/", SIGNED_IN),
    # --- The association admins' area ----------------------------------------------------
    "members_admin:member_list": Route(
        "get", lambda w: "/association/membres/", ADMIN, check=_saw("Tina", ADMIN)
    ),
    "members_admin:member_detail": Route(
        "get", lambda w: f"/association/membres/{w.tina.pk}/", ADMIN
    ),
    "members_admin:member_role": Route(
        "post",
        lambda w: f"/association/membres/{w.tina.pk}/role/",
        ADMIN,
        302,
        data=lambda w: {"role-role": Role.MODERATOR},
        check=lambda r, w, role: Member.objects.get(pk=w.tina.pk).role == Role.MODERATOR,
    ),  # fmt: skip
    "members_admin:member_suspend": Route(
        "post",
        lambda w: f"/association/membres/{w.tina.pk}/suspendre/",
        ADMIN,
        302,
        data=lambda w: {"suspend-reason": "Messages insultants", "suspend-until": "2099-01-31"},
        check=_audited("suspend"),
    ),  # fmt: skip
    "members_admin:member_reinstate": Route(
        "post",
        lambda w: f"/association/membres/{w.suspended_member.pk}/reintegrer/",
        ADMIN,
        302,
        check=lambda r, w, role: (
            Member.objects.get(pk=w.suspended_member.pk).status == Member.Status.ACTIVE
        ),
    ),  # fmt: skip
    # A change of profile type that opens a space is decided by the staff.
    "members_admin:profile_type_requests": Route(
        "get",
        lambda w: "/association/demandes-de-profil/",
        STAFF,
        check=_saw("Carla", STAFF),
    ),  # fmt: skip
    "members_admin:profile_type_request_decide": Route(
        "post",
        lambda w: f"/association/demandes-de-profil/{w.profile_request.pk}/",
        STAFF,
        302,
        data=lambda w: {"decision": "approve"},
        check=lambda r, w, role: (
            Member.objects.get(pk=w.caregiver_member.pk).profile_type == "patient"
        ),
    ),  # fmt: skip
    "members_admin:invite": Route(
        "post",
        lambda w: "/association/inviter/",
        ADMIN,
        302,
        data=lambda w: {"email": "nouveau@example.net", "role": Role.MEMBER},
        check=lambda r, w, role: Invitation.objects.get(email="nouveau@example.net"),
    ),  # fmt: skip
    "members_admin:settings": Route("get", lambda w: "/association/reglages/", ADMIN),
    "members_admin:branding": Route(
        "post",
        lambda w: "/association/reglages/marque/",
        ADMIN,
        302,
        data=lambda w: {
            "branding-display_name": "Réseau alpha",
            "branding-tagline": "",
            "branding-primary_color": "#1f5f8b",
            "branding-accent_color": "#8a3b12",
            "branding-contact_email": "",
            "branding-legal_notice": "",
            "branding-time_zone": "Europe/Paris",
        },
    ),  # fmt: skip
    "members_admin:pathology_add": Route(
        "post",
        lambda w: "/association/reglages/pathologies/",
        ADMIN,
        302,
        data=lambda w: {"pathology-new-name": "Lupus"},
    ),
    "members_admin:pathology_rename": Route(
        "post",
        lambda w: f"/association/reglages/pathologies/{w.pathology.pk}/",
        ADMIN,
        302,
        data=lambda w: {f"pathology-{w.pathology.pk}-name": "Asthme sévère"},
    ),  # fmt: skip
    "members_admin:pathology_delete": Route(
        "post",
        lambda w: f"/association/reglages/pathologies/{w.pathology.pk}/supprimer/",
        ADMIN,
        302,
    ),  # fmt: skip
    "members_admin:charter_publish": Route(
        "post",
        lambda w: "/association/reglages/charte/",
        ADMIN,
        302,
        data=lambda w: {"charter-title": "Charte 2026", "charter-body": "Soyons bienveillants."},
        check=lambda r, w, role: Charter.objects.get(title="Charte 2026"),
    ),  # fmt: skip
    "members_admin:space_add": Route(
        "post",
        lambda w: "/association/reglages/espaces/",
        ADMIN,
        302,
        data=lambda w: {
            "space-new-name": "Jeunes aidants",
            "space-new-slug": "jeunes-aidants",
            "space-new-description": "Pour les 18-25 ans",
            "space-new-audience": ["caregiver"],
        },
    ),  # fmt: skip
    "members_admin:space_edit": Route(
        "post",
        lambda w: f"/association/reglages/espaces/{w.caregivers.pk}/",
        ADMIN,
        302,
        data=lambda w: {
            f"space-{w.caregivers.pk}-name": "Proches",
            f"space-{w.caregivers.pk}-description": "Pour les proches",
            f"space-{w.caregivers.pk}-audience": ["caregiver"],
        },
    ),  # fmt: skip
    "members_admin:retention": Route(
        "post",
        lambda w: "/association/reglages/conservation/",
        ADMIN,
        302,
        data=lambda w: {"retention-inactive_retention_days": "730"},
    ),  # fmt: skip
    "members_admin:audit_log": Route("get", lambda w: "/association/journal/", ADMIN),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_members_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)


# --- The platform's own domain ------------------------------------------------------------------

PUBLIC_ROUTES = {"platform_home": "/"}


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_platform_home_lists_listed_networks_to_anyone(tenant, client_as, signed_in):
    """The platform's home is public: a network's session means nothing on its domain, and
    it lists only the networks that asked to be listed (alpha, not beta)."""
    from django.test import Client

    beta = client_as("other_network") if signed_in else None
    with schema_context("public"):
        client = Client(HTTP_HOST="localhost")
        if beta is not None:
            client.cookies = beta.cookies
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert host_of(tenant) in page
    assert "beta" not in page
