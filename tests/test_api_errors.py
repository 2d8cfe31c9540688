"""The API decides a refusal before it reads the body, and answers bad input with a 400 and
its errors by field, never a 500: one permission class, one exception handler.

The clients here enforce CSRF as a browser's session would: DRF's session authentication
used to run Django's CSRF check, which parses the body, before any permission."""

import json

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django_tenants.utils import schema_context

from tenant_apps.forums.models import Post, Reaction, Topic
from tenant_apps.knowledge.models import Article
from tenant_apps.members.api_errors import exception_handler, service_errors
from tenant_apps.members.models import AuditEntry, Member, ProfileType, Role
from tenant_apps.moderation.models import Report
from tenant_apps.notifications.models import Notification
from tests.fixtures import host_of
from tests.members.factories import account
from tests.moderation.factories import make_reply, make_topic
from tests.notifications.factories import notify


@pytest.fixture
def scene(tenant):
    """A patients' topic and reply by Dede; Bob a patient, Carla a caregiver, Mona a
    moderator; one notification for Bob."""
    people = {
        "member": account("Bob"),
        "caregiver": account("Carla", profile_type=ProfileType.CAREGIVER),
        "moderator": account("Mona", Role.MODERATOR),
        "author": account("Dede"),
    }
    author = people["author"].member
    topic = make_topic(author)  # in "bienvenue", a forum of the patients' space
    reply = make_reply(topic, author)
    notification = notify(people["member"].member)
    return {"people": people, "topic": topic, "reply": reply, "notification": notification}


def csrf_client(tenant, user=None) -> Client:
    """A client that sends a valid CSRF token, with the CSRF check enforced."""
    with schema_context("public"):
        host = host_of(tenant)
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def snapshot() -> tuple:
    return (
        list(Post.objects.order_by("pk").values_list("status", "hidden_reason", "body")),
        list(Topic.objects.order_by("pk").values_list("status", "title")),
        Reaction.objects.count(),
        Report.objects.count(),
        AuditEntry.objects.count(),
        Article.objects.count(),
        list(Notification.objects.order_by("pk").values_list("read_at", flat=True)),
        list(Member.objects.order_by("pk").values_list("bio", "status", "erased")),
    )


def write_endpoints(scene) -> list[tuple[str, str, str]]:
    """(method, url, who lacks the right or the reach) for every API write endpoint."""
    topic, reply = scene["topic"], scene["reply"]
    slug = topic.category.slug
    return [
        ("patch", "/api/me/", "anonymous"),
        ("delete", "/api/me/", "anonymous"),
        ("post", f"/api/forums/categories/{slug}/topics/", "caregiver"),
        ("post", f"/api/forums/topics/{topic.pk}/posts/", "caregiver"),
        ("post", f"/api/forums/posts/{reply.pk}/reactions/", "caregiver"),
        ("post", "/api/moderation/reports/", "anonymous"),
        ("post", f"/api/moderation/posts/{reply.pk}/approve/", "member"),
        ("post", f"/api/moderation/posts/{reply.pk}/hide/", "member"),
        ("post", f"/api/moderation/posts/{reply.pk}/restore/", "member"),
        ("post", f"/api/notifications/{scene['notification'].pk}/read/", "anonymous"),
        ("post", "/api/notifications/read-all/", "anonymous"),
        ("post", "/api/knowledge/articles/", "member"),
        ("patch", "/api/knowledge/articles/1/", "member"),
        ("post", "/api/knowledge/articles/1/submit/", "member"),
        ("post", "/api/knowledge/articles/1/publish/", "member"),
    ]


BAD_BODIES = {
    "malformed JSON": (b'{"reason": ', "application/json"),
    "wrong content type": (b"<reason>spam</reason>", "application/xml"),
}


@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_refusal_comes_before_the_body_is_read(tenant, scene, body):
    data, content_type = BAD_BODIES[body]
    for method, url, who in write_endpoints(scene):
        user = None if who == "anonymous" else scene["people"][who]
        client = csrf_client(tenant, user)
        before = snapshot()
        response = getattr(client, method)(url, data, content_type=content_type)
        assert response.status_code == 404, (body, method, url, who, response.content[:300])
        assert response["Content-Type"] == "application/json", (method, url)
        assert snapshot() == before, (body, method, url, who)


