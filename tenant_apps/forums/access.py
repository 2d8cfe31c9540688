"""What a member may read in the forums: the only definition of it.

Pages, the API, the search, mentions, follower notifications, reports, article cards and
exports all ask this module. Hand-written SQL is composed from these querysets' compiled SQL
(``Topic.objects.visible_to(member).query``), never from a copy of the rule.

The rule:

- Only an active member of this network reads anything (a suspended member, a signed-out
  visitor and an account of another network read nothing).
- Categories: those of the member's spaces (``members.selectors.spaces_for``); a group's
  category only once the group is approved, and an on-request group's only for its members
  (membership status ``member``). Moderators see every approved group of their spaces.
- Topics: in a readable category, visible, or the member's own held or hidden ones;
  moderators read every topic of a readable category.
- Posts: in a readable topic, published, or the member's own; moderators read all. The body
  of a hidden post is shown to moderators only (``post_body_shown``).

Anything out of reach is the same 404 as what does not exist (``topic_or_404`` …).

This module imports no forums model (the models import its querysets): it reaches the
related models through ``_meta`` and the instances it is given.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.members.selectors import space_open_to, spaces_for

# The values of the models' choices, named once here for the querysets (the models import
# this module, so it cannot import their enums); tests/forums/test_access.py checks that
# they match.
GROUP_APPROVED = "approved"
GROUP_PUBLIC = "public"
MEMBERSHIP_MEMBER = "member"
TOPIC_VISIBLE = "visible"
POST_PUBLISHED = "published"
POST_HIDDEN = "hidden"


def is_moderator(member: Member | None) -> bool:
    return is_reader(member) and has_permission(member, "forums.topic:moderate")


def _space_ids(member: Member) -> list[int]:
    cached = getattr(member, "_forum_space_ids", None)
    if cached is None:
        cached = [space.pk for space in spaces_for(member)]
        member._forum_space_ids = cached  # type: ignore[attr-defined]  # a memo for this request
    return cached


@dataclass(frozen=True)
class ReaderShape:
    """All the categories' and topics' rule depends on besides the member's id: whether
    they moderate and the spaces they enter. Two active members of the same shape read the
    same SQL but for their id: the key of a query compiled once (core.compiled) for all of
    them (``TopicQuerySet.visible_for``)."""

    moderator: bool
    space_ids: tuple[int, ...]


def reader_shape(member: Member) -> ReaderShape:
    """The shape of an active member (``is_reader``)."""
    return ReaderShape(moderator=is_moderator(member), space_ids=tuple(_space_ids(member)))


# --- Querysets -----------------------------------------------------------------------------


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "CategoryQuerySet":
        """Categories this member may open."""
        if not is_reader(member):
            return self.none()
        return self.visible_for(reader_shape(member), member.pk)

    def visible_for(self, shape: ReaderShape, member_id: int) -> "CategoryQuerySet":
        """``visible_to`` for an active member, from their shape and id."""
        membership_model = _related(_related(self.model, "group"), "memberships")
        approved = Q(group__status=GROUP_APPROVED)
        if shape.moderator:
            groups = approved
        else:
            joined = membership_model.objects.filter(
                member_id=member_id, status=MEMBERSHIP_MEMBER
            ).values("group_id")
            groups = approved & (Q(group__access=GROUP_PUBLIC) | Q(group_id__in=joined))
        return self.filter(Q(group__isnull=True) | groups, space_id__in=shape.space_ids)


def _related(model: type[models.Model], field: str) -> Any:
    """The model at the end of a relation: this module cannot import the forums' models."""
    return model._meta.get_field(field).related_model


def topic_q(member: Member, topic_model: type[models.Model], prefix: str = "") -> Q:
    """The topic rule as a filter, ``prefix`` naming the topic from another model (e.g.
    ``"topic__"`` from posts). The categories come as a subquery: they are few, so the
    topics' side of a query (the search, a listing) keeps its own indexes."""
    return topic_q_of(reader_shape(member), member.pk, topic_model, prefix)


