"""The notifications API: my notifications only, marking read, refusals, OpenAPI schema."""

import pytest

from tenant_apps.notifications.models import Notification
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db


def snapshot() -> list:
    return list(Notification.objects.order_by("pk").values_list("pk", "read_at", "emailed_at"))


ENDPOINTS = [
    ("get", "/api/notifications/"),
    ("post", "/api/notifications/{pk}/read/"),
    ("post", "/api/notifications/read-all/"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "other_network", "suspended"])
def test_every_endpoint_is_a_404_for_anyone_but_an_active_member(
    client_as, people, who, method, path
):
    notification = notify(people["member"].member)
    client = client_as(who)
    before = snapshot()
    response = getattr(client, method)(path.format(pk=notification.pk))
    assert response.status_code == 404
    assert snapshot() == before


def test_the_list_has_only_my_notifications_newest_first(
    client_as, people, django_assert_max_num_queries
):
    bob, carla = people["member"].member, people["other"].member
    made = [notify(bob, actor=carla, subject=f"Sujet {i}") for i in range(30)]
    notify(carla, actor=bob, subject="Pas pour Bob")
    client = client_as("member")
    client.get("/api/notifications/")
    with django_assert_max_num_queries(5):
        response = client.get("/api/notifications/")
    assert response.status_code == 200
    body = response.json()
    assert [n["id"] for n in body["results"]] == [n.pk for n in reversed(made)][:25]
    first = body["results"][0]
    assert first["actor"] == "Carla" and first["read"] is False
    assert first["url"] == "/forums/sujets/1/" and first["kind"] == "mention"
    assert "Carla" in first["text"]
    assert "email" not in response.content.decode()
    rest = client.get(body["next"]).json()
    assert [n["id"] for n in rest["results"]] == [n.pk for n in reversed(made[:5])]
    assert rest["next"] is None


def test_marking_one_read(client_as, people):
    mine = notify(people["member"].member)
    response = client_as("member").post(f"/api/notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read"] is True
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_another_members_notification_is_a_404(client_as, people):
    theirs = notify(people["other"].member)
    before = snapshot()
    client = client_as("member")
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post("/api/notifications/999999/read/").status_code == 404
    assert snapshot() == before


def test_marking_all_read_touches_only_mine(client_as, people):
    bob, carla = people["member"].member, people["other"].member
    notify(bob)
    notify(bob)
    theirs = notify(carla)
    client = client_as("member")
    assert client.post("/api/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_list_refuses_other_methods(client_as, people):
    assert client_as("member").post("/api/notifications/").status_code == 405


def test_the_endpoints_are_in_the_openapi_schema(client_as, people):
    response = client_as("member").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "get" in paths["/api/notifications/"]
    assert "post" in paths["/api/notifications/{id}/read/"]
    assert "post" in paths["/api/notifications/read-all/"]
    assert paths["/api/notifications/"]["get"]["operationId"] == "notifications_list"
