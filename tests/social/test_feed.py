"""The feed: experiences of the members I follow (their audience and blocks through
social.access), posts of the topics I follow (forums.access), the pinned topics; newest
first by keyset, in a constant number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from core.markup import render_markdown
from tenant_apps.forums.models import Post, Subscription, Topic
from tenant_apps.members.models import Member
from tenant_apps.social import feed, relations
from tenant_apps.social.models import Experience
from tests.forums.factories import PostFactory, TopicFactory
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def experience(author, body="Aujourd'hui ça va mieux.", *, minutes_ago=0, **fields):
    made = Experience.objects.create(
        author=author, body=body, body_html=str(render_markdown(body)), **fields
    )
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Experience.objects.filter(pk=made.pk).update(created=moment)
    made.created = moment
    return made


def post(topic, author, *, minutes_ago=0):
    made = PostFactory(topic=topic, author=author)
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Post.objects.filter(pk=made.pk).update(created=moment)
    return made


@pytest.fixture
def me(tenant):
    return account("Lecteur").member


@pytest.fixture
def friends(tenant):
    return [account(f"Amie{n}").member for n in range(3)]


def _keys(page) -> list[tuple[str, int]]:
    return [(entry.source, entry.id) for entry in page.entries]


def test_experiences_of_whom_i_follow_and_posts_of_topics_i_follow_newest_first(me, friends):
    stranger = account("Inconnue").member
    for friend in friends[:2]:
        relations.follow_create(follower=me, followed=friend)
    old = experience(friends[0], minutes_ago=30)
    new = experience(friends[1], minutes_ago=5)
    experience(friends[2], minutes_ago=1)  # not followed
    experience(stranger, minutes_ago=1)
    mine = experience(me, minutes_ago=1)  # my own are not my feed
    topic = TopicFactory(author=stranger)
    Subscription.objects.create(topic=topic, member=me)
    reply = post(topic, stranger, minutes_ago=10)
    post(topic, me, minutes_ago=2)  # mine
    other_topic = TopicFactory(author=stranger)
    post(other_topic, stranger, minutes_ago=3)  # not followed
    page = feed.feed_page(me)
    assert _keys(page) == [("e", new.pk), ("p", reply.pk), ("e", old.pk)]
    assert ("e", mine.pk) not in _keys(page)


def test_audience_status_and_blocks_come_from_the_access_rules(me, friends):
    a, b, c = friends
    for friend in friends:
        relations.follow_create(follower=me, followed=friend)
    shown = experience(a, audience="followers")
    experience(a, status="held")
    experience(a, status="hidden")
    experience(b, audience="spaces", space_ids=[])  # a space I am not in
    hidden_by_block = experience(c)
    topic = TopicFactory(author=c)
    Subscription.objects.create(topic=topic, member=me)
    reply = post(topic, c)
    PostFactory(topic=topic, author=a, status=Post.Status.HELD)
    assert _keys(feed.feed_page(me)) == [
        ("p", reply.pk),
        ("e", hidden_by_block.pk),
        ("e", shown.pk),
    ]
    relations.block_create(blocker=c, blocked=me)  # c blocks me: nothing of c shows
    me = Member.objects.get(pk=me.pk)
    assert _keys(feed.feed_page(me)) == [("e", shown.pk)]


def test_keyset_pages_cover_everything_once_with_ties(me, friends):
    relations.follow_create(follower=me, followed=friends[0])
    topic = TopicFactory(author=friends[1])
    Subscription.objects.create(topic=topic, member=me)
    moment = timezone.now() - datetime.timedelta(hours=1)
    made = []
    for n in range(7):
        e = experience(friends[0], body=f"Jour {n}")
        p = post(topic, friends[1])
        at = moment if n < 4 else moment + datetime.timedelta(minutes=n)  # ties
        Experience.objects.filter(pk=e.pk).update(created=at)
        Post.objects.filter(pk=p.pk).update(created=at)
        made += [("e", e.pk), ("p", p.pk)]
    seen, cursor = [], None
    for _ in range(10):
        page = feed.feed_page(me, before=cursor, size=3)
        seen += _keys(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert feed.feed_page(me, before="n.importe.quoi").entries  # an odd cursor: first page


def test_pinned_topics_head_the_first_page_only(me, friends):
    pinned = TopicFactory(author=friends[0])
    Topic.objects.filter(pk=pinned.pk).update(pinned=True)
    relations.follow_create(follower=me, followed=friends[0])
    for n in range(3):
        experience(friends[0], body=f"Jour {n}", minutes_ago=n)
    page = feed.feed_page(me, size=2)
    assert [t.pk for t in page.pinned] == [pinned.pk]
    assert feed.feed_page(me, before=page.next_cursor, size=2).pinned == []


def test_feed_page_in_a_constant_number_of_queries(
    me, friends, client_as, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_as(me.user)
    client.get("/communaute/")
    for friend in friends:
        relations.follow_create(follower=me, followed=friend)
    topic = TopicFactory(author=friends[0])
    Subscription.objects.create(topic=topic, member=me)
    experience(friends[0])
    post(topic, friends[1])
    # The session's four, the header's notifications, and the feed's four: the member's
    # spaces, the experiences, the replies and the pinned topics (each with what it shows).
    with django_assert_max_num_queries(9) as few:
        response = client.get("/communaute/")
    assert response.status_code == 200
    assert len(re.findall(rb'id="feed-[ep]-\d+"', response.content)) == 2
    others = [account(f"Autre{n}").member for n in range(6)]
    for n, other in enumerate(others):
        relations.follow_create(follower=me, followed=other)
        experience(other, body=f"Texte {n}")
        post(TopicFactory(author=other), other)
        post(topic, other)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/communaute/")
    assert len(re.findall(rb'id="feed-[ep]-\d+"', response.content)) == 2 + 6 + 6
    api = client.get("/api/community/feed/")
    assert api.status_code == 200 and len(api.json()["results"]) == 14
    assert client.get("/communaute/?avant=%00").status_code == 200


def test_home_page_shows_the_feed_section(me, friends, client_as):
    relations.follow_create(follower=me, followed=friends[0])
    shared = experience(friends[0])
    page = client_as(me.user).get("/").content.decode()
    assert 'id="home-feed"' in page
    assert f'id="home-feed-e-{shared.pk}"' in page
