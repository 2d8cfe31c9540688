"""Per-member throttles (core/throttle.py): posting through the pages and the API, and the
API's writes. Past the limit: 429, nothing written, the text kept; other members and other
networks go on."""

import json

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context

from core import throttle
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Post, Reaction, Topic
from tenant_apps.moderation.models import ModerationSettings
from tests.members.factories import account

pytestmark = pytest.mark.django_db

NOW = 1_800_000_010  # ten seconds into a minute: a minute's window ends in 50 s


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch):
    """Two posts and three API writes a minute; the clock stands still, so no test crosses
    a window's edge."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "forums.post": "2/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"member_writes": "3/min"},
    }
    monkeypatch.setattr(throttle, "_now", lambda: NOW)


def people_of(network):
    """A patient who writes a lot and another one, in ``network``, with a topic."""
    with tenant_context(network):
        ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
        bob = account("Bob").member
        paul = account("Paul").member
        topic = forums.topic_create(
            author=paul, category=Category.objects.get(slug="traitements"),
            title="Fatigue", body="Comment faites-vous ?",
        )  # fmt: skip
    return bob, paul, topic


def post_json(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_rates_read_as_written():
    assert throttle.parse_rate("10/min") == (10, 60)
    assert throttle.parse_rate("60/minute") == (60, 60)
    assert throttle.parse_rate("100/hour") == (100, 3600)
    assert throttle.parse_rate("5/30s") == (5, 30)
    assert throttle.parse_rate("1000/day") == (1000, 86400)
    with pytest.raises(ValueError):
        throttle.parse_rate("ten/min")
    with pytest.raises(ValueError):
        throttle.parse_rate("10/fortnight")


def test_the_counters_key_carries_the_schema(tenant):
    key = throttle.throttle_key("forums.post", 7, 60)
    assert key.startswith("throttle:alpha:forums.post:7:")
    # and so does the cache's own key, as for every key of a network
    assert "alpha" in cache.make_key(key).replace(key, "")


def test_a_third_reply_in_a_minute_is_a_429_that_keeps_the_text_and_writes_nothing(
    tenant, client_as
):
    bob, paul, topic = people_of(tenant)
    client = client_as(bob)
    url = f"/forums/sujet/{topic.pk}/repondre/"
    for n in (1, 2):
        assert client.post(url, {"body": f"Réponse {n}"}).status_code == 302
    before = Post.objects.count()

    refused = client.post(url, {"body": "Ma troisième réponse, écrite avec soin"})

    assert refused.status_code == 429
    assert Post.objects.count() == before
    page = refused.content.decode()
    assert "Ma troisième réponse, écrite avec soin" in page
    assert str(throttle.RateLimited(50).detail) in page  # wait 50 s, the text is kept
    # Paul has his own allowance.
    assert client_as(paul).post(url, {"body": "Moi"}).status_code == 302


def test_topics_count_with_replies(tenant, client_as):
    bob, _paul, topic = people_of(tenant)
    client = client_as(bob)
    assert client.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": "Un"}).status_code == 302
    new = "/forums/traitements/nouveau/"
    assert client.post(new, {"title": "Deux", "body": "Deux"}).status_code == 302
    topics = Topic.objects.count()

    refused = client.post(new, {"title": "Trois", "body": "Mon troisième sujet"})

    assert refused.status_code == 429
    assert Topic.objects.count() == topics
    assert "Mon troisième sujet" in refused.content.decode()


def test_another_network_has_its_own_counters(tenant, other_tenant, client_as):
    # Member 999 of alpha used up his allowance; member 999 of beta is someone else.
    for _n in range(2):
        throttle.throttle_hit(action="forums.post", member_id=999)
    with pytest.raises(throttle.RateLimited):
        throttle.throttle_hit(action="forums.post", member_id=999)
    with tenant_context(other_tenant):
        throttle.throttle_hit(action="forums.post", member_id=999)
        throttle.throttle_hit(action="forums.post", member_id=999)
    # Through the pages too: beta's writer is not held back by alpha's.
    bob, _paul, topic = people_of(tenant)
    client = client_as(bob)
    for n in (1, 2, 3):
        client.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": f"Réponse {n}"})
    their_bob, _their_paul, their_topic = people_of(other_tenant)
    theirs = client_as(their_bob, network=other_tenant)
    response = theirs.post(f"/forums/sujet/{their_topic.pk}/repondre/", {"body": "Bonjour"})
    assert response.status_code == 302


def test_api_replies_share_the_posting_limit_and_answer_429_with_retry_after(tenant, client_as):
    bob, _paul, topic = people_of(tenant)
    client = client_as(bob)
    url = f"/api/forums/topics/{topic.pk}/posts/"
    assert client.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": "Page"}).status_code == 302
    assert post_json(client, url, {"body": "API"}).status_code == 201
    before = Post.objects.count()

    refused = post_json(client, url, {"body": "Encore"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert Post.objects.count() == before


def test_api_writes_are_throttled_per_member_and_reads_are_not(tenant, client_as):
    bob, paul, topic = people_of(tenant)
    client = client_as(bob)
    url = f"/api/forums/posts/{topic.opening_post.pk}/reactions/"
    for kind in ("support", "thanks", "support"):  # on, on, off
        assert post_json(client, url, {"kind": kind}).status_code == 200
    reactions = list(Reaction.objects.values_list("pk", flat=True))

    refused = post_json(client, url, {"kind": "thanks"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert list(Reaction.objects.values_list("pk", flat=True)) == reactions
    for _n in range(5):
        assert client.get(f"/api/forums/topics/{topic.pk}/").status_code == 200
    other = client_as(paul)
    assert post_json(other, url, {"kind": "support"}).status_code == 200


def test_throttle_hit_is_per_action_and_member(tenant):
    for _n in range(2):
        throttle.throttle_hit(action="forums.post", member_id=1)
    with pytest.raises(throttle.RateLimited) as refusal:
        throttle.throttle_hit(action="forums.post", member_id=1)
    assert refusal.value.retry_after == 50
    throttle.throttle_hit(action="forums.post", member_id=2)
    throttle.throttle_hit(action="messages.send", member_id=1)
