"""Reads of the forums: what a member may see, and the lists behind the pages and the API.

Networks are private to their members: without an active member nothing is visible, and
anything out of reach raises the same 404 as what does not exist.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import get_language, ngettext

from config.rawsql import Columns, instances
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
from tenant_apps.members.models import Member, Space
from tenant_apps.members.permissions import has_permission
from tenant_apps.members.selectors import space_open_to, spaces_for

TOPICS_PER_PAGE = 25
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
POSTS_PER_PAGE = 20


def is_moderator(member: Member | None) -> bool:
    return has_permission(member, "forums.topic:moderate")


# --- Categories --------------------------------------------------------------------------------


def categories_visible(member: Member | None) -> QuerySet[Category]:
    """Categories of the member's spaces; a group's only once approved, and an on-request
    group's only for its members (moderators see every approved group)."""
    if member is None:
        return Category.objects.none()
    space_ids = [space.pk for space in spaces_for(member)]
    approved = Q(group__status=Group.Status.APPROVED)
    if is_moderator(member):
        groups = approved
    else:
        joined = GroupMembership.objects.filter(
            member=member, status=GroupMembership.Status.MEMBER
        ).values("group_id")
        groups = approved & (Q(group__access=Group.Access.PUBLIC) | Q(group_id__in=joined))
    return Category.objects.filter(Q(group__isnull=True) | groups, space_id__in=space_ids)


def access_category(member: Member | None, slug: str) -> Category:
    category = categories_visible(member).select_related("space", "group").filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def categories_index(member: Member) -> list[tuple[object, list[Category]]]:
    """Visible categories grouped by space, with their topic counts and last activity."""
    topics = _topics_visible_q(member, prefix="topics__")
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


def _topics_visible_q(member: Member, prefix: str = "") -> Q:
    """Visible topics, plus the member's own held or hidden ones; moderators see all."""
    if is_moderator(member):
        return Q(**{f"{prefix}pk__isnull": False})
    return Q(**{f"{prefix}status": Topic.Status.VISIBLE}) | Q(**{f"{prefix}author": member})


def _posts_visible_q(member: Member) -> Q:
    if is_moderator(member):
        return Q()
    return Q(status=Post.Status.PUBLISHED) | Q(author=member)


def category_visible(member: Member, category: Category) -> bool:
    """``categories_visible`` for one category already loaded with its space and group, in
    Python: the topic page, the busiest page, then plans a small query instead of the whole
    rule, and needs no list of spaces."""
    if not space_open_to(member, category.space):
        return False
    group = category.group
    if group is None:
        return True
    if group.status != Group.Status.APPROVED:
        return False
    if is_moderator(member) or group.access == Group.Access.PUBLIC:
        return True
    return GroupMembership.objects.filter(
        group=group, member=member, status=GroupMembership.Status.MEMBER
    ).exists()


def access_topic(member: Member | None, topic_id: int) -> Topic:
    """The topic with its category, the category's space and group, if this member may read
    it, with where the member stands: ``subscribed`` (following it) and ``read_up_to`` (the
    last post read, 0 for none). Written in SQL (config/rawsql.py): every topic page starts
    here."""
    if member is None:
        raise Http404
    sql, parts = _topic_sql(everything=is_moderator(member))
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"topic": topic_id, "member": member.pk, "visible": Topic.Status.VISIBLE}
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    (topic, category, space, group), reader = instances(parts, row)
    topic.subscribed, topic.read_up_to = reader
    category.space, category.group = space, group
    topic.category = category
    if not category_visible(member, category):
        raise Http404
    return topic


@functools.cache
def _topic_sql(*, everything: bool) -> tuple[str, tuple[Columns, ...]]:
    """``access_topic``'s query: moderators read ``everything``, others visible topics and
    their own (``_topics_visible_q``)."""
    parts = (
        Columns.of(Topic, "t", exclude=["search_vector"]),
        Columns.of(Category, "c"),
        Columns.of(Space, "s"),
        Columns.of(Group, "g"),
    )
    visible = "" if everything else "AND (t.status = %(visible)s OR t.author_id = %(member)s)"
    sql = f"""
        SELECT {", ".join(part.sql for part in parts)},
               EXISTS(SELECT 1 FROM {Subscription._meta.db_table}
                       WHERE member_id = %(member)s AND topic_id = t.id),
               coalesce((SELECT last_post_id FROM {TopicRead._meta.db_table}
                          WHERE member_id = %(member)s AND topic_id = t.id), 0)
          FROM {Topic._meta.db_table} t
          JOIN {Category._meta.db_table} c ON c.id = t.category_id
          JOIN {Space._meta.db_table} s ON s.id = c.space_id
          LEFT JOIN {Group._meta.db_table} g ON g.id = c.group_id
         WHERE t.id = %(topic)s {visible}"""  # noqa: S608 - names from the models
    return sql, parts


def access_post(member: Member | None, post_id: int) -> Post:
    if member is None:
        raise Http404
    post = (
        Post.objects.select_related(
            "author__user", "topic__category__space", "topic__category__group"
        )
        .filter(_posts_visible_q(member), pk=post_id)
        .filter(
            _topics_visible_q(member, prefix="topic__"),
            topic__category__in=categories_visible(member),
        )
        .first()
    )
    if post is None:
        raise Http404
    return post


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
        Topic.objects.filter(_topics_visible_q(member), category=category)
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


