"""The association admins' area: members, invitations, network settings and audit log."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image
from procrastinate.contrib.django.models import ProcrastinateJob

from tenant_apps.members import services as members
from tenant_apps.members.models import (
    AuditEntry,
    Charter,
    Invitation,
    Member,
    NetworkSettings,
    Pathology,
    ProfileType,
    Role,
    Space,
)
from tenants.models import Branding
from tenants.theme import branding_css, palette_version
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant):
    return {
        "admin": account("Alice", Role.ADMIN),
        "moderator": account("Mona", Role.MODERATOR),
        "member": account("Bob"),
    }


@pytest.fixture
def role_accounts(people):
    """``client_as`` signs in as these people."""
    return people


def png(size=(64, 64), color=(200, 30, 30, 255)) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def branding_data(**overrides) -> dict[str, str]:
    data = {
        "branding-display_name": "Réseau alpha",
        "branding-tagline": "",
        "branding-primary_color": "#1f5f8b",
        "branding-accent_color": "#8a3b12",
        "branding-contact_email": "",
        "branding-legal_notice": "",
        "branding-time_zone": "Europe/Paris",
    }
    data.update({f"branding-{name}": value for name, value in overrides.items()})
    return data


def snapshot(tenant) -> dict[str, object]:
    """Everything the admin area can change, to show that a refusal changed nothing."""
    with schema_context("public"):
        branding = list(Branding.objects.filter(tenant=tenant).values())
    return {
        "members": list(
            Member.objects.order_by("pk").values_list(
                "pk", "role", "status", "suspension_reason", "suspended_until"
            )
        ),
        "sessions": sorted(Session.objects.values_list("session_key", flat=True)),
        "audit": list(AuditEntry.objects.values_list("pk", flat=True)),
        "invitations": list(Invitation.objects.order_by("pk").values_list("email", "role")),
        "pathologies": list(Pathology.objects.order_by("pk").values_list("pk", "name")),
        "spaces": list(Space.objects.order_by("pk").values()),
        "charters": list(Charter.objects.order_by("pk").values_list("version", "title", "body")),
        "retention": list(NetworkSettings.objects.values_list("inactive_retention_days")),
        "branding": branding,
    }


def endpoints(people) -> list[tuple[str, str, dict | None]]:
    """Every page and action of the admin area, with valid input."""
    bob = people["member"].member.pk
    suspended = account("Sam")
    Member.objects.filter(user=suspended).update(status=Member.Status.SUSPENDED)
    pathology = members.pathology_create(name="Asthme")
    doomed = members.pathology_create(name="Mucoviscidose")
    space = Space.objects.order_by("pk").first()
    return [
        ("get", "/association/membres/", None),
        ("get", f"/association/membres/{bob}/", None),
        ("post", f"/association/membres/{bob}/role/", {"role-role": Role.ADMIN}),
        ("post", f"/association/membres/{bob}/suspendre/", {"suspend-reason": "Spam"}),
        ("post", f"/association/membres/{suspended.member.pk}/reintegrer/", {}),
        ("get", "/association/inviter/", None),
        ("post", "/association/inviter/", {"email": "new@example.org", "role": Role.ADMIN}),
        ("get", "/association/reglages/", None),
        ("post", "/association/reglages/marque/", branding_data(display_name="Pirate")),
        ("post", "/association/reglages/pathologies/", {"pathology-new-name": "Lupus"}),
        (
            "post",
            f"/association/reglages/pathologies/{pathology.pk}/",
            {f"pathology-{pathology.pk}-name": "Asthme sévère"},
        ),
        ("post", f"/association/reglages/pathologies/{doomed.pk}/supprimer/", {}),
        (
            "post",
            "/association/reglages/charte/",
            {"charter-title": "Charte pirate", "charter-body": "Tout est permis."},
        ),
        (
            "post",
            "/association/reglages/espaces/",
            {"space-new-name": "Pirates", "space-new-slug": "pirates"},
        ),
        (
            "post",
            f"/association/reglages/espaces/{space.pk}/",
            {f"space-{space.pk}-name": "Renamed", f"space-{space.pk}-audience": ["caregiver"]},
        ),
        ("post", "/association/reglages/conservation/", {"retention-inactive_retention_days": "1"}),
        ("get", "/association/journal/", None),
    ]


# --- Authorization ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator", "other_network"])
def test_everyone_but_this_networks_admins_gets_404_and_changes_nothing(
    tenant, people, client_as, who
):
    client = client_as(who)
    for method, url, data in endpoints(people):
        before = snapshot(tenant)
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        signed_out = who in ("anonymous", "other_network")  # sent to sign in instead
        assert response.status_code == (302 if signed_out else 404), (who, method, url)
        assert snapshot(tenant) == before, (who, method, url)


def test_an_admin_reaches_every_page_and_action(tenant, people, client_as):
    client = client_as("admin")
    for method, url, data in endpoints(people):
        before = snapshot(tenant)
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        expected = 302 if method == "post" else 200
        assert response.status_code == expected, (method, url, response.content[:2000])
        # The refusals above are meaningful: each action, allowed, does change something.
        assert (snapshot(tenant) != before) == (method == "post"), (method, url)


def test_actions_answer_405_to_a_get_from_an_admin(client_as, people):
    admin = client_as("admin")
    bob = people["member"].member.pk
    assert admin.get(f"/association/membres/{bob}/role/").status_code == 405
    assert admin.get("/association/reglages/charte/").status_code == 405


def test_a_missing_member_is_the_same_404(client_as):
    admin = client_as("admin")
    assert admin.get("/association/membres/999999/").status_code == 404


# --- Members ---------------------------------------------------------------------------------


def test_the_member_list_searches_filters_and_never_shows_emails(client_as, people):
    admin = client_as("admin")
    account("Capucine", profile_type=ProfileType.CAREGIVER)
    page = admin.get("/association/membres/").content.decode()
    for name in ("Alice", "Mona", "Bob", "Capucine"):
        assert name in page
    assert "@example.org" not in page

    found = admin.get("/association/membres/", {"q": "capu"}).content.decode()
    assert "Capucine" in found
    assert "Bob" not in found
    moderators = admin.get("/association/membres/", {"role": "moderator"}).content.decode()
    assert "Mona" in moderators
    assert "Bob" not in moderators
    caregivers = admin.get("/association/membres/", {"profile_type": "caregiver"}).content.decode()
    assert "Capucine" in caregivers
    assert "Bob" not in caregivers
    Member.objects.filter(user=people["member"]).update(status=Member.Status.SUSPENDED)
    suspended = admin.get("/association/membres/", {"status": "suspended"}).content.decode()
    assert "Bob" in suspended
    assert "Capucine" not in suspended


def test_the_member_list_is_paginated_in_a_constant_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    admin = client_as("admin")
    for number in range(30):
        account(f"Membre{number:02d}")
    admin.get("/association/membres/")
    # Schema, session, user, member, second factor, count, page, unread notifications in
    # the header: none per member.
    with django_assert_max_num_queries(8):
        first = admin.get("/association/membres/")
    assert first.context["page"].paginator.count == 33
    assert len(first.context["page"].object_list) == 25
    second = admin.get("/association/membres/", {"page": 2})
    assert len(second.context["page"].object_list) == 8
    assert "Membre29" in second.content.decode()


def test_a_role_change_is_recorded_in_the_audit_log(client_as, people):
    admin = client_as("admin")
    bob = people["member"].member
    response = admin.post(
        f"/association/membres/{bob.pk}/role/", {"role-role": Role.MODERATOR}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/association/membres/{bob.pk}/"
    assert "Bob" in response.content.decode()
    assert len(list(response.context["messages"])) == 1
    bob.refresh_from_db()
    assert bob.role == Role.MODERATOR
    entry = AuditEntry.objects.get(action="role_change")
    assert entry.actor == people["admin"].member
    assert entry.target == bob
    assert entry.detail == {"previous": "member", "role": "moderator"}

    log = admin.get("/association/journal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Alice" in log
    assert "Bob" in log
    assert "Role changed" in log
    assert "@example.org" not in log


def test_an_admin_cannot_demote_themselves(client_as, people):
    admin = client_as("admin")
    alice = people["admin"].member
    response = admin.post(
        f"/association/membres/{alice.pk}/role/",
        {"role-role": Role.MEMBER},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "You cannot remove your own admin role." in response.content.decode()
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN


def test_a_suspension_signs_the_member_out_and_a_reinstatement_lets_them_back(
    tenant, client_for, client_as, people
):
    admin = client_as("admin")
    bob = people["member"]
    bob_client = client_for(tenant)
    bob_client.force_login(bob)
    assert bob_client.get("/").wsgi_request.user.is_authenticated

    until = timezone.localdate() + timedelta(days=7)
    response = admin.post(
        f"/association/membres/{bob.member.pk}/suspendre/",
        {"suspend-reason": "Messages insultants", "suspend-until": until.isoformat()},
    )
    assert response.status_code == 302
    bob.member.refresh_from_db()
    assert bob.member.status == Member.Status.SUSPENDED
    assert bob.member.suspension_reason == "Messages insultants"
    assert timezone.localtime(bob.member.suspended_until).date() == until
    assert bob_client.get("/").wsgi_request.user.is_anonymous
    assert AuditEntry.objects.filter(action="suspend", target=bob.member).exists()

    response = admin.post(f"/association/membres/{bob.member.pk}/reintegrer/")
    assert response.status_code == 302
    bob.member.refresh_from_db()
    assert bob.member.status == Member.Status.ACTIVE
    assert bob.member.suspension_reason == ""
    assert AuditEntry.objects.filter(action="reinstate", target=bob.member).exists()


def test_a_suspension_without_a_reason_is_refused_and_keeps_the_typed_date(
    tenant, client_as, people
):
    admin = client_as("admin")
    bob = people["member"].member
    before = snapshot(tenant)
    response = admin.post(
        f"/association/membres/{bob.pk}/suspendre/",
        {"suspend-reason": "   ", "suspend-until": "2099-01-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the member a reason." in page
    assert 'value="2099-01-31"' in page
    assert snapshot(tenant) == before


def test_a_suspension_end_in_the_past_is_refused(tenant, client_as, people):
    admin = client_as("admin")
    bob = people["member"].member
    before = snapshot(tenant)
    response = admin.post(
        f"/association/membres/{bob.pk}/suspendre/",
        {"suspend-reason": "Spam répété", "suspend-until": "2001-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "Choose a day after today." in page
    assert "Spam répété" in page
    assert snapshot(tenant) == before


# --- Invitations -----------------------------------------------------------------------------


def test_an_invitation_is_created_and_its_email_job_deferred_on_commit(
    tenant, client_as, django_capture_on_commit_callbacks
):
    admin = client_as("admin")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin.post(
            "/association/inviter/", {"email": "Nouvelle@Example.net", "role": Role.MODERATOR}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nouvelle@example.net")
    assert invitation.role == Role.MODERATOR
    assert len(callbacks) == 1
    job = ProcrastinateJob.objects.filter(
        task_name__endswith="invitation_send", args__invitation_id=invitation.pk
    ).get()
    assert job.args["schema_name"] == tenant.schema_name
    assert AuditEntry.objects.filter(action="invite").exists()


@pytest.mark.parametrize(
    "email, message",
    [
        ("bob@example.org", "An account already uses this email address."),
        ("BOB@example.org", "An account already uses this email address."),
        ("pas-une-adresse", "Enter a valid email address."),
    ],
)
def test_an_invitation_to_a_taken_or_invalid_address_is_refused(tenant, client_as, email, message):
    admin = client_as("admin")
    before = snapshot(tenant)
    response = admin.post(
        "/association/inviter/", {"email": email, "role": Role.MEMBER}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{email}"' in page
    # Nothing more is said about the existing account.
    assert "Bob" not in page
    assert snapshot(tenant) == before


# --- Network settings ------------------------------------------------------------------------


def test_the_branding_is_saved_with_a_logo_reencoded_under_the_tenant(tenant, client_as, settings):
    admin = client_as("admin")
    response = admin.post(
        "/association/reglages/marque/",
        {
            **branding_data(
                display_name="Poumon Entraide",
                tagline="Ensemble",
                primary_color="#0b3d91",
                contact_email="contact@asso.example",
            ),
            "branding-logo": png(),
        },
    )
    assert response.status_code == 302
    with schema_context("public"):
        branding = Branding.objects.get(tenant=tenant)
    assert branding.display_name == "Poumon Entraide"
    assert branding.primary_color == "#0b3d91"
    assert branding.logo.name.startswith("branding/")
    assert branding.logo.name.endswith(".png")
    path = settings.MEDIA_ROOT / tenant.schema_name / branding.logo.name
    with Image.open(path) as saved:
        assert saved.format == "PNG"
        assert not saved.info.get("exif")
    home = admin.get("/").content.decode()
    assert "Poumon Entraide" in home
    assert "#0b3d91" in home
    assert AuditEntry.objects.filter(action="branding_update").exists()


def test_a_colour_without_enough_contrast_is_refused_and_kept_in_the_form(tenant, client_as):
    admin = client_as("admin")
    before = snapshot(tenant)
    response = admin.post(
        "/association/reglages/marque/",
        branding_data(display_name="Nom tapé", primary_color="#ffff00"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This colour is too light to read on a white page" in page
    assert 'value="#ffff00"' in page
    assert 'value="Nom tapé"' in page
    # The page itself keeps the saved colours (their stylesheet, tenants.theme).
    saved = Branding.objects.get(tenant=tenant)
    assert saved.primary_color == "#1f5f8b"
    assert f'href="/couleurs/{palette_version(branding_css(saved))}.css"' in page
    assert snapshot(tenant) == before


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(tenant, client_as):
    admin = client_as("admin")
    before = snapshot(tenant)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = admin.post(
        "/association/reglages/marque/",
        {**branding_data(), "branding-logo": fake},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This file is not an image we can use" in response.content.decode()
    assert snapshot(tenant) == before


def test_pathologies_are_added_renamed_and_deleted(client_as):
    admin = client_as("admin")
    assert (
        admin.post(
            "/association/reglages/pathologies/", {"pathology-new-name": "Asthme"}
        ).status_code
        == 302
    )
    pathology = Pathology.objects.get(name="Asthme")
    refused = admin.post(
        "/association/reglages/pathologies/",
        {"pathology-new-name": "asthme"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This pathology is already in the list." in refused.content.decode()
    assert Pathology.objects.count() == 1

    response = admin.post(
        f"/association/reglages/pathologies/{pathology.pk}/",
        {f"pathology-{pathology.pk}-name": "Asthme sévère"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/association/reglages/#pathologies"
    pathology.refresh_from_db()
    assert pathology.name == "Asthme sévère"

    admin.post(f"/association/reglages/pathologies/{pathology.pk}/supprimer/")
    assert not Pathology.objects.exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "pathology_rename",
        "pathology_delete",
    }


def test_a_new_charter_version_is_published_and_shown(client_as):
    admin = client_as("admin")
    current = Charter.objects.order_by("-version").first()
    response = admin.post(
        "/association/reglages/charte/",
        {"charter-title": "Charte 2026", "charter-body": "Soyons bienveillants."},
    )
    assert response.status_code == 302
    newest = Charter.objects.order_by("-version").first()
    assert newest.version == current.version + 1
    assert newest.title == "Charte 2026"
    page = admin.get("/association/reglages/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"version {newest.version}" in page
    assert "Charte 2026" in page


def test_spaces_are_created_and_their_audience_edited(client_as):
    admin = client_as("admin")
    response = admin.post(
        "/association/reglages/espaces/",
        {
            "space-new-name": "Jeunes aidants",
            "space-new-slug": "jeunes-aidants",
            "space-new-description": "Pour les 18-25 ans",
            "space-new-audience": ["caregiver"],
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(slug="jeunes-aidants")
    assert space.audience == ["caregiver"]

    taken = admin.post(
        "/association/reglages/espaces/",
        {"space-new-name": "Doublon", "space-new-slug": "jeunes-aidants"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Another space already uses this short name." in taken.content.decode()
    assert 'value="Doublon"' in taken.content.decode()

    response = admin.post(
        f"/association/reglages/espaces/{space.pk}/",
        {
            f"space-{space.pk}-name": "Jeunes aidants",
            f"space-{space.pk}-description": "Pour les 18-30 ans",
            f"space-{space.pk}-audience": ["caregiver", "patient"],
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.audience == ["caregiver", "patient"]
    assert space.description == "Pour les 18-30 ans"


def test_the_retention_period_is_set_and_emptied(client_as):
    admin = client_as("admin")
    response = admin.post(
        "/association/reglages/conservation/", {"retention-inactive_retention_days": "730"}
    )
    assert response.status_code == 302
    assert NetworkSettings.objects.get().inactive_retention_days == 730
    refused = admin.post(
        "/association/reglages/conservation/",
        {"retention-inactive_retention_days": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Enter a number of days of at least 1." in refused.content.decode()
    assert NetworkSettings.objects.get().inactive_retention_days == 730
    admin.post("/association/reglages/conservation/", {"retention-inactive_retention_days": ""})
    assert NetworkSettings.objects.get().inactive_retention_days is None


# --- Audit log -------------------------------------------------------------------------------


def test_the_audit_log_names_erased_members_without_their_pseudonym_or_email(
    client_as, people, django_assert_max_num_queries
):
    admin = client_as("admin")
    alice, bob = people["admin"].member, people["member"].member
    for _number in range(3):
        members.member_role_change(actor=alice, member=bob, role=Role.MODERATOR)
    members.member_erase(member=bob)
    admin.get("/association/journal/")
    # 7, plus the unread notifications count in the header.
    with django_assert_max_num_queries(8):
        response = admin.get("/association/journal/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Alice" in page
    assert "Bob" not in page
    assert "Deleted member #" in page
    assert "@example.org" not in page