def topic_q_of(
    shape: ReaderShape, member_id: int, topic_model: type[models.Model], prefix: str = ""
) -> Q:
    """``topic_q`` from the member's shape and id."""
    categories = _related(topic_model, "category").objects.visible_for(shape, member_id)
    return Q(**{f"{prefix}category_id__in": categories.values("pk")}) & topic_status_q_of(
        shape.moderator, member_id, prefix
    )


def topic_status_q(member: Member, prefix: str = "") -> Q:
    """The topic's own part of the rule, for topics of categories already known readable
    (``prefix``: e.g. ``"topics__"`` to count a category's topics)."""
    return topic_status_q_of(is_moderator(member), member.pk, prefix)


def topic_status_q_of(moderator: bool, member_id: int, prefix: str = "") -> Q:
    """``topic_status_q`` from whether the member moderates and their id."""
    if moderator:
        # Not Q(): an aggregate's filter must say something.
        return Q(**{f"{prefix}pk__isnull": False})
    return Q(**{f"{prefix}status": TOPIC_VISIBLE}) | Q(**{f"{prefix}author_id": member_id})


class TopicQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "TopicQuerySet":
        """Topics this member may open."""
        if not is_reader(member):
            return self.none()
        return self.visible_for(reader_shape(member), member.pk)

    def visible_for(self, shape: ReaderShape, member_id: int) -> "TopicQuerySet":
        """``visible_to`` for an active member, from their shape (``reader_shape``) and
        id: for a query compiled once per shape (core.compiled), such as the search's."""
        return self.filter(topic_q_of(shape, member_id, self.model))


def post_q(member: Member, post_model: type[models.Model]) -> Q:
    topic_model = _related(post_model, "topic")
    return topic_q(member, topic_model, prefix="topic__") & post_status_q(member)


def post_status_q(member: Member) -> Q:
    """The post's own part of the rule, for posts of a topic already known readable."""
    return post_status_q_of(post_status_shape(member), member.pk)


def post_status_shape(member: Member) -> bool:
    """All that ``post_status_q`` depends on besides the member's id (whether they
    moderate): the key of a query compiled once for every reader of the same shape
    (``PostQuerySet.in_topic_for``, core.compiled)."""
    return is_moderator(member)


def posts_of_topics_q_of(shape: ReaderShape, member_id: int, topics: models.QuerySet) -> Q:
    """The post rule from the member's shape and id, for the posts of ``topics`` (topics the
    caller narrowed, e.g. those a member follows): what ``post_q`` says, with the topics'
    part as a subquery of ``Topic.visible_for`` (the social feed's plan)."""
    readable = topics.visible_for(shape, member_id).values("pk")  # type: ignore[attr-defined]
    return Q(topic_id__in=readable) & post_status_q_of(shape.moderator, member_id)


def post_status_q_of(moderator: bool, member_id: int) -> Q:
    """``post_status_q`` from its shape and the member's id."""
    if moderator:
        return Q(pk__isnull=False)
    return Q(status=POST_PUBLISHED) | Q(author_id=member_id)


class PostQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "PostQuerySet":
        """Posts this member may open (a hidden one of theirs shows them its reason only:
        ``post_body_shown``)."""
        if not is_reader(member):
            return self.none()
        return self.filter(post_q(member, self.model))

    def visible_in(self, member: Member | None, topic: models.Model) -> "PostQuerySet":
        """The posts of ``topic`` this member may open, ``topic`` being one they may read
        (checked with ``topic_readable`` when it was loaded): the topic page's posts, without
        the topic's part of the rule again."""
        if not is_reader(member):
            return self.none()
        return self.in_topic_for(post_status_shape(member), member_id=member.pk, topic_id=topic.pk)

    def in_topic_for(self, shape: bool, *, member_id: int, topic_id: int) -> "PostQuerySet":
        """``visible_in`` for an active member (``is_reader``) from the rule's shape
        (``post_status_shape``) and ids: a query compiled once per shape, then run with each
        reader's ids (core.compiled)."""
        return self.filter(post_status_q_of(shape, member_id), topic_id=topic_id)


