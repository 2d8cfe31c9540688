"""Claiming an association's listing (a signed, expiring link to its contact address), its
managers' edits and confirmation, the "may be out of date" mark after a year, and the yearly
reminder (once a year however often the job runs)."""

import re
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from provisioning import services as provisioning
from shared_apps.directory import jobs, services
from shared_apps.directory.models import Association, Review
from tests.directory.test_contrib import association_data, platform_account
from tests.fixtures import db_snapshot
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        yield Association.objects.create(
            name="Souffle Solidaire", slug="souffle-solidaire", description="Entraide.",
            review=Review.PUBLISHED, published_at=timezone.now(),
            contact_email="contact@souffle.example.org",
        )  # fmt: skip


def client(user=None) -> Client:
    c = Client(HTTP_HOST="localhost")
    if user is not None:
        c.force_login(user)
    return c


def claim_link(association) -> str:
    """Ask for the link as a visitor would, and read it from the email."""
    queue = JobQueue()
    with committed():
        response = client().post(f"/annuaire/associations/{association.slug}/revendiquer/")
    assert response.status_code == 302
    queue.run()
    (message,) = mail.outbox
    assert message.to == ["contact@souffle.example.org"]
    (link,) = re.findall(r"https?://\S+/annuaire/revendiquer/\S+/", message.body)
    assert link.startswith(("http://localhost/", "https://localhost/"))
    mail.outbox.clear()
    return link.split("localhost", 1)[1]


def test_the_link_makes_a_signed_in_account_a_manager(association):
    path = claim_link(association)
    iris = platform_account("Iris")
    # Signed out: the page asks to sign in, and nothing changes.
    page = client().get(path)
    assert page.status_code == 200 and "login_url" in page.context
    assert client().post(path).status_code == 200
    assert not association.managers.exists()

    response = client(iris).post(path)
    assert response["Location"] == f"/annuaire/gerer/{association.slug}/"
    association.refresh_from_db()
    assert list(association.managers.all()) == [iris]
    assert association.claimed_at is not None


@pytest.mark.parametrize("how", ["forged", "expired", "other_listing", "contact_changed", "junk"])
def test_an_expired_or_forged_link_says_so_and_changes_nothing(association, how):
    other = Association.objects.create(
        name="Autre", slug="autre", description=".", review=Review.PUBLISHED,
        contact_email="contact@autre.example",
    )  # fmt: skip
    token = services.claim_token(association)
    if how == "forged":
        token = signing.dumps({"a": association.pk, "c": "0" * 16}, salt="another-salt")
    elif how == "expired":
        past = timezone.now() - services.CLAIM_MAX_AGE - timedelta(minutes=1)
        with mock.patch("django.core.signing.time.time", return_value=past.timestamp()):
            token = services.claim_token(association)
    elif how == "other_listing":
        # A genuine link of another listing, its id swapped: the signature no longer holds.
        token = services.claim_token(other).replace(str(other.pk), str(association.pk))
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif how == "contact_changed":
        association.contact_email = "nouveau@souffle.example.org"
        association.save()
    elif how == "junk":
        token = "x" * 300
    signed_in = client(platform_account("Iris"))
    before = db_snapshot()
    response = signed_in.post(f"/annuaire/revendiquer/{token}/")
    assert response.status_code == 404
    assert "directory/claim_invalid.html" in [t.name for t in response.templates]
    assert db_snapshot() == before
    assert not association.managers.exists()


def test_a_listing_without_contact_or_unpublished_sends_nothing(association):
    association.contact_email = ""
    association.save()
    with committed():
        assert (
            client().post(f"/annuaire/associations/{association.slug}/revendiquer/").status_code
            == 302
        )
    proposed = Association.objects.create(
        name="P", slug="p", description=".", contact_email="a@b.example"
    )
    assert client().get(f"/annuaire/associations/{proposed.slug}/revendiquer/").status_code == 404
    assert mail.outbox == []


def png_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Camille Martin"  # Artist
    out = BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 200)).save(out, format="PNG", exif=exif)
    return out.getvalue()


def manage_data(**overrides) -> dict:
    data = association_data(**overrides)
    for name in ("proposer_email", "homepage", "started"):
        data.pop(name)
    return data


