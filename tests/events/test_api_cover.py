"""An event's cover through the API: multipart form data, re-encoded by core.images like a
cover added from the event's page, and a file that is no picture refused on its field."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from PIL import Image

from tenant_apps.events.models import Event
from tenant_apps.members.models import Role
from tests.events.factories import event_make, picture
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


def _event(**extra) -> dict:
    return {
        "title": "Atelier photo", "format": "in_person", "description": "Venez",
        "starts_at": "2031-05-04T10:00:00+02:00", "ends_at": "2031-05-04T12:00:00+02:00",
        "place": "Maison des associations", **extra,
    }  # fmt: skip


def _clean_jpeg(event: Event) -> bool:
    with event.cover.open("rb") as stored, Image.open(BytesIO(stored.read())) as image:
        return image.format == "JPEG" and not image.getexif()


def test_a_cover_sent_with_a_new_event_is_re_encoded(admin, client_as):
    response = client_as(admin).post("/api/events/", _event(cover=picture()))
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.cover and event.cover.name.endswith(".jpg")
    assert _clean_jpeg(event)  # the GPS position and the camera are gone
    assert "cover" not in response.json()  # written, never echoed as a storage path


def test_a_cover_replaces_the_old_one_through_patch(admin, client_as):
    event = event_make(author=admin)
    assert not event.cover
    answer = client_as(admin).patch(
        f"/api/events/{event.pk}/",
        _multipart({"cover": picture("autre.jpg")}),
        content_type=MULTIPART,
    )
    assert answer.status_code == 200, answer.content
    event.refresh_from_db()
    assert event.cover and _clean_jpeg(event)


def test_a_file_that_is_no_picture_is_refused_on_its_field(admin, client_as):
    text = SimpleUploadedFile("notes.jpg", b"pas une image", content_type="image/jpeg")
    response = client_as(admin).post("/api/events/", _event(cover=text))
    assert response.status_code == 400
    assert set(response.json()) == {"cover"}
    assert not Event.objects.exists()

    event = event_make(author=admin)
    text.seek(0)
    refused = client_as(admin).patch(
        f"/api/events/{event.pk}/", _multipart({"cover": text}), content_type=MULTIPART
    )
    assert refused.status_code == 400 and set(refused.json()) == {"cover"}
    event.refresh_from_db()
    assert not event.cover


MULTIPART = "multipart/form-data; boundary=BoUnDaRyStRiNg"


def _multipart(data: dict) -> bytes:
    """The test client encodes multipart only for POST; PATCH gets it encoded here."""
    return encode_multipart("BoUnDaRyStRiNg", data)
