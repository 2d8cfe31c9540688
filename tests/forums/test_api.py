"""The forums API through real requests: who reaches what, input errors, and the schema."""

import json

import pytest

from tenant_apps.forums import selectors
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Post, Reaction, Topic, TopicRead
from tenant_apps.moderation.models import WatchedWord
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def call(client, method, path, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def snapshot():
    return (
        list(Topic.objects.order_by("pk").values()),
        list(Post.objects.order_by("pk").values("pk", "body", "status")),
        list(Reaction.objects.values_list("pk", flat=True)),
        sorted(TopicRead.objects.values_list("topic_id", "member_id", "last_post_id")),
        list(Notification.objects.values_list("pk", flat=True)),
    )


def endpoints(topic):
    post = topic.opening_post.pk
    return [
        ("get", f"/api/forums/topics/{topic.pk}/", None, 200),
        ("get", "/api/forums/categories/traitements/topics/", None, 200),
        ("post", "/api/forums/categories/traitements/topics/", {"title": "T", "body": "B"}, 201),
        ("get", f"/api/forums/topics/{topic.pk}/posts/", None, 200),
        ("post", f"/api/forums/topics/{topic.pk}/posts/", {"body": "Réponse"}, 201),
        ("post", f"/api/forums/posts/{post}/reactions/", {"kind": "support"}, 200),
    ]


@pytest.mark.parametrize("who", ["anonymous", "other_network", "caregiver"])
def test_out_of_reach_is_404_and_changes_nothing(client_as, people, topic, who):
    client = client_as(who)
    for method, path, body, _ok in endpoints(topic):
        before = snapshot()
        response = call(client, method, path, body)
        assert response.status_code == 404, (who, method, path)
        assert snapshot() == before, (who, method, path)
    categories = call(client, "get", "/api/forums/categories/")
    if who == "caregiver":
        slugs = {c["slug"] for c in categories.json()}
        assert "aider-sans-s-epuiser" in slugs and "traitements" not in slugs
    else:
        assert categories.status_code == 404


@pytest.mark.parametrize("who", ["member", "patient2", "moderator", "admin"])
def test_members_of_the_space_and_staff_reach_everything(client_as, people, topic, who):
    client = client_as(who)
    for method, path, body, ok in endpoints(topic):
        response = call(client, method, path, body)
        assert response.status_code == ok, (who, method, path, response.content[:500])
    assert "traitements" in {
        c["slug"] for c in call(client, "get", "/api/forums/categories/").json()
    }


def test_topic_and_post_lists_page_by_keyset(client_as, people, topic, patients_category):
    for i in range(30):
        forums.topic_create(author=people["member"], category=patients_category,
                            title=f"T{i}", body="x")  # fmt: skip
    per_page = selectors.POSTS_PER_PAGE
    for i in range(per_page + 5):
        forums.post_create(author=people["patient2"], topic=topic, body=f"R{i}")
    client = client_as("member")
    first = client.get("/api/forums/categories/traitements/topics/").json()
    second = client.get(
        "/api/forums/categories/traitements/topics/", {"apres": first["next"]}
    ).json()
    assert second["next"] is None
    ids = [t["id"] for t in first["results"] + second["results"]]
    assert sorted(ids) == sorted(Topic.objects.values_list("pk", flat=True))
    posts = client.get(f"/api/forums/topics/{topic.pk}/posts/").json()
    assert len(posts["results"]) == per_page
    more = client.get(f"/api/forums/topics/{topic.pk}/posts/", {"apres": posts["next"]}).json()
    assert len(more["results"]) == 6 and more["next"] is None
    assert "email" not in json.dumps(posts)


def test_bad_input_answers_400_with_field_errors(client_as, people, topic):
    client = client_as("patient2")
    before = snapshot()
    create = "/api/forums/categories/traitements/topics/"
    response = call(client, "post", create, {"title": "", "body": ""})
    assert response.status_code == 400
    assert set(response.json()) == {"title", "body"}
    response = call(client, "post", create, {"title": "x", "body": "y", "warnings": [999]})
    assert response.status_code == 400 and "warnings" in response.json()
    bad_cursor = client.get(create, {"apres": "nope"})
    assert bad_cursor.status_code == 400 and "apres" in bad_cursor.json()
    bad_after = client.get(f"/api/forums/topics/{topic.pk}/posts/", {"apres": "-1"})
    assert bad_after.status_code == 400
    react = f"/api/forums/posts/{topic.opening_post.pk}/reactions/"
    assert call(client, "post", react, {"kind": "angry"}).status_code == 400
    assert snapshot() == before


def test_identifying_data_needs_confirm_identifying(client_as, people, topic):
    client = client_as("patient2")
    path = f"/api/forums/topics/{topic.pk}/posts/"
    body = {"body": "Mon numéro : 06 12 34 56 78"}
    response = call(client, "post", path, body)
    assert response.status_code == 400
    assert list(response.json()) == ["confirm_identifying"]
    assert not Post.objects.filter(body=body["body"]).exists()
    response = call(client, "post", path, {**body, "confirm_identifying": True})
    assert response.status_code == 201
    assert response.json()["status"] == "published"


def test_blocked_words_answer_400(client_as, people, topic):
    WatchedWord.objects.create(phrase="arnaque", action=WatchedWord.Action.BLOCK)
    before = snapshot()
    response = call(
        client_as("patient2"), "post", f"/api/forums/topics/{topic.pk}/posts/", {"body": "arnaque"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_reactions_toggle_through_the_api(client_as, people, topic):
    client = client_as("patient2")
    path = f"/api/forums/posts/{topic.opening_post.pk}/reactions/"
    assert call(client, "post", path, {"kind": "thanks"}).json() == {
        "kind": "thanks", "active": True, "count": 1,
    }  # fmt: skip
    posts = client.get(f"/api/forums/topics/{topic.pk}/posts/").json()["results"]
    thanks = next(r for r in posts[0]["reactions"] if r["kind"] == "thanks")
    assert thanks == {"kind": "thanks", "count": 1, "mine": True}
    assert call(client, "post", path, {"kind": "thanks"}).json()["active"] is False
    assert not Reaction.objects.exists()


def test_a_locked_topic_refuses_member_replies(client_as, people, topic):
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    path = f"/api/forums/topics/{topic.pk}/posts/"
    assert call(client_as("patient2"), "post", path, {"body": "Non"}).status_code == 404
    assert call(client_as("moderator"), "post", path, {"body": "Oui"}).status_code == 201


def test_the_schema_lists_the_forum_endpoints(client_as, people):
    response = client_as("anonymous").get(
        "/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = json.loads(response.content)["paths"]
    assert set(paths["/api/forums/categories/"]) == {"get"}
    assert set(paths["/api/forums/categories/{slug}/topics/"]) == {"get", "post"}
    assert set(paths["/api/forums/topics/{topic_id}/"]) == {"get"}
    assert set(paths["/api/forums/topics/{topic_id}/posts/"]) == {"get", "post"}
    assert set(paths["/api/forums/posts/{post_id}/reactions/"]) == {"post"}
    components = json.loads(response.content)["components"]["schemas"]
    assert {"TopicPage", "PostPage", "TopicCreate", "PostCreate", "ReactionState"} <= set(
        components
    )
    assert "confirm_identifying" in components["PostCreate"]["properties"]


def test_writing_returns_the_help_lines_when_a_message_shows_a_crisis(client_as, people, topic):
    client = client_as("patient2")
    calm = call(client, "post", f"/api/forums/topics/{topic.pk}/posts/", {"body": "Merci à tous."})
    assert calm.status_code == 201 and calm.json()["crisis_resources"] == []
    crisis = call(
        client, "post", f"/api/forums/topics/{topic.pk}/posts/",
        {"body": "Je veux mourir, je n'en peux plus."},
    )  # fmt: skip
    assert crisis.status_code == 201
    assert "3114" in [line["phone"] for line in crisis.json()["crisis_resources"]]
    opened = call(
        client, "post", "/api/forums/categories/traitements/topics/",
        {"title": "Ce soir", "body": "J'ai envie d'en finir."},
    )  # fmt: skip
    assert opened.status_code == 201 and opened.json()["crisis_resources"]