def test_a_manager_edits_with_the_same_rules_and_a_logo_without_exif(association):
    manager = platform_account("Gestionnaire")
    association.managers.add(manager)
    c = client(manager)
    assert c.get(f"/annuaire/gerer/{association.slug}/").status_code == 200
    response = c.post(f"/annuaire/gerer/{association.slug}/", manage_data(rna="W12"))
    assert response.status_code == 200 and "rna" in response.context["form"].errors
    response = c.post(
        f"/annuaire/gerer/{association.slug}/",
        manage_data(approval="regional", approval_ends=""),
    )
    assert response.status_code == 200 and "approval_ends" in response.context["form"].errors
    response = c.post(
        f"/annuaire/gerer/{association.slug}/",
        manage_data(approval="regional", approval_ends="2028-06-30"),
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert (association.approval, str(association.approval_ends)) == ("regional", "2028-06-30")
    logo = SimpleUploadedFile("logo.png", png_with_exif(), content_type="image/png")
    response = c.post(
        f"/annuaire/gerer/{association.slug}/",
        {**manage_data(description="Nouvelle description.", departments=["2A", "974"]),
         "new_logo": logo},
    )  # fmt: skip
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.description == "Nouvelle description."
    assert association.departments == ["2A", "974"]
    with association.logo.open("rb") as stored:
        content = stored.read()
    assert b"Camille" not in content
    with Image.open(BytesIO(content)) as image:
        assert image.format == "PNG" and not image.getexif()
    # Not a picture: refused with a message, nothing changes.
    junk = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = c.post(f"/annuaire/gerer/{association.slug}/", {**manage_data(), "new_logo": junk})
    assert response.status_code == 200 and "new_logo" in response.context["form"].errors


def test_confirming_clears_the_out_of_date_mark(association):
    manager = platform_account("Gestionnaire")
    association.managers.add(manager)
    now = timezone.now()
    Association.objects.filter(pk=association.pk).update(published_at=now - timedelta(days=400))
    association.refresh_from_db()
    assert association.is_outdated(now) and association.possibly_outdated
    assert not association.is_outdated(now - timedelta(days=60))
    assert client(manager).post(f"/annuaire/gerer/{association.slug}/a-jour/").status_code == 302
    association.refresh_from_db()
    assert association.confirmed_at is not None and not association.possibly_outdated
    assert association.is_outdated(now + timedelta(days=366))


def test_the_yearly_reminder_goes_once_a_year(association):
    now = timezone.now()
    up_to_date = Association.objects.create(  # confirmed recently: not reminded yet
        name="À jour", slug="a-jour", description=".", review=Review.PUBLISHED,
        contact_email="ok@example.org", confirmed_at=now - timedelta(days=30),
    )  # fmt: skip
    Association.objects.create(  # waiting for review: not reminded
        name="Proposée", slug="proposee", description=".", contact_email="p@example.org"
    )
    assert jobs.reminders_send() == 1
    (message,) = mail.outbox
    assert message.to == ["contact@souffle.example.org"]
    assert "/annuaire/associations/souffle-solidaire/revendiquer/" in message.body
    assert jobs.reminders_send() == 0  # the same day, or any day within the year
    association.refresh_from_db()
    reminded = association.reminded_at
    assert reminded is not None

    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(days=200)):
        assert services.reminders_due() == []
    later = now + timedelta(days=366)
    with mock.patch("django.utils.timezone.now", return_value=later):
        # A year on: this one again, and the one confirmed a month before the first run.
        assert services.reminders_due() == [association.pk, up_to_date.pk]
        assert jobs.reminders_send() == 2
        assert jobs.reminders_send() == 0
    assert len(mail.outbox) == 3


def test_someone_signs_up_on_the_platform_then_claims_with_the_link(association):
    """No network's questions on the platform's domain; the account is no member and no
    operator; the confirmation link is on the platform's domain; then the claim works."""
    path = claim_link(association)
    visitor = client()
    response = visitor.post(
        f"/comptes/signup/?next={path}",
        {"username": "Marion29", "email": "marion@souffle.example.org",
         "password1": "un-long-secret-42", "password2": "un-long-secret-42"},
    )  # fmt: skip
    assert response.status_code == 302
    user = get_user_model().objects.get(username="Marion29")
    assert not (user.is_staff or user.is_superuser)
    (message,) = mail.outbox
    link = r"https?://localhost(?::\d+)?(/comptes/confirm-email/\S+/)"
    (confirm,) = re.findall(link, message.body)
    assert visitor.post(confirm).status_code == 302
    assert visitor.post(path).status_code == 302
    association.refresh_from_db()
    assert list(association.managers.all()) == [user]


def test_a_network_still_asks_its_own_questions_at_sign_up(tenant, client_for):
    page = client_for(tenant).get("/comptes/signup/").content.decode()
    assert 'name="accept_charter"' in page and 'name="profile_type"' in page
