"""Who follows whom and who blocked whom: the writes (services) and the reads (selectors).

Experiences' access, the feed, matching and private messages ask this module about blocks
(``blocked_ids``, ``is_blocked``) and follows (``followed_ids``, ``follows``); none keeps a
copy of either rule.

A block hides both ways and is never told: it removes the follows between the two members
in both directions, sends nothing, and the blocked member only stops seeing the blocker's
content (their profile, experiences and suggestions answer as if the blocker did not exist).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notifications_fan_out, notifications_from_forget
from tenant_apps.social.models import Block, Follow

# --- selectors ----------------------------------------------------------------------------


def blocked_ids(member: Member) -> set[int]:
    """The members ``member`` blocked or was blocked by: hidden from each other both ways.

    One query; kept on the member for the rest of the request (``blocks_forget`` after a
    change)."""
    cached = getattr(member, "_social_blocked_ids", None)
    if cached is None:
        cached = set()
        pairs = Block.objects.filter(Q(blocker=member) | Q(blocked=member)).values_list(
            "blocker_id", "blocked_id"
        )
        for blocker_id, blocked_id in pairs:
            cached.add(blocked_id if blocker_id == member.pk else blocker_id)
        member._social_blocked_ids = cached  # type: ignore[attr-defined]  # a request's memo
    return cached


def blocked_ids_query(member: Member) -> QuerySet:
    """``blocked_ids`` as a subquery, for a filter inside one SQL statement (lists, the
    matching): ``.exclude(pk__in=blocked_ids_query(member))``."""
    return blocked_ids_query_of(member.pk)


def blocked_ids_query_of(member_id: int) -> QuerySet:
    """``blocked_ids_query`` from the member's id (a query compiled once, core.compiled)."""
    return (
        Block.objects.filter(blocker_id=member_id)
        .values("blocked_id")
        .union(Block.objects.filter(blocked_id=member_id).values("blocker_id"))
    )


def blocks_forget(member: Member) -> None:
    """After a block or an unblock, within the same request."""
    member.__dict__.pop("_social_blocked_ids", None)


def is_blocked(a: Member, b: Member) -> bool:
    """Whether either of the two blocked the other."""
    return b.pk in blocked_ids(a)


def has_blocked(blocker: Member, blocked: Member) -> bool:
    """Whether ``blocker`` blocked ``blocked`` (for the blocker's own pages only: the blocked
    member is never told)."""
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def follows(follower: Member, followed: Member) -> bool:
    return Follow.objects.filter(follower=follower, followed=followed).exists()


def followed_ids(member: Member) -> QuerySet:
    """The ids of the members ``member`` follows, as a subquery (messaging's "people I
    follow")."""
    return followed_ids_of(member.pk)


def followed_ids_of(member_id: int) -> QuerySet:
    """``followed_ids`` from the member's id (the feed's query, compiled once)."""
    return Follow.objects.filter(follower_id=member_id).values("followed_id")


def reachable_members() -> QuerySet[Member]:
    """Members a relation may point at: active, not erased."""
    return Member.objects.filter(status=Member.Status.ACTIVE, user__isnull=False)


def _relation_page(queryset: QuerySet, *, after: int | None, size: int) -> list:
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    return list(queryset.order_by("-pk")[:size])


def followers_page(member: Member, *, after: int | None = None, size: int = 30) -> list[Follow]:
    """Who follows ``member``, newest first, by keyset on the follow's id: active members
    only, those hidden by a block left out. Each row's ``follower`` is loaded."""
    rows = (
        Follow.objects.filter(followed=member, follower__in=reachable_members())
        .exclude(follower_id__in=blocked_ids_query(member))
        .select_related("follower__user")
    )
    return _relation_page(rows, after=after, size=size)


