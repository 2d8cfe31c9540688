"""The home feed: what the people and the topics a member follows published, newest first,
and what the association pins.

Two sources, each read through its own app's access rule and never a copy of it:

- the experiences of the members I follow (``Experience.objects.visible_for``,
  social.access: audience, status and blocks);
- the replies in the topics I follow (``posts_of_topics_q_of``, forums.access: the topics
  through ``Topic.objects.visible_for``, then the posts' own part), published, other than mine
  and other than those of a member hidden by a block either way (social.relations).

A page is merged from at most ``size + 1`` rows of each source, by (time, source, id)
descending, so its number of queries is the same whatever the member follows; the cursor
says where the next page starts. The pinned topics (forums.access) head the first page.

Each source is one query, with its rows' authors (and a post's topic) joined to the page's
rows only, after the newest are chosen: joined earlier, the planner reads all of the
followed members' experiences first. The three queries are compiled by the ORM once per
process and *shape* (core.compiled): the rules' shapes (the member's spaces, whether they
moderate), the page's size and where the cursor stands to the source; each request binds
the member's id and the cursor. Both rules depend on the member's spaces
(``members.selectors.spaces_for``), read once for the two.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import reverse

from core.compiled import Compiled
from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import is_reader
from tenant_apps.social.models import Experience
from tenant_apps.social.relations import blocked_ids_query_of, followed_ids_of

PER_PAGE = 20
PINNED = 5
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Ties on the time are broken by the source, then the id: experiences after posts.
EXPERIENCE = "e"
POST = "p"
RANK = {POST: 0, EXPERIENCE: 1}


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: strictly before (moment, source, id)."""

    moment: datetime
    source: str
    id: int

    def encode(self) -> str:
        micros = (self.moment - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.source}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor | None":
        """None for anything this module did not write (the first page is shown)."""
        parts = value.split(".")
        if len(parts) != 3 or parts[1] not in RANK:
            return None
        micros, source, pk = parts
        if not micros.isdigit() or not pk.isdigit() or len(micros) > 18 or len(pk) > 18:
            return None
        try:
            moment = EPOCH + timedelta(microseconds=int(micros))
        except OverflowError:  # beyond the year 9999
            return None
        return cls(moment, source, int(pk))

    def key(self) -> tuple[datetime, int, int]:
        return (self.moment, RANK[self.source], self.id)


@dataclass(frozen=True)
class Entry:
    source: str  # EXPERIENCE or POST
    moment: datetime
    item: Any  # an Experience or a Post
    # Filled for a page's entries (``_linked``): the item's page, its author's pseudonym
    # ("" once erased) and profile.
    url: str = ""
    author_name: str = ""
    author_url: str = ""

    @property
    def ref(self) -> str:
        """The entry's name on a page: its source and id ("e-12")."""
        return f"{self.source}-{self.item.pk}"

    @property
    def id(self) -> int:
        return self.item.pk

    def key(self) -> tuple[datetime, int, int]:
        return (self.moment, RANK[self.source], self.item.pk)

    @property
    def is_experience(self) -> bool:
        return self.source == EXPERIENCE


@dataclass
class FeedPage:
    entries: list[Entry]
    next_cursor: str | None
    pinned: list[Topic] = field(default_factory=list)


# Where a source's rows stand to the cursor, which decides the SQL of "before the cursor":
# the source ranks below the cursor's (its rows at the cursor's very moment come after it),
# the same source (ties broken by the id), or above (only earlier rows).
AT_OR_BEFORE = "at_or_before"
BEFORE_BY_ID = "before_by_id"
BEFORE = "before"


def _relation(cursor: Cursor | None, source: str) -> str | None:
    if cursor is None:
        return None
    if RANK[source] < RANK[cursor.source]:
        return AT_OR_BEFORE
    if RANK[source] == RANK[cursor.source]:
        return BEFORE_BY_ID
    return BEFORE


def _before(relation: str | None, *, moment: str, cursor_id: int) -> Q:
    """The rows strictly before the cursor in (time, source rank, id) order. The cursor's
    moment is bound as text (ISO 8601) cast by the database: a compiled query holds no
    time of its own."""
    if relation is None:
        return Q()
    at = Cast(Value(moment), output_field=DateTimeField())
    earlier = Q(created__lt=at)
    if relation == AT_OR_BEFORE:
        return earlier | Q(created=at)
    if relation == BEFORE_BY_ID:
        return earlier | Q(created=at, pk__lt=cursor_id)
    return earlier


def _experiences_query(
    shape: tuple[tuple[int, ...], str | None, int], *, member_id: int, moment: str, cursor_id: int
) -> QuerySet:
    spaces, relation, size = shape
    newest = (
        Experience.objects.visible_for(spaces, member_id)
        .filter(
            _before(relation, moment=moment, cursor_id=cursor_id),
            author_id__in=followed_ids_of(member_id),
        )
        .order_by("-created", "-id")
        .values("pk")[:size]
    )
    return (
        Experience.objects.filter(pk__in=newest)
        .select_related("author__user")
        .order_by("-created", "-id")
    )


