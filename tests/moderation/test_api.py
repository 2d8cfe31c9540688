"""The moderation API: reports, the queue, decisions; refusals are 404 and change nothing."""

import json

import pytest
from django.urls import reverse

from tenant_apps.forums.models import Post
from tenant_apps.members.models import AuditEntry
from tenant_apps.moderation import cases, services
from tenant_apps.moderation.models import Case, Report
from tenant_apps.moderation.screening import Screening
from tenant_apps.notifications.models import Notification
from tests.moderation.factories import make_reply

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (
        list(Post.objects.order_by("pk").values_list("status", "hidden_reason")),
        Case.objects.count(), Report.objects.count(), AuditEntry.objects.count(),
        Notification.objects.count(),
    )  # fmt: skip


def calls(reply):
    return [
        ("post", reverse("api_moderation_report"), {"post": reply.pk, "reason": "hurtful"}),
        ("get", reverse("api_moderation_queue"), None),
        ("post", reverse("api_moderation_post_approve", args=[reply.pk]), {}),
        ("post", reverse("api_moderation_post_hide", args=[reply.pk]), {"reason": "Spam"}),
        ("post", reverse("api_moderation_post_restore", args=[reply.pk]), {}),
    ]


def send(client, method, url, data):
    if data is None:
        return client.get(url)
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("who", ["anonymous", "other_network"])
def test_strangers_get_404_everywhere(client_as, reply, who):
    client = client_as(who)
    for method, url, data in calls(reply):
        before = snapshot()
        assert send(client, method, url, data).status_code == 404, url
        assert snapshot() == before


@pytest.mark.parametrize("who", ["member", "caregiver"])
def test_members_get_404_for_the_team_endpoints(client_as, reply, who):
    client = client_as(who)
    for method, url, data in calls(reply)[1:]:
        before = snapshot()
        assert send(client, method, url, data).status_code == 404, url
        assert snapshot() == before


def test_a_member_reports_through_the_api(client_as, reply):
    client = client_as("member")
    url = reverse("api_moderation_report")
    response = send(client, "post", url, {"post": reply.pk, "reason": "medical", "detail": "Faux"})
    assert response.status_code == 201
    body = response.json()
    assert (body["post"], body["reason"], body["detail"]) == (reply.pk, "medical", "Faux")
    assert "reporter" not in body
    again = send(client, "post", url, {"post": reply.pk, "reason": "medical"})
    assert again.status_code == 400 and "non_field_errors" in again.json()
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "hurtful"}, "post"),
        ({"post": "abc", "reason": "hurtful"}, "post"),
        ({"post": 1, "reason": "bof"}, "reason"),
        ({"post": 1, "reason": "other"}, "detail"),
        ({"post": 1, "reason": "other", "detail": "x" * 501}, "detail"),
    ],
)
def test_bad_reports_are_400_with_field_errors(client_as, reply, data, field):
    if data.get("post") == 1:
        data["post"] = reply.pk
    response = send(client_as("member"), "post", reverse("api_moderation_report"), data)
    assert response.status_code == 400 and field in response.json()
    assert not Report.objects.exists()


def test_a_post_out_of_reach_is_404(client_as, reply):
    before = snapshot()
    response = send(
        client_as("caregiver"), "post", reverse("api_moderation_report"),
        {"post": reply.pk, "reason": "hurtful"},
    )  # fmt: skip
    assert response.status_code == 404 and snapshot() == before
    response = send(
        client_as("member"), "post", reverse("api_moderation_report"),
        {"post": 999999, "reason": "hurtful"},
    )  # fmt: skip
    assert response.status_code == 404


def test_the_queue_lists_by_urgency(client_as, topic, member_of, django_assert_max_num_queries):
    flagged = make_reply(topic, member_of["author"], body="mot surveillé")
    crisis = make_reply(topic, member_of["author"], body="détresse")
    cases.post_screened(post=flagged, screening=Screening(flagged_by=["cure"]))
    cases.post_screened(post=crisis, screening=Screening(crisis=True))
    services.report_create(reporter=member_of["member"], post=crisis, reason="other", detail="!")
    client = client_as("moderator")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api_moderation_queue"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["post"] for item in results] == [crisis.pk, flagged.pk]
    first = results[0]
    assert {case["kind"] for case in first["cases"]} == {"crisis", "report"}
    assert first["report_count"] == 1 and first["author"] == "Dede"
    report = next(case for case in first["cases"] if case["kind"] == "report")["reports"][0]
    assert report == {**report, "reason": "other", "detail": "!", "reporter": "Bob"}
    assert "example.org" not in response.content.decode()


def test_decisions_through_the_api(client_as, reply, member_of):
    client = client_as("moderator")
    response = send(client, "post", reverse("api_moderation_post_hide", args=[reply.pk]), {})
    assert response.status_code == 400 and "reason" in response.json()
    response = send(
        client, "post", reverse("api_moderation_post_hide", args=[reply.pk]), {"reason": "Spam"}
    )
    assert response.status_code == 200
    assert response.json() == {"id": reply.pk, "status": "hidden", "hidden_reason": "Spam"}
    again = send(
        client, "post", reverse("api_moderation_post_hide", args=[reply.pk]), {"reason": "Spam"}
    )
    assert again.status_code == 400
    response = send(client, "post", reverse("api_moderation_post_approve", args=[reply.pk]), {})
    assert response.status_code == 400
    response = send(client, "post", reverse("api_moderation_post_restore", args=[reply.pk]), {})
    assert response.status_code == 200 and response.json()["status"] == "published"
    response = send(client, "post", reverse("api_moderation_post_approve", args=[reply.pk]), {})
    assert response.status_code == 200
    assert list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "moderation.post_hide", "moderation.post_restore", "moderation.post_approve",
    ]  # fmt: skip
    missing = send(client, "post", reverse("api_moderation_post_approve", args=[999999]), {})
    assert missing.status_code == 404


def test_the_schema_documents_the_endpoints(client_as):
    response = client_as("anonymous").get(
        "/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = json.loads(response.content)["paths"]
    assert set(paths["/api/moderation/reports/"]) == {"post"}
    assert set(paths["/api/moderation/queue/"]) == {"get"}
    for action in ("approve", "hide", "restore"):
        assert set(paths[f"/api/moderation/posts/{{post_id}}/{action}/"]) == {"post"}
