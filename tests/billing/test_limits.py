"""Plan limits (the 51st member of a 50-member plan, networks per organization), the
admins' banner, white label, read-only networks, and the grace period's steps."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from PIL import Image

from shared_apps.billing import limits, services
from shared_apps.billing.models import Plan, Subscription
from tenant_apps.members import services as members
from tenant_apps.members.models import Member, Role
from tenant_apps.notifications.tokens import unsubscribe_token
from tenants import hosts
from tenants.models import AuditEntry, Tenant
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fill_to(count: int) -> None:
    """Members up to ``count``, in bulk (what 50 sign-ups leave)."""
    missing = count - members.members_counted_for_plan()
    users = User.objects.bulk_create(
        [User(username=f"Rempli{i}", email=f"rempli{i}@example.org") for i in range(missing)]
    )
    Member.objects.bulk_create([Member(user=user) for user in users])
    assert members.members_counted_for_plan() == count


def _organization(tenant):
    with schema_context("public"):
        return Tenant.objects.select_related("organization").get(pk=tenant.pk).organization


def _on_plan(tenant, code: str) -> Subscription:
    organization = _organization(tenant)
    subscription = services.subscription_start_free(organization=organization)
    with schema_context("public"):
        subscription.plan = Plan.objects.get(code=code)
        subscription.status = "free" if code == "gratuit" else "active"
        subscription.save()
    hosts.forget_hosts()
    return subscription


def test_the_51st_member_is_told_and_nothing_half_made_is_left(tenant, client_for):
    _fill_to(50)
    invitation = members.invitation_create(email="cinquante-et-un@example.org", role=Role.MEMBER)
    client = client_for(tenant)
    page = client.post(
        f"/invitation/{invitation.key}/",
        {"username": "Cinquante", "password": PASSWORD, "password_confirm": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert "reached the 50 members its plan allows" in page.content.decode()
    assert 'value="Cinquante"' in page.content.decode()  # what was typed is kept
    assert not User.objects.filter(username="Cinquante").exists()
    assert members.members_counted_for_plan() == 50
    invitation.refresh_from_db()
    assert invitation.accepted is None  # still usable once there is room

    # Self-registration: the account allauth makes goes with the refused member.
    signup = client.post(
        "/comptes/signup/",
        {"username": "Autre", "email": "autre@example.org", "password1": "un-long-secret-42",
         "password2": "un-long-secret-42", "profile_type": "patient", "accept_charter": "on",
         "consent_health_data": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert signup.status_code == 200
    assert "reached the 50 members its plan allows" in signup.content.decode()
    assert not User.objects.filter(username="Autre").exists()

    # A larger plan: the same invitation works.
    _on_plan(tenant, "association-mensuel")
    accepted = client.post(
        f"/invitation/{invitation.key}/",
        {"username": "Cinquante", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert accepted.status_code == 302
    assert members.members_counted_for_plan() == 51


def test_the_admin_sees_how_near_the_limit_is(tenant, client_as):
    admin = client_as("admin")
    _fill_to(48)
    page = admin.get("/association/membres/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "48 of 50 members" in page
    usage = admin.get("/association/abonnement/", HTTP_ACCEPT_LANGUAGE="en")
    assert usage.context["members_usage"].used == 48
    assert "48 of 50 members" in usage.content.decode()
    # A member never sees it.
    assert "of 50 members" not in client_as("member").get("/").content.decode()


def test_networks_per_organization(tenant):
    organization = _organization(tenant)
    assert limits.network_limit_status(organization) == (1, 1)
    with pytest.raises(ValidationError) as refused:
        limits.network_limit_check(organization)
    assert "plan" in refused.value.message_dict
    _on_plan(tenant, "association-annuel")
    limits.network_limit_check(_organization(tenant))  # 1 of 3


def test_storage_is_measured_and_enforced(tenant, settings):
    folder = settings.MEDIA_ROOT / tenant.schema_name / "branding"
    folder.mkdir(parents=True)
    (folder / "logo.png").write_bytes(b"x" * 3 * limits.MB)
    assert limits.storage_limit_status(tenant) == (3, 500)
    limits.storage_limit_check(tenant, adding_bytes=496 * limits.MB)
    with pytest.raises(ValidationError):
        limits.storage_limit_check(tenant, adding_bytes=498 * limits.MB)


def test_paid_plans_are_white_label(tenant, client_as):
    member = client_as("member")
    assert "Powered by" in member.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    _on_plan(tenant, "federation-mensuel")
    assert "Powered by" not in member.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_read_only_network_answers_pages_and_refuses_writes(tenant, client_as):
    admin = client_as("admin")
    member = client_as("member")
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.READ_ONLY)
    hosts.forget_hosts()
    assert member.get("/").status_code == 200
    refused = member.post("/profil/", {"bio": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert "read-only" in refused.content.decode()
    api = member.patch("/api/me/", data={}, content_type="application/json")
    assert api.status_code == 403
    assert api.json()["code"] == "read_only"
    # Admins see why, and can still reach the payment (billing off here: told so).
    page = admin.get("/association/membres/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "read-only because a payment is missing" in page
    assert admin.post("/association/abonnement/paiement/").status_code == 302
    # Signing out still works.
    assert member.post("/comptes/logout/").status_code == 302


def test_a_read_only_network_keeps_a_members_rights_over_their_data(tenant, client_as):
    """GDPR: an unpaid bill does not suspend export, withdrawing a consent, or erasure."""
    member = UserFactory(username="Partante")
    client = client_as(member)
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.READ_ONLY)
    hosts.forget_hosts()
    exported = client.post("/mes-donnees/export/")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/json")
    assert client.post("/mes-donnees/consentement/retirer/").status_code == 302
    assert client.post("/comptes/password/reset/", {"email": "x@example.org"}).status_code != 403
    token = unsubscribe_token(member=Member.objects.get(user=member))
    assert client_as("anonymous").post(f"/notifications/desabonnement/{token}/").status_code == 200
    erased = client.post("/mes-donnees/supprimer/", {"password": PASSWORD, "content": "keep"})
    assert erased.status_code == 302
    assert not User.objects.filter(pk=member.pk, is_active=True, username="Partante").exists()
    # Everything else still refused.
    assert client_as("member").post("/profil/", {"bio": "x"}).status_code == 403


def test_grace_then_read_only_then_suspended_then_open_again(tenant, other_tenant):
    organization = _organization(tenant)
    with schema_context("public"):
        subscription = _on_plan(tenant, "association-mensuel")
        start = timezone.now()
        subscription.status = "past_due"
        services._state_apply(subscription, actor="stripe", now=start)
        subscription.save()
        assert subscription.grace_until == start + timedelta(days=14)
        assert Tenant.objects.get(pk=tenant.pk).status == "active"

        assert services.subscriptions_enforce(now=start + timedelta(days=15)) == 1
        assert Tenant.objects.get(pk=tenant.pk).status == "read_only"
        assert services.subscriptions_enforce(now=start + timedelta(days=15)) == 0  # twice
        assert services.subscriptions_enforce(now=start + timedelta(days=45)) == 1
        assert Tenant.objects.get(pk=tenant.pk).status == "suspended"
        assert Tenant.objects.get(pk=other_tenant.pk).status == "active"  # another org's

        services.subscription_extend_grace(organization=organization, days=7, actor="ops")
        assert Tenant.objects.get(pk=tenant.pk).status == "active"
        actions = list(
            AuditEntry.objects.filter(tenant_slug=tenant.slug).values_list("action", flat=True)
        )
        assert {"read_only", "suspend", "grace_extend", "resume"} <= set(actions)

        # Paid again: open, grace cleared.
        subscription.refresh_from_db()
        subscription.status = "active"
        services._state_apply(subscription, actor="stripe")
        subscription.save()
        assert (subscription.grace_until, subscription.networks) == (None, "open")


def test_no_grace_to_extend_when_the_payment_is_not_late(tenant):
    organization = _organization(tenant)
    with schema_context("public"):
        subscription = _on_plan(tenant, "association-mensuel")
        subscription.status = "active"
        subscription.save()
        with pytest.raises(ValidationError) as refused:
            services.subscription_extend_grace(organization=organization, days=7, actor="ops")
        assert "days" in refused.value.message_dict
        subscription.refresh_from_db()
        assert subscription.grace_until is None
        assert not AuditEntry.objects.filter(tenant_slug=tenant.slug, action="grace_extend")


def test_billing_never_lifts_an_operators_suspension(tenant):
    with schema_context("public"):
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.SUSPENDED)
        subscription = _on_plan(tenant, "association-mensuel")
        services._state_apply(subscription, actor="stripe")
        subscription.save()
        assert Tenant.objects.get(pk=tenant.pk).status == "suspended"


def test_members_made_by_the_factory_still_count(tenant):
    before = members.members_counted_for_plan()
    UserFactory()
    assert members.members_counted_for_plan() == before + 1


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#1f5f8b").save(buffer, "PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


def test_an_upload_past_the_storage_limit_is_refused_on_its_field(tenant, settings):
    member = UserFactory().member
    members.profile_update(member=member, avatar=_png())  # room left: kept
    folder = settings.MEDIA_ROOT / tenant.schema_name / "pieces"
    folder.mkdir(parents=True)
    with open(folder / "archive.bin", "wb") as sparse:  # 500 MB by its size, none on disk
        sparse.truncate(500 * limits.MB)
    with pytest.raises(ValidationError) as refused:
        members.profile_update(member=member, avatar=_png())
    used = limits.storage_used_bytes(limits.current_tenant(), fresh=True)
    [said] = refused.value.message_dict["avatar"]
    # "… take 500.0 of 500 MB used: this file (… KB) does not fit …"
    assert limits.storage_amount(used, 500) in said
    assert said.startswith(
        gettext(
            "This network's files take %(amount)s: this file (%(size)s) does not fit. "
            "The association can free space or choose a larger plan."
        ).split("%")[0]
    )
    with pytest.raises(ValidationError) as refused:
        members.branding_update(tenant=tenant, actor=member, logo=_png())
    assert "logo" in refused.value.message_dict


def test_the_limit_holds_in_a_network_entered_by_its_schema_name(tenant):
    _fill_to(50)
    with schema_context(tenant.schema_name), pytest.raises(ValidationError):
        UserFactory()