def _posts_query(
    shape: tuple[forums_access.ReaderShape, str | None, int],
    *,
    member_id: int,
    moment: str,
    cursor_id: int,
) -> QuerySet:
    reader, relation, size = shape
    # One follows a topic once its opening is read: the feed brings the replies.
    followed_topics = Topic.objects.filter(subscriptions__member_id=member_id)
    newest = (
        Post.objects.filter(
            forums_access.posts_of_topics_q_of(reader, member_id, followed_topics),
            _before(relation, moment=moment, cursor_id=cursor_id),
            status=Post.Status.PUBLISHED,
            is_opening=False,
        )
        .exclude(author_id=member_id)
        .exclude(author_id__in=blocked_ids_query_of(member_id))
        .order_by("-created", "-id")
        .values("pk")[:size]
    )
    return (
        Post.objects.filter(pk__in=newest)
        .select_related("topic", "author__user")
        .defer("search_vector", "topic__search_vector")
        .order_by("-created", "-id")
    )


def _pinned_query(shape: tuple[forums_access.ReaderShape, int], *, member_id: int) -> QuerySet:
    reader, limit = shape
    return (
        Topic.objects.visible_for(reader, member_id)
        .filter(pinned=True)
        .select_related("category")
        .defer("search_vector")
        .order_by("-last_post_at", "-id")[:limit]
    )


_EXPERIENCES = Compiled(_experiences_query, "member_id", "cursor_id", texts=("moment",))
_POSTS = Compiled(_posts_query, "member_id", "cursor_id", texts=("moment",))
_PINNED = Compiled(_pinned_query, "member_id")


def _shapes(member: Member) -> tuple[forums_access.ReaderShape, tuple[int, ...]]:
    """The forums' rule's shape and the experiences' one. The latter is the ids of the
    member's spaces (``social.access.reader_shape``), which the former holds already:
    read once for both (tests/social/test_feed_compiled.py checks they agree)."""
    reader = forums_access.reader_shape(member)
    return reader, reader.space_ids


def _cursor_values(member: Member, cursor: Cursor | None) -> dict[str, Any]:
    return {
        "member_id": member.pk,
        "moment": cursor.moment.isoformat() if cursor else "",
        "cursor_id": cursor.id if cursor else 0,
    }


def experiences_followed(member: Member, cursor: Cursor | None, size: int) -> list[Experience]:
    """The newest ``size`` experiences of whom ``member`` (an active member) follows that
    they may read, before ``cursor``, each with its author loaded."""
    _reader, spaces = _shapes(member)
    shape = (spaces, _relation(cursor, EXPERIENCE), size)
    return _EXPERIENCES.fetch(shape, **_cursor_values(member, cursor))


def posts_followed(member: Member, cursor: Cursor | None, size: int) -> list[Post]:
    """The newest ``size`` replies of the topics ``member`` follows that they may read,
    before ``cursor``, each with its topic and author loaded."""
    reader, _spaces = _shapes(member)
    shape = (reader, _relation(cursor, POST), size)
    return _POSTS.fetch(shape, **_cursor_values(member, cursor))


def pinned_topics(member: Member, limit: int = PINNED) -> list[Topic]:
    """The association's pinned topics this member may read, latest activity first."""
    reader, _spaces = _shapes(member)
    return _PINNED.fetch((reader, limit), member_id=member.pk)


# An id in no page's path, where the item's id goes: each of the items' URLs is reversed
# once a page, not once an entry (the page's rendering was most of its time in Python).
_STAND_IN = 987654321987654321


def _url_of(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for any ``pk``, reversed once."""
    head, tail = reverse(name, args=[_STAND_IN]).split(str(_STAND_IN))
    return lambda pk: f"{head}{pk}{tail}"


def _linked(entries: list[Entry]) -> list[Entry]:
    experience_url, topic_url = _url_of("social:experience"), _url_of("forums:topic")
    profiles: dict[str, str] = {}
    linked = []
    for entry in entries:
        item = entry.item
        if entry.is_experience:
            url = experience_url(item.pk)
        else:
            url = f"{topic_url(item.topic_id)}#message-{item.pk}"
        author = item.author
        name = author.user.username if author is not None and author.user else ""
        if name and name not in profiles:
            profiles[name] = reverse("relations:profile", args=[name])
        linked.append(replace(entry, url=url, author_name=name, author_url=profiles.get(name, "")))
    return linked


def feed_page(
    member: Member,
    *,
    before: str | None = None,
    size: int = PER_PAGE,
    pinned: bool = True,
    posts: bool = True,
) -> FeedPage:
    """One page of ``member``'s feed, newest first; the pinned topics on the first page.

    The home page asks for the experiences alone (``posts`` and ``pinned`` False): the
    followed discussions and the pinned topics have sections of their own there."""
    if not is_reader(member):
        return FeedPage(entries=[], next_cursor=None)
    cursor = Cursor.decode(before) if before else None
    entries = [
        Entry(EXPERIENCE, e.created, e) for e in experiences_followed(member, cursor, size + 1)
    ]
    if posts:
        entries += [Entry(POST, p.created, p) for p in posts_followed(member, cursor, size + 1)]
    entries.sort(key=Entry.key, reverse=True)
    next_cursor = None
    if len(entries) > size:
        entries = entries[:size]
        last = entries[-1]
        next_cursor = Cursor(last.moment, last.source, last.id).encode()
    return FeedPage(
        entries=_linked(entries),
        next_cursor=next_cursor,
        pinned=pinned_topics(member) if cursor is None and pinned else [],
    )
