from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission
from tenant_apps.moderation.models import (
    Case,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)

# --- What a member can reach -----------------------------------------------------------------


def access_post_to_report(member: Member | None, post_id: int) -> Post:
    """A published post of a visible topic that the member can read (forums.access);
    anything else is a 404."""
    return forums_access.post_or_404(
        member,
        Post.objects.select_related("topic__category", "author__user").filter(
            status=Post.Status.PUBLISHED, topic__status=Topic.Status.VISIBLE
        ),
        post_id,
    )


def access_post_to_moderate(member: Member | None, post_id: int) -> Post:
    """Any post of the network, for a moderator; otherwise 404."""
    if not has_permission(member, "moderation.post:moderate"):
        raise Http404
    post = Post.objects.select_related("topic__category", "author__user").filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post


def access_topic_to_moderate(member: Member | None, topic_id: int) -> Topic:
    if not has_permission(member, "forums.topic:moderate"):
        raise Http404
    topic = Topic.objects.select_related("category", "author__user").filter(pk=topic_id).first()
    if topic is None:
        raise Http404
    return topic


def access_member_to_moderate(member: Member | None, permission: str, pseudonym: str) -> Member:
    """An active member of the network, for a moderator holding ``permission``; else 404."""
    if not has_permission(member, permission):
        raise Http404
    target = (
        Member.objects.select_related("user")
        .filter(user__username=pseudonym, status=Member.Status.ACTIVE)
        .first()
    )
    if target is None:
        raise Http404
    return target


def categories_for_move() -> QuerySet[Category]:
    return Category.objects.select_related("space", "group").order_by("space__position", "position")


# --- The queue -------------------------------------------------------------------------------


# An open held case whose post was published or hidden another way (the forums' own
# services, a demo) needs no decision any more.
STALE = Q(kind=Case.Kind.HELD) & ~Q(post__status=Post.Status.HELD)


def queue_posts() -> QuerySet[Post]:
    """Posts with open cases, most urgent first: crises, then by number of reports, then held
    posts, then flagged ones; the oldest first within each. Cases and reports prefetched."""
    open_cases = Case.objects.filter(post=OuterRef("pk"), status=Case.Status.OPEN).exclude(STALE)
    report_count = (
        Report.objects.filter(post=OuterRef("pk"), open=True)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting_since = open_cases.order_by().values("post").annotate(m=Min("created")).values("m")
    return (
        Post.objects.filter(Exists(open_cases))
        .annotate(
            is_crisis=Exists(open_cases.filter(kind=Case.Kind.CRISIS)),
            is_held=Exists(open_cases.filter(kind=Case.Kind.HELD)),
            report_count=Coalesce(report_count, 0, output_field=IntegerField()),
            waiting_since=waiting_since,
        )
        .select_related("author__user", "topic__category__space")
        .prefetch_related(
            Prefetch(
                "moderation_cases",
                queryset=Case.objects.filter(status=Case.Status.OPEN)
                .exclude(STALE)
                .order_by("priority", "created")
                .prefetch_related(
                    Prefetch("reports", queryset=Report.objects.select_related("reporter__user"))
                ),
                to_attr="open_cases",
            )
        )
        .order_by("-is_crisis", "-report_count", "-is_held", "waiting_since", "pk")
    )


def open_cases_count() -> int:
    """How many posts wait in the queue."""
    cases = Case.objects.filter(status=Case.Status.OPEN).exclude(STALE)
    return cases.values("post").distinct().count()


# --- Duty and settings -----------------------------------------------------------------------


def on_duty_list() -> list[OnDuty]:
    return list(OnDuty.objects.select_related("member__user").order_by("member__user__username"))


def is_on_duty(member: Member) -> bool:
    return OnDuty.objects.filter(member=member).exists()


def watched_words() -> list[WatchedWord]:
    return list(WatchedWord.objects.all())


def crisis_terms() -> list[CrisisTerm]:
    return list(CrisisTerm.objects.all())


def moderation_settings() -> ModerationSettings:
    return ModerationSettings.objects.first() or ModerationSettings()
