"""The events API beyond its matrix: field errors as 400, the waiting list, keyset pages,
and the OpenAPI schema."""

import pytest
from django.core.management import call_command

from tenant_apps.events.models import Event
from tenant_apps.members.models import Role
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


def test_bad_input_answers_field_errors_and_writes_nothing(admin, client_as):
    response = client_as(admin).post(
        "/api/events/",
        {"title": "À l'envers", "format": "in_person", "description": "x",
         "starts_at": "2031-05-04T12:00:00+02:00", "ends_at": "2031-05-04T10:00:00+02:00"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()) >= {"ends_at", "place"}
    assert not Event.objects.exists()
    bad = client_as(admin).post(
        "/api/events/", {"title": "x", "format": "concert"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "format" in bad.json()


def test_the_waiting_list_through_the_api(admin, client_as):
    event = event_make(author=admin, capacity=1)
    ana, bob = account("Ana").member, account("Bob").member
    first = client_as(ana).post(f"/api/events/{event.pk}/registration/")
    second = client_as(bob).post(f"/api/events/{event.pk}/registration/")
    assert first.json() == {"status": "registered", "waiting_position": None}
    assert second.json() == {"status": "waiting", "waiting_position": 1}
    assert client_as(ana).delete(f"/api/events/{event.pk}/registration/").status_code == 204
    assert client_as(bob).get(f"/api/events/{event.pk}/registration/").json()["status"] == (
        "registered"
    )
    detail = client_as(bob).get(f"/api/events/{event.pk}/").json()
    assert (detail["registered"], detail["waiting"], detail["capacity"]) == (1, 0, 1)
    assert "email" not in str(detail)


def test_keyset_pages_and_filters(admin, client_as):
    made = [event_make(author=admin, title=f"E{n}") for n in range(22)]
    client = client_as(account("Bob").member)
    page = client.get("/api/events/").json()
    assert [e["id"] for e in page["results"]] == [e.pk for e in made[:20]]
    rest = client.get("/api/events/", {"apres": page["next"]}).json()
    assert [e["id"] for e in rest["results"]] == [e.pk for e in made[20:]]
    assert rest["next"] is None
    assert client.get("/api/events/", {"apres": "x.y"}).status_code == 400
    assert client.get("/api/events/", {"event_format": "in_person"}).json()["results"] == []
    assert client.get("/api/events/", {"past": "true"}).json()["results"] == []


def test_the_schema_documents_the_events_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--urlconf", "config.urls_tenant",
                 "--validate", "--fail-on-warn")  # fmt: skip
    text = out.read_text()
    for operation in ("events_list", "events_create", "events_read", "events_update",
                      "events_cancel", "events_registration_read", "events_register",
                      "events_unregister", "events_questions_list", "events_questions_ask",
                      "events_questions_vote"):  # fmt: skip
        assert f"operationId: {operation}" in text
