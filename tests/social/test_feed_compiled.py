"""The feed's queries, compiled once per shape (core.compiled): the same entries as the
access rules' own querysets give (``visible_to``) for patients, caregivers and moderators,
over every page; the rules' shapes agree; a fixed number of queries whatever one follows."""

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.markup import render_markdown
from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import (
    Category,
    Group,
    GroupMembership,
    Post,
    Subscription,
    Topic,
)
from tenant_apps.members.models import Member, ProfileType, Role, Space
from tenant_apps.social import access, feed, relations
from tenant_apps.social.models import Block, Experience, Follow
from tests.forums.factories import PostFactory, TopicFactory
from tests.members.factories import account

pytestmark = pytest.mark.django_db

START = timezone.now() - datetime.timedelta(days=1)


def _at(minutes: int) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def _experience(author, minutes, **fields):
    body = f"Expérience {minutes}"
    made = Experience.objects.create(
        author=author, body=body, body_html=str(render_markdown(body)), **fields
    )
    Experience.objects.filter(pk=made.pk).update(created=_at(minutes))
    return made


def _reply(topic, author, minutes, **fields):
    made = PostFactory(topic=topic, author=author, **fields)
    Post.objects.filter(pk=made.pk).update(created=_at(minutes))
    return made


@pytest.fixture
def cast(tenant):
    return {
        "patient": account("Lecteur").member,
        "caregiver": account("Aidante", profile_type=ProfileType.CAREGIVER).member,
        "moderator": account("Modo", Role.MODERATOR).member,
    }


@pytest.fixture
def world(cast):
    """Experiences of every audience and status, replies in topics of both spaces, of an
    on-request group and hidden ones, ties on the time across sources, blocks both ways."""
    patients = Space.objects.get(slug="patients")
    carers = Space.objects.get(slug="proches-aidants")
    authors = [account(f"Amie{n}").member for n in range(4)]
    authors.append(account("Proche", profile_type=ProfileType.CAREGIVER).member)
    group = Group.objects.create(
        space=patients, name="Stade 4", slug="stade-4-feed", description="…",
        access=Group.Access.ON_REQUEST, status=Group.Status.APPROVED,
    )  # fmt: skip
    group_category = Category.objects.create(
        space=patients, group=group, name="Stade 4", slug="stade-4-feed"
    )
    # Its members read it; the patient reading the feed is not one of them.
    GroupMembership.objects.create(group=group, member=cast["caregiver"])
    topics = [
        TopicFactory(author=authors[0], category=Category.objects.get(slug="traitements")),
        TopicFactory(author=authors[4], category=Category.objects.get(slug="aider-sans-s-epuiser")),
        TopicFactory(author=authors[1], category=group_category),
        TopicFactory(author=authors[1], status=Topic.Status.HIDDEN),
    ]
    audiences = [
        {"audience": "network"},
        {"audience": "followers"},
        {"audience": "spaces", "space_ids": [patients.pk]},
        {"audience": "spaces", "space_ids": [carers.pk]},
        {"audience": "network", "status": "held"},
        {"audience": "network", "status": "hidden"},
    ]
    minutes = 0
    for round_ in range(3):
        for n, author in enumerate(authors):
            for fields in audiences:
                minutes += 1 if (n + round_) % 3 else 0  # ties within and across sources
                _experience(author, minutes, **fields)
            for topic in topics:
                status = Post.Status.HELD if (n + round_) % 4 == 0 else Post.Status.PUBLISHED
                _reply(topic, author, minutes, status=status)
    for reader in cast.values():
        _experience(reader, minutes)  # one's own are not one's feed
        _reply(topics[0], reader, minutes)
        for author in authors:
            Follow.objects.create(follower=reader, followed=author)
        for topic in topics:
            Subscription.objects.create(topic=topic, member=reader)
    # Blocks either way hide both sides, even where a follow is left.
    Block.objects.create(blocker=cast["patient"], blocked=authors[2])
    Block.objects.create(blocker=authors[3], blocked=cast["caregiver"])
    return authors


def _reference(member: Member, *, posts: bool = True) -> list[tuple[str, int]]:
    """The feed from the rules' own querysets, uncompiled, in the feed's order."""
    followed = Follow.objects.filter(follower=member).values("followed_id")
    rows = [
        (e.created, feed.RANK[feed.EXPERIENCE], e.pk)
        for e in Experience.objects.visible_to(member).filter(author_id__in=followed)
    ]
    if posts:
        hidden = access.hidden_members(member)
        rows += [
            (p.created, feed.RANK[feed.POST], p.pk)
            for p in Post.objects.visible_to(member)
            .filter(
                topic__subscriptions__member=member,
                status=Post.Status.PUBLISHED,
                is_opening=False,
            )
            .exclude(Q(author=member) | Q(author_id__in=hidden))
        ]
    source = {rank: name for name, rank in feed.RANK.items()}
    return [(source[rank], pk) for _, rank, pk in sorted(rows, reverse=True)]


def _walk(member: Member, *, size: int, posts: bool = True) -> list[tuple[str, int]]:
    seen, cursor = [], None
    for _ in range(200):
        page = feed.feed_page(
            Member.objects.get(pk=member.pk), before=cursor, size=size, posts=posts
        )
        seen += [(entry.source, entry.id) for entry in page.entries]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the feed never ends")


@pytest.mark.parametrize("who", ["patient", "caregiver", "moderator"])
def test_every_page_holds_what_the_rules_querysets_give(cast, world, who):
    member = cast[who]
    expected = _reference(member)
    assert len(expected) > 20  # the data reach every case, over several pages
    assert _walk(member, size=7) == expected
    assert _walk(member, size=7, posts=False) == _reference(member, posts=False)