def posts_page(*, member: Member, topic: Topic, after: int = 0, per_page: int = 0) -> PostPage:
    """One keyset page of a topic's posts in id order, each with its author and annotated
    for display: ``reaction_counts`` (kind → count), ``my_reactions`` (kinds),
    ``warning_names``, ``collapsed`` (the reader asked to fold one of its warnings) and
    ``card`` (the knowledge-base article card a moderator attached, or None).

    One query, written in SQL (config/rawsql.py): through the ORM, the same rows took five
    queries and about 10 ms, mostly in Python."""
    per_page = per_page or POSTS_PER_PAGE
    sql, parts = _posts_page_sql(everything=is_moderator(member))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "topic": topic.pk,
                "after": after,
                "member": member.pk,
                "published": Post.Status.PUBLISHED,
                "limit": per_page + 1,
            },
        )
        rows = cursor.fetchall()
    posts = []
    kinds = [(kind, str(label)) for kind, label in Reaction.Kind.choices]
    for row in rows[:per_page]:
        (post, author, user), shown = instances(parts, row)
        post.card_id, post.warning_names, post.collapsed, counts, mine = shown
        if author is not None:
            author.user = user
        post.author = author
        post.reaction_counts = counts or {}
        post.my_reactions = set(mine)
        post.reactions_shown = [
            _reaction_shown(kind, label, post.reaction_counts.get(kind, 0), post.my_reactions)
            for kind, label in kinds
        ]
        posts.append(post)
    cards = _article_cards([post.card_id for post in posts if post.card_id])
    for post in posts:
        post.card = cards.get(post.card_id)
    next_after = posts[-1].pk if len(rows) > per_page else None
    return PostPage(posts=posts, next_after=next_after)


@functools.cache
def _posts_page_sql(*, everything: bool) -> tuple[str, tuple[Columns, ...]]:
    """``posts_page``'s query: moderators read ``everything``, others the published posts
    and their own (``_posts_visible_q``)."""
    user_model = Member._meta.get_field("user").related_model
    parts = (
        Columns.of(Post, "p", exclude=["body", "search_vector"]),
        Columns.of(Member, "m", only=["user_id", "anonymous_id"]),
        Columns.of(user_model, "u", only=["username"]),
    )
    warnings, warning = Post.warnings.through._meta.db_table, ContentWarning._meta.db_table
    folded = ReadingPreference.collapsed_warnings.through._meta.db_table
    preference, reaction = ReadingPreference._meta.db_table, Reaction._meta.db_table
    card = Post._meta.get_field("article_card").related_model._meta.db_table
    visible = "" if everything else "AND (status = %(published)s OR author_id = %(member)s)"
    # The page is cut first, then joined: 21 rows, however long the topic.
    sql = f"""
        SELECT {", ".join(part.sql for part in parts)}, c.id,
               ARRAY(SELECT cw.name FROM {warnings} w JOIN {warning} cw
                         ON cw.id = w.contentwarning_id
                      WHERE w.post_id = p.id ORDER BY cw.position, cw.name),
               EXISTS(SELECT 1 FROM {warnings} w JOIN {folded} f
                          ON f.contentwarning_id = w.contentwarning_id
                        JOIN {preference} rp ON rp.id = f.readingpreference_id
                       WHERE w.post_id = p.id AND rp.member_id = %(member)s),
               (SELECT json_object_agg(k.kind, k.n) FROM (
                   SELECT kind, count(*) AS n FROM {reaction} WHERE post_id = p.id GROUP BY kind
                ) k),
               ARRAY(SELECT kind FROM {reaction} WHERE post_id = p.id AND member_id = %(member)s)
          FROM (SELECT * FROM {Post._meta.db_table}
                 WHERE topic_id = %(topic)s AND id > %(after)s {visible}
                 ORDER BY id LIMIT %(limit)s) p
          LEFT JOIN {Member._meta.db_table} m ON m.id = p.author_id
          LEFT JOIN {user_model._meta.db_table} u ON u.id = m.user_id
          LEFT JOIN {card} c ON c.post_id = p.id
         ORDER BY p.id"""  # noqa: S608 - names from the models
    return sql, parts


def _article_cards(ids: list[int]) -> dict[int, object]:
    if not ids:
        return {}
    model = Post._meta.get_field("article_card").related_model
    return {card.pk: card for card in model.objects.select_related("article").filter(pk__in=ids)}


def _reaction_shown(kind: str, label: str, count: int, mine: set[str]) -> dict[str, object]:
    # The spoken count is worded here once per button: a {% blocktranslate count %} per
    # button was a fifth of the topic page's rendering time.
    return {
        "kind": kind,
        "label": label,
        "count": count,
        "pressed": kind in mine,
        "count_label": _count_label(count, get_language()),
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


def member_can_see_topic(member: Member, topic: Topic) -> bool:
    return category_visible(member, topic.category) and (
        topic.status == Topic.Status.VISIBLE or is_moderator(member)
    )


# --- Groups ------------------------------------------------------------------------------------


def groups_visible(member: Member | None) -> QuerySet[Group]:
    """Approved groups of the member's spaces (even on-request ones: their description
    invites a request), plus, for their proposers and moderators, those not yet approved."""
    if member is None:
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
