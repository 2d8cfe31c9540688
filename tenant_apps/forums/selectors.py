"""Reads of the forums: what a member may see, and the lists behind the pages and the API.

Networks are private to their members: without an active member nothing is visible, and
anything out of reach raises the same 404 as what does not exist.
"""

import functools
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils.translation import get_language, ngettext

from core.compiled import Compiled
from tenant_apps.forums import access
from tenant_apps.forums.models import (
    Category,
    ContentWarning,
    Group,
    GroupMembership,
    Post,
    PostRevision,
    Reaction,
    ReadingPreference,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission
from tenant_apps.members.selectors import spaces_for

TOPICS_PER_PAGE = 25
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
POSTS_PER_PAGE = 20


def is_moderator(member: Member | None) -> bool:
    return access.is_moderator(member)


# --- Categories --------------------------------------------------------------------------------


def categories_visible(member: Member | None) -> QuerySet[Category]:
    """The categories this member may open (forums.access)."""
    return Category.objects.visible_to(member)


def access_category(member: Member | None, slug: str) -> Category:
    return access.category_or_404(
        member, Category.objects.select_related("space", "group"), slug=slug
    )


def categories_index(member: Member) -> list[tuple[object, list[Category]]]:
    """Visible categories grouped by space, with their topic counts and last activity."""
    # The categories are readable: what their topics add is the topics' own part of the rule.
    topics = access.topic_status_q(member, prefix="topics__")
    categories = (
        categories_visible(member)
        .select_related("space", "group")
        .annotate(
            topic_count=Count("topics", filter=topics),
            last_activity=Max("topics__last_post_at", filter=topics),
        )
        .order_by(
            "space__position",
            "space__name",
            F("group_id").asc(nulls_first=True),
            "position",
            "name",
        )
    )
    grouped: dict[int, tuple[object, list[Category]]] = {}
    for category in categories:
        grouped.setdefault(category.space_id, (category.space, []))[1].append(category)
    return list(grouped.values())


# --- Topics ------------------------------------------------------------------------------------


def _topic_query(shape: None, *, topic_id: int, member_id: int) -> QuerySet[Any]:
    own = {"topic": OuterRef("pk"), "member_id": member_id}
    return (
        Topic.objects.select_related("category__space", "category__group")
        .defer("search_vector")
        .annotate(
            subscribed=Exists(Subscription.objects.filter(**own)),
            read_up_to=Subquery(TopicRead.objects.filter(**own).values("last_post_id")[:1]),
            in_group=Exists(
                GroupMembership.objects.filter(
                    group=OuterRef("category__group"),
                    member_id=member_id,
                    status=GroupMembership.Status.MEMBER,
                )
            ),
        )
        .filter(pk=topic_id)[:1]
    )


# Compiled once per process: building and compiling it was most of its cost.
_TOPIC_QUERY = Compiled(_topic_query, "topic_id", "member_id")


def access_topic(member: Member | None, topic_id: int) -> Topic:
    """The topic with its category, the category's space and group, if this member may read
    it (``access.topic_status_readable`` and ``category_readable`` on what this one query
    loaded), with where the member stands: ``subscribed`` (following it) and ``read_up_to``
    (the last post read, 0 for none)."""
    if not access.is_reader(member):
        raise Http404
    # The query reads the topic whoever asks; the rule is applied to what it loaded, below.
    found = _TOPIC_QUERY.fetch(None, topic_id=topic_id, member_id=member.pk)
    if not found:
        raise Http404
    topic = found[0]
    topic.read_up_to = topic.read_up_to or 0
    access.check_readable(
        access.topic_status_readable(member, topic)
        and access.category_readable(member, topic.category, in_group=topic.in_group)
    )
    return topic


def access_post(member: Member | None, post_id: int) -> Post:
    return access.post_or_404(
        member,
        Post.objects.select_related(
            "author__user", "topic__category__space", "topic__category__group"
        ),
        post_id,
    )


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page of topics starts: after (last_post_at, id)."""

    last_post_at: datetime
    id: int

    def encode(self) -> str:
        # Whole microseconds, as PostgreSQL stores them: a float timestamp could round.
        micros = (self.last_post_at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """Raises ValueError for anything that is not a cursor this module wrote."""
        micros, _, topic_id = value.partition(".")
        moment = EPOCH + timedelta(microseconds=int(micros))
        if int(topic_id) < 0:
            raise ValueError(value)
        return cls(moment, int(topic_id))


@dataclass
class TopicPage:
    pinned: list[Topic]
    topics: list[Topic]
    next_cursor: str | None


def topics_page(
    *, member: Member, category: Category, after: Cursor | None = None, per_page: int = 0
) -> TopicPage:
    """One keyset page of a category: pinned topics head the first page, then the others by
    last activity; each topic carries ``last_post_id``, ``read_up_to`` and ``unread``."""
    per_page = per_page or TOPICS_PER_PAGE
    last_post = (
        Post.objects.filter(topic=OuterRef("pk"), status=Post.Status.PUBLISHED)
        .order_by("-id")
        .values("id")[:1]
    )
    read_mark = TopicRead.objects.filter(topic=OuterRef("pk"), member=member).values(
        "last_post_id"
    )[:1]
    base = (
        Topic.objects.visible_to(member)
        .filter(category=category)
        .select_related("author__user")
        .annotate(last_post_id=Subquery(last_post), read_up_to=Subquery(read_mark))
    )
    pinned = list(base.filter(pinned=True).order_by("-last_post_at", "-id")) if not after else []
    others = base.filter(pinned=False).order_by("-last_post_at", "-id")
    if after is not None:
        others = others.filter(
            Q(last_post_at__lt=after.last_post_at)
            | Q(last_post_at=after.last_post_at, id__lt=after.id)
        )
    topics = list(others[: per_page + 1])
    next_cursor = None
    if len(topics) > per_page:
        topics = topics[:per_page]
        next_cursor = Cursor(topics[-1].last_post_at, topics[-1].pk).encode()
    for topic in pinned + topics:
        topic.unread = topic.last_post_id is not None and (topic.read_up_to or 0) < (
            topic.last_post_id
        )
    return TopicPage(pinned=pinned, topics=topics, next_cursor=next_cursor)


# --- Posts -------------------------------------------------------------------------------------


@dataclass
class PostPage:
    posts: list[Post]
    next_after: int | None


# What the topic page shows of a post, its author and its article card.
_POST_PAGE_FIELDS = (
    "topic_id", "author_id", "is_opening", "body_html", "created", "edited", "status",
    "hidden_reason", "warning_names", "version",
    *(Post.count_field(kind) for kind in Reaction.Kind.values),
    "author__user_id", "author__anonymous_id", "author__user__username",
    # The verified professional's badge beside the pseudonym (templates/includes/pro_badge.html).
    "author__verified_professional", "author__professional_title", "author__real_name_shown",
    "article_card__article__title", "article_card__article__summary",
    "article_card__article__status", "article_card__article__reviewed_on",
    "article_card__article__space",
)  # fmt: skip


def _posts_query(
    shape: tuple[bool, int], *, member_id: int, topic_id: int, after: int
) -> QuerySet[Any]:
    moderator, per_page = shape
    mine = Reaction.objects.filter(post=OuterRef("pk"), member_id=member_id).values("kind")
    folded = ReadingPreference.collapsed_warnings.through.objects.filter(
        readingpreference__member_id=member_id
    ).values("contentwarning__name")
    return (
        Post.objects.in_topic_for(moderator, member_id=member_id, topic_id=topic_id)
        .filter(pk__gt=after)
        .select_related("author__user", "article_card__article__space")
        .only(*_POST_PAGE_FIELDS)
        .annotate(
            my_kinds=ArraySubquery(mine),
            collapsed=ExpressionWrapper(
                Q(warning_names__overlap=ArraySubquery(folded)), output_field=BooleanField()
            ),
        )
        .order_by("pk")[: per_page + 1]
    )


# Compiled once per process and shape of the rule (access.post_status_shape) and page size:
# building and compiling it cost more than running it (tests/bench/forums.py).
_POSTS_QUERY = Compiled(_posts_query, "member_id", "topic_id", "after")


def posts_page(*, member: Member, topic: Topic, after: int = 0, per_page: int = 0) -> PostPage:
    """One keyset page of the posts this member may read in a topic they may read
    (``Post.objects.visible_in``), in id order, in one query whatever their number: each
    with its author and article card (``card``, None without one), ``reactions_shown`` (each
    kind's label, count, and whether the reader ``pressed`` it), ``collapsed`` (the reader
    folds one of its warnings) and ``body_shown`` (``access.post_body_shown``). Counts and
    warning names are the post's own columns, kept by forums.services."""
    per_page = per_page or POSTS_PER_PAGE
    if not access.is_reader(member):
        return PostPage(posts=[], next_after=None)
    shape = (access.post_status_shape(member), per_page)
    rows = _POSTS_QUERY.fetch(shape, member_id=member.pk, topic_id=topic.pk, after=after)
    posts = rows[:per_page]
    language = get_language()
    kinds = [(kind, str(label)) for kind, label in Reaction.Kind.choices]
    for post in posts:
        pressed = set(post.my_kinds)
        post.reactions_shown = [
            _reaction_shown(kind, label, getattr(post, Post.count_field(kind)), pressed, language)
            for kind, label in kinds
        ]
        post.body_shown = access.post_body_shown(member, post)
        post.card = getattr(post, "article_card", None)
    next_after = posts[-1].pk if len(rows) > per_page else None
    return PostPage(posts=posts, next_after=next_after)


def page_ending_at(*, member: Member, topic: Topic, post: Post, per_page: int = 0) -> int:
    """The ``after`` of the page of ``posts_page`` that ends with ``post``: the page a reply
    lands on, with the messages before it (0: the topic's first page). One query."""
    per_page = per_page or POSTS_PER_PAGE
    before = (
        Post.objects.visible_in(member, topic)
        .filter(pk__lt=post.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)[per_page - 1 : per_page]
    )
    return next(iter(before), 0)


def _reaction_shown(
    kind: str, label: str, count: int, mine: set[str], language: str | None
) -> dict[str, object]:
    # The spoken count is worded here once per button: a {% blocktranslate count %} per
    # button was a fifth of the topic page's rendering time.
    return {
        "kind": kind,
        "label": label,
        "count": count,
        "pressed": kind in mine,
        "count_label": _count_label(count, language),
    }


@functools.lru_cache(maxsize=512)
def _count_label(count: int, language: str | None) -> str:
    """Most buttons say "0 reactions": worded once per count and language, not 80 times a
    page."""
    return ngettext("%(count)s reaction", "%(count)s reactions", count) % {"count": count}


def reaction_count(*, post: Post, kind: str) -> int:
    return Reaction.objects.filter(post=post, kind=kind).count()


def post_revisions(post: Post) -> list[PostRevision]:
    return list(post.revisions.select_related("edited_by__user"))


def can_see_history(member: Member, post: Post) -> bool:
    return post.author_id == member.pk or is_moderator(member)


def content_warnings() -> QuerySet[ContentWarning]:
    return ContentWarning.objects.all()


# The cache key carries the schema (config.settings: django_tenants.cache.make_key).
CONTENT_WARNINGS_KEY = "forums:content-warnings"


def content_warnings_listed() -> list[ContentWarning]:
    """The network's content warnings, from the cache: every reply form lists them, and
    reading them took a tenth of the topic page's time (tests/bench/forums.py). Cleared
    whenever one is written (forums.signals, forums.seeds); kept 5 minutes at most, for
    caches that are not shared between processes."""
    listed = cache.get(CONTENT_WARNINGS_KEY)
    if listed is None:
        listed = list(ContentWarning.objects.all())
        cache.set(CONTENT_WARNINGS_KEY, listed, timeout=300)
    return listed


def content_warnings_version() -> str:
    """A fingerprint of the content warnings as the reply form lists them: the key of the
    form's HTML, cached by ``forums/topic.html`` so that Django's widgets render it once per
    language and list of warnings, not on every page."""
    listed = [(warning.pk, str(warning)) for warning in content_warnings_listed()]
    return format(zlib.crc32(repr(listed).encode()), "x")


def reading_preference(member: Member) -> ReadingPreference:
    """The member's reading preferences (an unsaved default before they are first set)."""
    return ReadingPreference.objects.filter(member=member).first() or ReadingPreference(
        member=member
    )


def can_reply(member: Member, topic: Topic) -> bool:
    """Members reply to open topics; moderators also to locked ones."""
    if not has_permission(member, "forums.post:create"):
        return False
    return not topic.locked or is_moderator(member)


# --- Groups ------------------------------------------------------------------------------------


def groups_visible(member: Member | None) -> QuerySet[Group]:
    """Approved groups of the member's spaces (even on-request ones: their description
    invites a request), plus, for their proposers and moderators, those not yet approved."""
    if not access.is_reader(member):
        return Group.objects.none()
    space_ids = [space.pk for space in spaces_for(member)]
    shown = Q(status=Group.Status.APPROVED) | Q(proposed_by=member)
    if has_permission(member, "forums.group:decide"):
        shown = Q()
    return Group.objects.filter(shown, space_id__in=space_ids)


def groups_list(member: Member) -> QuerySet[Group]:
    mine = GroupMembership.objects.filter(group=OuterRef("pk"), member=member)
    return (
        groups_visible(member)
        .filter(Q(status=Group.Status.APPROVED) | Q(proposed_by=member))
        .select_related("space")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=GroupMembership.Status.MEMBER)
            ),
            joined=Exists(mine.filter(status=GroupMembership.Status.MEMBER)),
            requested=Exists(mine.filter(status=GroupMembership.Status.PENDING)),
        )
        .order_by("space__position", "name")
    )


def groups_pending() -> QuerySet[Group]:
    return (
        Group.objects.filter(status=Group.Status.PROPOSED)
        .select_related("space", "proposed_by__user")
        .order_by("created")
    )


def access_group(member: Member | None, slug: str) -> Group:
    group = groups_visible(member).select_related("space").filter(slug=slug).first()
    if group is None:
        raise Http404
    return group


def membership_of(member: Member, group: Group) -> GroupMembership | None:
    return GroupMembership.objects.filter(member=member, group=group).first()


def is_group_moderator(member: Member, group: Group) -> bool:
    """Network moderators, and the group's own moderators."""
    if has_permission(member, "forums.group:decide"):
        return True
    return GroupMembership.objects.filter(
        group=group, member=member, status=GroupMembership.Status.MEMBER, is_moderator=True
    ).exists()


def group_memberships(group: Group) -> list[GroupMembership]:
    return list(
        group.memberships.select_related("member__user").order_by(
            "status", "member__user__username"
        )
    )


def access_membership(group: Group, membership_id: int, status: str) -> GroupMembership:
    membership = (
        GroupMembership.objects.select_related("member__user")
        .filter(pk=membership_id, group=group, status=status)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