def test_the_pages_entries_carry_their_authors_and_topics(cast, world, django_assert_num_queries):
    member = Member.objects.get(pk=cast["patient"].pk)
    page = feed.feed_page(member)
    with django_assert_num_queries(0):
        names = [entry.item.author.user.username for entry in page.entries]
        titles = [entry.item.topic.title for entry in page.entries if not entry.is_experience]
    others = [*world, cast["caregiver"], cast["moderator"]]
    assert set(names) <= {a.user.username for a in others} and titles


def test_blocks_either_way_leave_nothing_of_the_other(cast, world):
    blocked, blocker = world[2], world[3]
    patient = [key for key in _walk(cast["patient"], size=50)]
    authors = {(feed.EXPERIENCE, e.pk): e.author_id for e in Experience.objects.all()} | {
        (feed.POST, p.pk): p.author_id for p in Post.objects.all()
    }
    assert blocked.pk not in {authors[key] for key in patient}
    caregiver = _walk(cast["caregiver"], size=50)
    assert blocker.pk not in {authors[key] for key in caregiver}
    assert blocked.pk in {authors[key] for key in caregiver}


@pytest.mark.parametrize("who", ["patient", "caregiver", "moderator"])
def test_visible_for_is_visible_to(cast, world, who):
    member = Member.objects.get(pk=cast[who].pk)
    shape = access.reader_shape(member)
    assert shape == forums_access.reader_shape(member).space_ids  # the feed reads them once
    compiled = Experience.objects.visible_for(shape, member.pk)
    assert set(compiled) == set(Experience.objects.visible_to(member))


def test_a_shape_is_compiled_once_for_all_its_members(cast, world):
    feed.feed_page(Member.objects.get(pk=cast["patient"].pk))
    plans = [len(q._plans) for q in (feed._EXPERIENCES, feed._POSTS, feed._PINNED)]
    other = account("Autre").member
    relations.follow_create(follower=other, followed=world[0])
    feed.feed_page(Member.objects.get(pk=other.pk))
    assert [len(q._plans) for q in (feed._EXPERIENCES, feed._POSTS, feed._PINNED)] == plans


def _grow(member: Member, count: int) -> None:
    """``count`` more followed members, each with an experience and a followed topic."""
    start = Follow.objects.filter(follower=member).count()
    for n in range(start, start + count):
        other = account(f"Suivie{n}").member
        Follow.objects.create(follower=member, followed=other)
        _experience(other, 10_000 + n)
        topic = TopicFactory(author=other, category=Category.objects.get(slug="traitements"))
        Topic.objects.filter(pk=topic.pk).update(pinned=n % 2 == 0)
        Subscription.objects.create(topic=topic, member=member)
        _reply(topic, other, 10_000 + n)


def test_queries_of_a_page_whatever_one_follows(cast, django_assert_num_queries):
    """The member's spaces, the experiences, the replies and the pinned topics on a first
    page; no pinned topics on the next; the experiences alone for the home page."""
    member = cast["patient"]
    for count in (2, 12):
        _grow(member, count if count == 2 else count - 2)
        fresh = [Member.objects.get(pk=member.pk) for _ in range(3)]  # no memo of the spaces
        with django_assert_num_queries(4):
            page = feed.feed_page(fresh[0], size=3)
        assert len(page.entries) == 3 and page.pinned and page.next_cursor
        with django_assert_num_queries(3):
            feed.feed_page(fresh[1], before=page.next_cursor, size=3)
        with django_assert_num_queries(2):
            home = feed.feed_page(fresh[2], size=3, posts=False, pinned=False)
        assert len(home.entries) == min(count, 3)


def test_who_may_not_read_gets_an_empty_page_without_a_query(cast, django_assert_num_queries):
    member = cast["patient"]
    Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    member = Member.objects.get(pk=member.pk)
    with django_assert_num_queries(0):
        page = feed.feed_page(member)
    assert page.entries == [] and page.pinned == [] and page.next_cursor is None


@pytest.mark.parametrize(
    "cursor", ["999999999999999999.e.1", "0.p.0", "1.x.1", "-1.e.1", "1.e.", "", "a.b.c.d"]
)
def test_odd_cursors(cast, client_as, cursor):
    client = client_as(cast["patient"].user)
    assert client.get(f"/communaute/?avant={cursor}").status_code == 200
    assert client.get(f"/api/community/feed/?cursor={cursor}").status_code == 200


def test_the_entries_links_are_those_reverse_gives(cast, world, client_as):
    member = Member.objects.get(pk=cast["patient"].pk)
    page = feed.feed_page(member, size=50)
    assert {entry.source for entry in page.entries} == {feed.EXPERIENCE, feed.POST}
    html = client_as(member.user).get("/communaute/").content.decode()
    for entry in page.entries:
        if entry.is_experience:
            assert entry.url == reverse("social:experience", args=[entry.id])
        else:
            topic = reverse("forums:topic", args=[entry.item.topic_id])
            assert entry.url == f"{topic}#message-{entry.id}"
        name = entry.item.author.user.username
        assert entry.author_name == name
        assert entry.author_url == reverse("relations:profile", args=[name])
    for entry in page.entries[: feed.PER_PAGE]:
        assert f'id="feed-{entry.ref}"' in html
        assert f'href="{entry.url}"' in html and f'href="{entry.author_url}"' in html