# --- Checks for objects already loaded -----------------------------------------------------


def category_readable(member: Member | None, category, *, in_group: bool | None = None) -> bool:
    """``CategoryQuerySet.visible_to`` for one category loaded with its space and group:
    a small query at most (the group's membership, unless ``in_group`` already says whether
    the member belongs to it), no list of spaces."""
    if not is_reader(member) or not space_open_to(member, category.space):
        return False
    group = category.group
    if group is None:
        return True
    if group.status != GROUP_APPROVED:
        return False
    if is_moderator(member) or group.access == GROUP_PUBLIC:
        return True
    if in_group is None:
        in_group = group.memberships.filter(member=member, status=MEMBERSHIP_MEMBER).exists()
    return in_group


def topic_status_readable(member: Member | None, topic) -> bool:
    """The topic's own part of the rule (its category aside)."""
    return is_moderator(member) or (
        is_reader(member) and (topic.status == TOPIC_VISIBLE or topic.author_id == member.pk)
    )


def topic_readable(member: Member | None, topic) -> bool:
    """For a topic loaded with its category, the category's space and group."""
    return topic_status_readable(member, topic) and category_readable(member, topic.category)


def post_readable(member: Member | None, post) -> bool:
    """For a post loaded with its topic (and the topic's category, space and group)."""
    if not topic_readable(member, post.topic):
        return False
    return is_moderator(member) or post.status == POST_PUBLISHED or post.author_id == member.pk  # type: ignore[union-attr]


def post_body_shown(member: Member | None, post) -> bool:
    """A hidden post keeps its text from everyone but moderators (its author sees the
    reason); the page, the API and the exports of others' posts all follow this."""
    return post.status != POST_HIDDEN or is_moderator(member)


def category_or_404(member: Member | None, queryset: CategoryQuerySet, **lookup: Any) -> Any:
    """The category matching ``lookup`` among those this member may open, else 404."""
    found = queryset.visible_to(member).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def topic_or_404(member: Member | None, queryset: TopicQuerySet, topic_id: int) -> Any:
    """The topic among those this member may open, else the same 404 as a missing one."""
    found = queryset.visible_to(member).filter(pk=topic_id).first()
    if found is None:
        raise Http404
    return found


def post_or_404(member: Member | None, queryset: PostQuerySet, post_id: int) -> Any:
    found = queryset.visible_to(member).filter(pk=post_id).first()
    if found is None:
        raise Http404
    return found


def check_readable(readable: bool) -> None:
    """Raise the missing page's 404 when ``readable`` is false."""
    if not readable:
        raise Http404


# --- Who may read a topic (mentions, followers) ----------------------------------------------


def members_who_can_read(topic, member_ids: Iterable[int]) -> set[int]:
    """Of ``member_ids``, those who may open ``topic`` (loaded with its category, space and
    group) now, in two queries whatever their number: for mention and follower
    notifications."""
    ids = set(member_ids)
    if not ids:
        return set()
    category = topic.category
    candidates = list(
        Member.objects.filter(pk__in=ids, status=Member.Status.ACTIVE, user__isnull=False)
    )
    group = category.group
    joined: set[int] = set()
    if group is not None and group.access != GROUP_PUBLIC:
        joined = set(
            group.memberships.filter(
                member_id__in=[m.pk for m in candidates], status=MEMBERSHIP_MEMBER
            ).values_list("member_id", flat=True)
        )
    return {
        member.pk
        for member in candidates
        if topic_status_readable(member, topic)
        and category_readable(member, category, in_group=member.pk in joined)
    }