def test_the_csrf_check_still_holds_once_the_right_is_granted(tenant, scene):
    client = csrf_client(tenant, scene["people"]["moderator"])
    client.defaults.pop("HTTP_X_CSRFTOKEN")
    before = snapshot()
    response = client.post(
        f"/api/moderation/posts/{scene['reply'].pk}/hide/",
        {"reason": "Spam"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_a_granted_request_with_a_malformed_body_is_a_400(tenant, scene):
    client = csrf_client(tenant, scene["people"]["moderator"])
    url = f"/api/moderation/posts/{scene['reply'].pk}/hide/"
    for data, content_type, status in [
        (b'{"reason": ', "application/json", 400),
        (b"<reason/>", "application/xml", 415),
        (json.dumps({"reason": ["not", "a", "string"]}), "application/json", 400),
        (json.dumps({"reason": "x" * 1_000_000}), "application/json", 400),
        (json.dumps([1, 2, 3]), "application/json", 400),
    ]:
        before = snapshot()
        response = client.post(url, data, content_type=content_type)
        assert response.status_code == status, (data[:40], response.content[:300])
        assert response["Content-Type"] == "application/json"
        assert snapshot() == before


BAD_INPUT = [
    ("post", "/api/moderation/reports/", {"post": "abc", "reason": 12}),
    ("post", "/api/moderation/reports/", {"post": 1, "reason": "spam", "detail": "x" * 1_000_000}),
    ("patch", "/api/me/", {"bio": "x" * 1_000_000}),
    ("patch", "/api/me/", {"pathologies": "not a list"}),
    ("patch", "/api/me/", {"department": ["33"]}),
    ("post", "/api/forums/categories/{slug}/topics/", {"title": None, "body": 3}),
    ("post", "/api/forums/categories/{slug}/topics/", {"title": "x" * 1_000_000, "body": "y"}),
    ("post", "/api/forums/topics/{topic}/posts/", {"body": "x" * 1_000_000}),
    ("post", "/api/forums/topics/{topic}/posts/", {"body": {"nested": True}}),
    ("post", "/api/forums/posts/{reply}/reactions/", {"kind": "x" * 1_000_000}),
]


@pytest.mark.parametrize(("method", "url", "data"), BAD_INPUT)
def test_bad_input_is_a_400_never_a_500(tenant, scene, method, url, data):
    client = csrf_client(tenant, scene["people"]["member"])
    url = url.format(
        slug=scene["topic"].category.slug, topic=scene["topic"].pk, reply=scene["reply"].pk
    )
    before = snapshot()
    response = getattr(client, method)(url, json.dumps(data), content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert isinstance(response.json(), dict)
    assert snapshot() == before


def test_a_services_refusal_is_a_400_with_its_field(tenant, scene):
    client = csrf_client(tenant, scene["people"]["member"])
    report = {"post": scene["reply"].pk, "reason": "advertising"}
    first = client.post("/api/moderation/reports/", report, content_type="application/json")
    assert first.status_code == 201
    again = client.post("/api/moderation/reports/", report, content_type="application/json")
    assert again.status_code == 400
    assert list(again.json()) == ["non_field_errors"]


def test_the_handler_turns_a_services_errors_into_fields():
    by_field = exception_handler(ValidationError({"title": ["Trop long."]}), {})
    assert (by_field.status_code, by_field.data) == (400, {"title": ["Trop long."]})
    whole = exception_handler(ValidationError({NON_FIELD_ERRORS: ["Déjà signalé."]}), {})
    assert whole.data == {"non_field_errors": ["Déjà signalé."]}
    plain = exception_handler(ValidationError("Refusé."), {})
    assert plain.data == {"non_field_errors": ["Refusé."]}


def test_a_view_may_put_an_error_code_on_the_field_that_lifts_it():
    error = ValidationError("Données identifiantes.", code="identifying")
    errors = service_errors(error, {"identifying": "confirm_identifying"})
    assert errors == {"confirm_identifying": ["Données identifiantes."]}
    assert errors["confirm_identifying"][0].code == "identifying"
    assert service_errors(error) == {"non_field_errors": ["Données identifiantes."]}
