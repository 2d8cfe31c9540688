"""Reads of private messages, each through the access rule (``access.participations_of``)."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Left

from tenant_apps.members.models import Member
from tenant_apps.messaging import access
from tenant_apps.messaging.models import Message, Participation

INBOX_PAGE = 30
THREAD_PAGE = 50
SNIPPET = 120


@dataclass(frozen=True)
class Page:
    items: list
    # The cursor of the next (older) page, or None at the end.
    next: str | None


def _cursor_of(row: Participation) -> str:
    moment = row.last_message_at or datetime.datetime.fromtimestamp(0, tz=datetime.UTC)
    return f"{int(moment.timestamp() * 1_000_000)}.{row.pk}"


def _parse_cursor(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    """A cursor from ``_cursor_of``; anything else is the first page."""
    if not cursor:
        return None
    micros, _dot, pk = cursor.partition(".")
    if not micros.isdigit() or not pk.isdigit():
        return None
    try:
        moment = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment, int(pk)


def inbox_page(member: Member, *, after: str | None = None, size: int = INBOX_PAGE) -> Page:
    """The member's conversations, newest activity first, hidden ones left out, by keyset on
    (last message, id). Each row has ``other`` (with its user) and ``snippet``, the start of
    the last message (blank when its author's data was erased). One query."""
    last = Message.objects.filter(conversation_id=OuterRef("conversation_id")).order_by("-id")
    rows = (
        access.participations_of(member)
        .filter(hidden=False)
        .select_related("other__user")
        .annotate(
            # A message the moderators hid shows no snippet.
            snippet=Subquery(
                last.filter(status=Message.Status.PUBLISHED).values(excerpt=Left("body", SNIPPET))[
                    :1
                ]
            ),
            last_author_id=Subquery(last.values("author_id")[:1]),
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )
    position = _parse_cursor(after)
    if position is not None:
        moment, pk = position
        rows = rows.filter(Q(last_message_at__lt=moment) | Q(last_message_at=moment, pk__lt=pk))
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, _cursor_of(items[-1]) if more else None)


def thread_page(
    participation: Participation, *, before: int | None = None, size: int = THREAD_PAGE
) -> Page:
    """A conversation's messages the member may read, the newest ``size`` (older ones by
    ``before``, a message id), oldest first on the page; ``next`` is the id to ask for the
    older ones with. One query."""
    rows = access.messages_of(participation.member, participation.conversation_id).order_by("-id")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    items.reverse()
    return Page(items, str(items[0].pk) if more and items else None)


def unread_count(member: Member) -> int:
    """How many messages wait unread in the member's conversations. One query."""
    total = access.participations_of(member).filter(unread__gt=0).aggregate(total=Sum("unread"))
    return total["total"] or 0


# The header shows the count on every page: it is kept in the network's cache, computed at
# sign-in or on a miss, and forgotten whenever it changes (a message in, a conversation read
# or hidden, an erasure), so a page costs no query for it.
UNREAD_TIMEOUT = 24 * 3600


def unread_key(member_id: int) -> str:
    return f"messaging:unread:{connection.schema_name}:{member_id}"  # type: ignore[attr-defined]


def unread_count_cached(member: Member) -> int:
    """``unread_count`` through the cache (the header's number)."""
    key = unread_key(member.pk)
    count = cache.get(key)
    if count is None:
        count = unread_count(member)
        cache.set(key, count, UNREAD_TIMEOUT)
    return count


def unread_forget(*member_ids: int) -> None:
    """The members' counts changed: read again next time. Now, and again once the
    transaction commits: a page that read the count meanwhile cached the old one."""
    keys = [unread_key(pk) for pk in member_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
