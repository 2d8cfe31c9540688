"""Verification of professionals: the request's checks, the decisions' effects (badge,
audit, notification, the document deleted on commit), a double decision, the real name,
professionals-only spaces, and speakers of events."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenant_apps.events import services as events
from tenant_apps.members import selectors as members_selectors
from tenant_apps.members.models import AuditEntry, Member, Role, Space
from tenant_apps.notifications.models import Notification
from tenant_apps.pro import access
from tenant_apps.pro.models import VerificationRequest
from tenant_apps.pro.verification import services
from tests.events.factories import picture
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def paula(tenant):
    return account("Paula").member


def _ask(member, **fields):
    data = {"profession": "nurse", "workplace": "CHU de Lille", "rpps": "10001234567"}
    return services.verification_request_create(member=member, **{**data, **fields})


def test_a_request_is_checked_field_by_field_and_one_pending_at_a_time(paula):
    with pytest.raises(ValidationError) as refused:
        services.verification_request_create(
            member=paula, profession="wizard", workplace="x" * 1_000_000, rpps="123",
            specialty="y" * 121,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"profession", "workplace", "rpps", "specialty"}
    with pytest.raises(ValidationError) as missing:
        _ask(paula, rpps="", other_identifier="")
    assert "rpps" in missing.value.message_dict
    _ask(paula, rpps="1000 1234 567")  # spaces typed between groups are fine
    with pytest.raises(ValidationError) as twice:
        _ask(paula)
    assert twice.value.code == "pending"
    assert VerificationRequest.objects.filter(member=paula).count() == 1


def test_a_picture_loses_its_exif_a_pdf_stays_and_anything_else_is_refused(paula, admin):
    request = _ask(paula, document=picture("carte.jpg"))
    with request.document.open("rb") as stored, Image.open(BytesIO(stored.read())) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert request.document.name.startswith("pro-documents/")
    services.verification_refuse(admin=admin, request_id=request.pk, reason="Illisible")
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%fake\n", content_type="application/pdf")
    second = _ask(paula, document=pdf)
    with second.document.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4\n%fake\n"
    services.verification_refuse(admin=admin, request_id=second.pk, reason="Non")
    for bad in (
        SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
        SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
    ):
        with pytest.raises(ValidationError) as refused:
            _ask(paula, document=bad)
        assert "document" in refused.value.message_dict


def test_verifying_sets_the_badge_audits_notifies_and_deletes_the_document_on_commit(
    paula, admin, django_capture_on_commit_callbacks
):
    request = _ask(paula, specialty="Oncologie", document=picture("carte.jpg"))
    name = request.document.name
    with django_capture_on_commit_callbacks(execute=True):
        services.verification_verify(admin=admin, request_id=request.pk)
    assert not default_storage.exists(name)
    paula.refresh_from_db()
    assert paula.verified_professional and paula.professional_title.endswith(" — Oncologie")
    assert access.is_professional(paula) and access.is_verified(paula)
    assert AuditEntry.objects.filter(action="pro_verify", target=paula, actor=admin).exists()
    assert Notification.objects.filter(recipient=paula).count() == 1
    # Deciding twice (a double submit, two admins at once): the second is refused.
    with pytest.raises(ValidationError) as twice:
        services.verification_refuse(admin=admin, request_id=request.pk, reason="Non")
    assert twice.value.code == "decided"


def test_withdrawing_clears_the_badge_and_the_real_name(paula, admin):
    request = _ask(paula)
    services.verification_verify(admin=admin, request_id=request.pk)
    paula.refresh_from_db()
    services.real_name_set(member=paula, show=True, real_name="  Paula   Martin ")
    assert Member.objects.get(pk=paula.pk).real_name_shown == "Paula Martin"
    with pytest.raises(ValidationError):
        services.verification_withdraw(admin=admin, member_id=paula.pk, reason="")
    services.verification_withdraw(admin=admin, member_id=paula.pk, reason="Fin d'exercice")
    paula.refresh_from_db()
    assert (paula.verified_professional, paula.professional_title, paula.real_name_shown) == (
        False, "", ""
    )  # fmt: skip
    assert VerificationRequest.objects.get(pk=request.pk).status == "withdrawn"
    assert not access.is_professional(paula)
    with pytest.raises(ValidationError):
        services.real_name_set(member=paula, show=True, real_name="Paula")


def test_only_admins_decide_and_moderators_are_not_professionals_by_role(paula, tenant):
    mona = account("Mona", Role.MODERATOR).member
    request = _ask(paula)
    with pytest.raises(ValidationError):
        services.verification_verify(admin=mona, request_id=request.pk)
    assert not access.is_professional(mona)
    assert VerificationRequest.objects.get(pk=request.pk).status == "pending"


def test_a_space_for_professionals_opens_to_verified_ones_only(paula, admin):
    lounge = Space.objects.create(
        name="Salle des soignants", slug="soignants", audience=["patient"], professionals_only=True
    )
    assert lounge not in members_selectors.spaces_for(paula)
    assert not members_selectors.space_open_to(paula, lounge)
    services.verification_verify(admin=admin, request_id=_ask(paula).pk)
    paula.refresh_from_db()
    assert lounge in members_selectors.spaces_for(paula)
    assert members_selectors.space_open_to(paula, lounge)
    # A profile type cannot open it.
    assert not members_selectors.profile_type_opens_a_space(account("Pia").member, "professional")


def test_only_a_verified_professional_is_linked_as_a_speaker(paula, admin):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=30)
    fields = {
        "author": admin, "title": "Webinaire", "format": "webinar", "description": "x",
        "starts_at": start, "ends_at": start + timedelta(hours=1), "online": True,
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        events.event_create(**fields, speakers=[events.SpeakerData(name="Paula", member=paula)])
    assert "speakers" in refused.value.message_dict
    services.verification_verify(admin=admin, request_id=_ask(paula).pk)
    paula.refresh_from_db()
    event = events.event_create(**fields, speakers=[events.SpeakerData(name="Paula", member=paula)])
    assert event.speakers.get().member == paula


def test_the_api_asks_with_field_errors_and_never_a_500(paula, client_as):
    client = client_as(paula.user)
    url = "/api/pro/verification/requests/"
    for body in ({"profession": "wizard", "workplace": "x"}, {"profession": "nurse"},
                 {"profession": "nurse", "workplace": "x" * 1_000_000, "rpps": "1"}):  # fmt: skip
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400 and set(response.json()) <= set(body) | {"workplace"}
    good = {"profession": "nurse", "workplace": "CHU", "rpps": "123"}
    short = client.post(url, good, content_type="application/json")
    assert short.status_code == 400 and list(short.json()) == ["rpps"]
    good["rpps"] = "10001234567"
    assert client.post(url, good, content_type="application/json").status_code == 201
    again = client.post(url, good, content_type="application/json")
    assert again.status_code == 400
