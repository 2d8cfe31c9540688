"""Who may read an experience and its comments: the only definition of it.

Pages, the API, the home feed (social.feed), notifications, moderation's report page and a
member's export all ask this module.

The rule, for an active member of this network (``is_reader``; anyone else reads nothing):

- their own experiences and comments, whatever their status (held, hidden: the author sees
  why);
- others' *published* experiences whose audience reaches them: the whole network; the
  author's spaces (``space_ids``, written with the experience) when the reader enters one of
  them (``members.selectors.spaces_for``; moderators and admins enter every space); the
  author's followers when the reader follows the author (``social.Follow``);
- never anything of a member they blocked or who blocked them (a block hides both ways, and
  the blocked member is not told: the rule simply returns nothing of the other);
- the published comments of an experience they may read, from members not blocked either
  way, and their own.

Moderators read the rest of what members wrote through the moderation queue
(``moderation.selectors``), never through this rule: a followers-only experience stays
between its author and their followers unless it is reported.

This module imports no social model (the models import its querysets).
"""

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import is_reader
from tenant_apps.members.selectors import spaces_for

# Experience.Status and Audience values, named here because the models import this module;
# tests/social/test_experience_access.py checks that they match.
PUBLISHED = "published"
NETWORK = "network"
SPACES = "spaces"
FOLLOWERS = "followers"


def _space_ids(member: Member) -> list[int]:
    cached = getattr(member, "_social_space_ids", None)
    if cached is None:
        cached = [space.pk for space in spaces_for(member)]
        member._social_space_ids = cached  # type: ignore[attr-defined]  # a memo for this request
    return cached


def hidden_members(member: Member) -> list[int]:
    """Ids of the members this one blocked or was blocked by: nothing of theirs shows."""
    cached = getattr(member, "_social_hidden_ids", None)
    if cached is None:
        block = apps.get_model("social", "Block")
        pairs = block.objects.filter(Q(blocker=member) | Q(blocked=member)).values_list(
            "blocker_id", "blocked_id"
        )
        cached = sorted({a if b == member.pk else b for a, b in pairs})
        member._social_hidden_ids = cached  # type: ignore[attr-defined]  # a memo for this request
    return cached


def is_blocked_either_way(member: Member, other_id: int | None) -> bool:
    """Whether ``member`` and the member ``other_id`` blocked one another (either way)."""
    return other_id is not None and other_id in hidden_members(member)


def follows(member: Member, author_id: int) -> bool:
    follow = apps.get_model("social", "Follow")
    return follow.objects.filter(follower=member, followed_id=author_id).exists()


def reader_shape(member: Member) -> tuple[int, ...]:
    """All the rule depends on besides an active member's id: the ids of the spaces they
    enter (``spaces_for``). Members of the same shape read the same SQL but for their id:
    the key of a query compiled once (core.compiled) for all of them
    (``ExperienceQuerySet.visible_for``)."""
    return tuple(_space_ids(member))


def experience_q(member: Member, prefix: str = "") -> Q:
    """The readers' rule as a filter (``prefix`` names the experience from another model)."""
    return experience_q_of(reader_shape(member), member.pk, prefix, hidden=hidden_members(member))


def experience_q_of(
    shape: tuple[int, ...], member_id: int, prefix: str = "", *, hidden: list[int] | None = None
) -> Q:
    """``experience_q`` from the member's shape and id. The blocks either way are ``hidden``
    when already read (``hidden_members``), else a subquery of the same query: the SQL then
    depends on the shape alone."""
    follow = apps.get_model("social", "Follow")
    following = Exists(
        follow.objects.filter(follower_id=member_id, followed=OuterRef(f"{prefix}author_id"))
    )
    audience = (
        Q(**{f"{prefix}audience": NETWORK})
        | Q(**{f"{prefix}audience": SPACES, f"{prefix}space_ids__overlap": list(shape)})
        | (Q(**{f"{prefix}audience": FOLLOWERS}) & Q(following))
    )
    others = Q(**{f"{prefix}status": PUBLISHED}) & audience
    if hidden is None:
        block = apps.get_model("social", "Block")
        blocked = (
            block.objects.filter(blocker_id=member_id)
            .values("blocked_id")
            .union(block.objects.filter(blocked_id=member_id).values("blocker_id"))
        )
        others &= ~Q(**{f"{prefix}author_id__in": blocked})
    elif hidden:
        others &= ~Q(**{f"{prefix}author_id__in": hidden})
    return Q(**{f"{prefix}author_id": member_id}) | others


class ExperienceQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "ExperienceQuerySet":
        """Experiences this member may read."""
        if not is_reader(member):
            return self.none()
        return self.filter(experience_q(member))

    def visible_for(self, shape: tuple[int, ...], member_id: int) -> "ExperienceQuerySet":
        """``visible_to`` for an active member (``is_reader``), from their shape
        (``reader_shape``) and id: for a query compiled once per shape (core.compiled),
        such as the feed's."""
        return self.filter(experience_q_of(shape, member_id))


class CommentQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "CommentQuerySet":
        """Comments this member may read: of experiences they may read, published or their
        own, never of a member blocked either way."""
        if not is_reader(member):
            return self.none()
        rule = experience_q(member, "experience__") & (Q(status=PUBLISHED) | Q(author=member))
        hidden = hidden_members(member)
        if hidden:
            rule &= ~Q(author_id__in=hidden)
        return self.filter(rule)


def experience_readable(member: Member | None, experience) -> bool:
    """``ExperienceQuerySet.visible_to`` for one experience already loaded."""
    if not is_reader(member):
        return False
    if experience.author_id == member.pk:
        return True
    if experience.status != PUBLISHED or is_blocked_either_way(member, experience.author_id):
        return False
    if experience.audience == NETWORK:
        return True
    if experience.audience == SPACES:
        return bool(set(experience.space_ids) & set(_space_ids(member)))
    return experience.audience == FOLLOWERS and follows(member, experience.author_id)


def experience_or_404(member: Member | None, queryset: ExperienceQuerySet, pk: int) -> Any:
    """The experience among those this member may read, else the same 404 as a missing one."""
    found = queryset.visible_to(member).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def comment_or_404(member: Member | None, queryset: CommentQuerySet, pk: int) -> Any:
    """The comment among those this member may read, else the same 404 as a missing one."""
    found = queryset.visible_to(member).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