def following_page(member: Member, *, after: int | None = None, size: int = 30) -> list[Follow]:
    """Whom ``member`` follows, newest first, by keyset on the follow's id."""
    rows = (
        Follow.objects.filter(follower=member, followed__in=reachable_members())
        .exclude(followed_id__in=blocked_ids_query(member))
        .select_related("followed__user")
    )
    return _relation_page(rows, after=after, size=size)


def blocks_page(member: Member, *, after: int | None = None, size: int = 30) -> list[Block]:
    """Whom ``member`` blocked, newest first (their own list, to unblock)."""
    rows = Block.objects.filter(blocker=member, blocked__user__isnull=False).select_related(
        "blocked__user"
    )
    return _relation_page(rows, after=after, size=size)


def relation_counts(member: Member) -> dict[str, int]:
    """How many follow ``member`` and how many they follow (the profile's two numbers)."""
    hidden = blocked_ids_query(member)
    return {
        "followers": Follow.objects.filter(followed=member, follower__in=reachable_members())
        .exclude(follower_id__in=hidden)
        .count(),
        "following": Follow.objects.filter(follower=member, followed__in=reachable_members())
        .exclude(followed_id__in=hidden)
        .count(),
    }


# --- services -----------------------------------------------------------------------------


def _check_reachable(actor: Member, other: Member, field: str) -> None:
    """The same refusal for oneself, an erased or suspended member, and a block either way:
    callers answer it as "does not exist"."""
    if (
        other.pk == actor.pk
        or other.user_id is None
        or other.status != Member.Status.ACTIVE
        or is_blocked(actor, other)
    ):
        raise ValidationError({field: _("This member cannot be found.")})


@transaction.atomic
def follow_create(*, follower: Member, followed: Member) -> Follow:
    """Follow a member; they are told once. A second submit, or two at once, changes
    nothing (unique constraint)."""
    _check_reachable(follower, followed, "followed")
    try:
        with transaction.atomic():
            follow = Follow.objects.create(follower=follower, followed=followed)
    except IntegrityError:
        # Already following (a double submit, or a request that won the race).
        return Follow.objects.get(follower=follower, followed=followed)
    notifications_fan_out(
        recipient_ids=[followed.pk],
        kind=Notification.Kind.FOLLOW,
        subject="",
        # Their own followers' list: no pseudonym in a stored address.
        url=reverse("relations:followers"),
        # Told once per follower, whatever the number of follow/unfollow.
        source=f"social.follow:{follower.pk}",
        actor=follower,
    )
    return follow


def follow_delete(*, follower: Member, followed: Member) -> bool:
    """Stop following a member; returns whether a follow was removed."""
    deleted, _rows = Follow.objects.filter(follower=follower, followed=followed).delete()
    return bool(deleted)


def follower_remove(*, member: Member, follower: Member) -> bool:
    """``member`` removes ``follower`` from their followers (the follower is not told)."""
    deleted, _rows = Follow.objects.filter(follower=follower, followed=member).delete()
    return bool(deleted)


@transaction.atomic
def block_create(*, blocker: Member, blocked: Member) -> Block:
    """Block a member: the follows between them go both ways, nobody is told.

    Blocking oneself is refused; blocking an erased member is pointless but harmless.
    Idempotent under a double submit."""
    if blocked.pk == blocker.pk:
        raise ValidationError({"blocked": _("This member cannot be found.")})
    Follow.objects.filter(
        Q(follower=blocker, followed=blocked) | Q(follower=blocked, followed=blocker)
    ).delete()
    try:
        with transaction.atomic():
            block = Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        block = Block.objects.get(blocker=blocker, blocked=blocked)
    # The blocker stops reading the blocked member's name in what they were told; the
    # blocked member's own notifications stay as they were (nothing tells them).
    notifications_from_forget(recipient=blocker, actor=blocked)
    blocks_forget(blocker)
    return block


def block_delete(*, blocker: Member, blocked: Member) -> bool:
    """Unblock: the two see each other again (follows removed by the block stay removed)."""
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    blocks_forget(blocker)
    return bool(deleted)
