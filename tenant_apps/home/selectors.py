"""Reads behind the network's home page: what is new for a member across the apps.

Every list is a queryset of the apps' own access modules (``Topic.objects.visible_to``,
``Category.objects.visible_to``, ``Article.objects.visible_to``) or a member's own rows
(notifications), narrowed and cut to ``limit + 1`` rows, so that the page knows whether to
offer "see all" and its cost does not grow with what a member follows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr

from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Category, Group, GroupMembership, Post, Topic, TopicRead
from tenant_apps.forums.selectors import Cursor
from tenant_apps.knowledge.models import Article
from tenant_apps.knowledge.selectors import articles_for
from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.selectors import notifications_for

# How forums.services.post_announce names the post a notification comes from.
FORUM_POST_SOURCE = "forums.post:"

# What the home page calls "for you": someone wrote to the member, about something of theirs.
PERSONAL_KINDS = (
    Notification.Kind.MENTION,
    Notification.Kind.REPLY,
    Notification.Kind.ANSWER,
)


def _followed(member: Member) -> QuerySet:
    """The topics this member follows and may read, each with ``read_up_to`` (the last post
    read, 0 for none) and ``unread`` (the posts since, by others, that they may read), only
    those with something unread."""
    read_mark = TopicRead.objects.filter(topic=OuterRef("pk"), member=member).values(
        "last_post_id"
    )[:1]
    # The topic is readable (the outer query): what its posts add is their own part of the rule.
    news = Post.objects.filter(
        forums_access.post_status_q(member),
        topic=OuterRef("pk"),
        pk__gt=OuterRef("read_up_to"),
    ).exclude(author=member)
    unread = news.order_by().values("topic").annotate(count=Count("pk")).values("count")
    return (
        Topic.objects.visible_to(member)
        .filter(subscriptions__member=member)
        .only("pk", "title", "last_post_at", "category__name", "category__slug")
        .select_related("category")
        .annotate(read_up_to=Coalesce(Subquery(read_mark), 0))
        .filter(Exists(news))
        .annotate(unread=Subquery(unread))
        .order_by("-last_post_at", "-id")
    )


def followed_with_news(member: Member, *, limit: int) -> list[Topic]:
    """Up to ``limit + 1`` followed topics with posts this member has not read, latest
    activity first."""
    return list(_followed(member)[: limit + 1])


@dataclass
class FollowedPage:
    topics: list[Topic]
    next_cursor: str | None


def followed_page(member: Member, *, after: Cursor | None, per_page: int) -> FollowedPage:
    """One keyset page of the followed topics with news, by latest activity."""
    topics = _followed(member)
    if after is not None:
        topics = topics.filter(
            Q(last_post_at__lt=after.last_post_at)
            | Q(last_post_at=after.last_post_at, id__lt=after.id)
        )
    rows = list(topics[: per_page + 1])
    if len(rows) <= per_page:
        return FollowedPage(rows, None)
    rows = rows[:per_page]
    return FollowedPage(rows, Cursor(rows[-1].last_post_at, rows[-1].pk).encode())


def pinned_topics(member: Member, *, limit: int) -> list[Topic]:
    """The pinned topics this member may read (the association's and moderators' standing
    messages), latest activity first."""
    return list(
        Topic.objects.visible_to(member)
        .filter(pinned=True)
        .only("pk", "title", "last_post_at", "category__name", "category__slug")
        .select_related("category")
        .order_by("-last_post_at", "-id")[: limit + 1]
    )


def groups_joined(member: Member) -> list[Group]:
    """The groups this member belongs to and may read (a group of a space their profile no
    longer opens is left out), by name."""
    joined = GroupMembership.objects.filter(
        member=member, status=GroupMembership.Status.MEMBER
    ).values("group_id")
    categories = Category.objects.visible_to(member).filter(group_id__in=joined)
    return list(
        Group.objects.filter(category__in=categories).only("pk", "name", "slug").order_by("name")
    )


def personal_notifications(member: Member, *, limit: int) -> list[Notification]:
    """Up to ``limit + 1`` unread mentions, replies and answers, newest first.

    A notification keeps the title of what it is about; one about a post the member can no
    longer read (they left the group, the post was hidden) is left out here, so the home
    page lists no title out of their reach."""
    post_id = Case(
        When(
            source__startswith=FORUM_POST_SOURCE,
            then=Cast(Substr("source", len(FORUM_POST_SOURCE) + 1), BigIntegerField()),
        ),
        default=None,
    )
    readable = Exists(Post.objects.visible_to(member).filter(pk=OuterRef("post_id")))
    return list(
        notifications_for(member)
        .filter(read_at__isnull=True, kind__in=PERSONAL_KINDS)
        .alias(post_id=post_id, readable=readable)
        .filter(Q(readable=True) | ~Q(source__startswith=FORUM_POST_SOURCE))[: limit + 1]
    )


def articles_since(member: Member, *, since: datetime | None, limit: int) -> list[Article]:
    """Up to ``limit + 1`` articles this member may read published after ``since`` (all of
    them, newest first, when there is no previous visit)."""
    articles = articles_for(member).prefetch_related(None).only("pk", "title", "published")
    if since is not None:
        articles = articles.filter(published__gt=since)
    return list(articles[: limit + 1])
