"""The home feed: what the people and the topics a member follows published, newest first,
and what the association pins.

Two sources, each read through its own app's access rule and never a copy of it:

- the experiences of the members I follow (``Experience.objects.visible_to``, social.access:
  audience, status and blocks);
- the replies in the topics I follow (``Post.objects.visible_to``, forums.access), published,
  other than mine and other than those of a member hidden by a block either way.

A page is merged from at most ``size + 1`` rows of each source, by (time, source, id)
descending, so its number of queries is the same whatever the member follows; the cursor
says where the next page starts. The pinned topics (forums.access) head the first page.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q

from tenant_apps.forums.models import Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.social.access import hidden_members
from tenant_apps.social.models import Experience
from tenant_apps.social.relations import followed_ids

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
        return cls(EPOCH + timedelta(microseconds=int(micros)), source, int(pk))

    def key(self) -> tuple[datetime, int, int]:
        return (self.moment, RANK[self.source], self.id)


@dataclass(frozen=True)
class Entry:
    source: str  # EXPERIENCE or POST
    moment: datetime
    item: Any  # an Experience or a Post

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


def _before(cursor: Cursor | None, source: str, time_field: str) -> Q:
    """The rows of ``source`` strictly before the cursor in (time, source rank, id) order."""
    if cursor is None:
        return Q()
    earlier = Q(**{f"{time_field}__lt": cursor.moment})
    if RANK[source] < RANK[cursor.source]:
        return earlier | Q(**{time_field: cursor.moment})
    if RANK[source] == RANK[cursor.source]:
        return earlier | Q(**{time_field: cursor.moment, "pk__lt": cursor.id})
    return earlier


def experiences_followed(member: Member, cursor: Cursor | None, size: int) -> list[Experience]:
    rows = (
        Experience.objects.visible_to(member)
        .filter(_before(cursor, EXPERIENCE, "created"), author_id__in=followed_ids(member))
        # No join to the authors here: walking the newest experiences and keeping those of
        # whom I follow stops after a page; joined, the planner reads all of theirs first.
        .order_by("-created", "-id")
    )
    return list(rows[:size])


def posts_followed(member: Member, cursor: Cursor | None, size: int) -> list[Post]:
    rows = (
        Post.objects.visible_to(member)
        .filter(
            _before(cursor, POST, "created"),
            topic__subscriptions__member=member,
            status=Post.Status.PUBLISHED,
            # One follows a topic once its opening is read: the feed brings the replies.
            is_opening=False,
        )
        .exclude(author=member)
        .select_related("topic")
        .order_by("-created", "-id")
    )
    hidden = hidden_members(member)  # the experiences' rule's memo: one query for both
    if hidden:
        rows = rows.exclude(author_id__in=hidden)
    return list(rows[:size])


def pinned_topics(member: Member, limit: int = PINNED) -> list[Topic]:
    """The association's pinned topics this member may read, latest activity first."""
    return list(
        Topic.objects.visible_to(member)
        .filter(pinned=True)
        .select_related("category")
        .order_by("-last_post_at", "-id")[:limit]
    )


def _authors_load(entries: list[Entry]) -> None:
    """The authors of a page's entries (and their pseudonyms), in one query."""
    ids = {entry.item.author_id for entry in entries if entry.item.author_id is not None}
    if not ids:
        return
    authors = Member.objects.select_related("user").in_bulk(ids)
    for entry in entries:
        if entry.item.author_id is not None:
            entry.item.author = authors[entry.item.author_id]


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
    _authors_load(entries)
    return FeedPage(
        entries=entries,
        next_cursor=next_cursor,
        pinned=pinned_topics(member) if cursor is None and pinned else [],
    )
