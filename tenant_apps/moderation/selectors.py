from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import Count, Min, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.http import Http404

from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission
from tenant_apps.messaging import access as messaging_access
from tenant_apps.messaging.models import Message
from tenant_apps.moderation.models import (
    CASE_TARGETS,
    Case,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)
from tenant_apps.social import access as social_access
from tenant_apps.social.models import Experience, ExperienceComment

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


def access_experience_to_report(member: Member | None, experience_id: int) -> Experience:
    """A published experience the member may read (social.access), not their own; else 404."""
    experience = social_access.experience_or_404(
        member,
        Experience.objects.select_related("author__user").filter(
            status=Experience.Status.PUBLISHED
        ),
        experience_id,
    )
    if member is not None and experience.author_id == member.pk:
        raise Http404
    return experience


def access_comment_to_report(member: Member | None, comment_id: int) -> ExperienceComment:
    """A published comment the member may read (social.access), not their own; else 404."""
    comment = social_access.comment_or_404(
        member,
        ExperienceComment.objects.select_related("author__user", "experience").filter(
            status=Experience.Status.PUBLISHED
        ),
        comment_id,
    )
    if member is not None and comment.author_id == member.pk:
        raise Http404
    return comment


def access_experience_to_moderate(member: Member | None, experience_id: int) -> Experience:
    """Any experience of the network, for a moderator; otherwise 404."""
    if not has_permission(member, "moderation.post:moderate"):
        raise Http404
    found = Experience.objects.select_related("author__user").filter(pk=experience_id).first()
    if found is None:
        raise Http404
    return found


def access_comment_to_moderate(member: Member | None, comment_id: int) -> ExperienceComment:
    """Any comment on an experience, for a moderator; otherwise 404."""
    if not has_permission(member, "moderation.post:moderate"):
        raise Http404
    found = (
        ExperienceComment.objects.select_related("author__user", "experience")
        .filter(pk=comment_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


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


# An open held case whose target was published or hidden another way (the forums' own
# services, a demo) needs no decision any more.
STALE = Q(kind=Case.Kind.HELD) & ~(
    Q(post__status=Post.Status.HELD)
    | Q(experience__status=Experience.Status.HELD)
    | Q(experience_comment__status=Experience.Status.HELD)
)
TARGET_IDS = tuple(f"{target}_id" for target in CASE_TARGETS)


def _open_cases() -> QuerySet[Case]:
    return Case.objects.filter(status=Case.Status.OPEN).exclude(STALE)


def _load_posts(ids: list[int]) -> dict[int, Post]:
    posts = Post.objects.select_related("author__user", "topic__category__space")
    return posts.in_bulk(ids)


def _load_experiences(ids: list[int]) -> dict[int, Experience]:
    return Experience.objects.select_related("author__user").in_bulk(ids)


def _load_comments(ids: list[int]) -> dict[int, ExperienceComment]:
    return ExperienceComment.objects.select_related("author__user", "experience").in_bulk(ids)


def _load_messages(ids: list[int]) -> dict[int, Message]:
    """Private messages with a case: each alone, never the conversation around it."""
    return Message.objects.select_related("author__user").in_bulk(ids)


def access_message_to_report(member: Member | None, message_id: int) -> Message:
    """The other member's message in one of the member's conversations; else 404."""
    return messaging_access.message_to_report_or_404(member, message_id)


def access_message_to_moderate(member: Member | None, message_id: int) -> Message:
    """A private message with a case in the queue, for a moderator; otherwise 404."""
    return messaging_access.message_to_moderate_or_404(member, message_id)


# How the queue loads each kind of target, in bulk for a page (one query per kind present).
# Every name of CASE_TARGETS needs one here, its decisions in services.MODERATED and how the
# queue shows it in views._shown.
LOADERS: dict[str, Callable[[list[int]], dict[int, Any]]] = {
    "post": _load_posts,
    "experience": _load_experiences,
    "experience_comment": _load_comments,
    "message": _load_messages,
}


class Queue:
    """What has open cases, most urgent first: crises, then by number of reports, then held
    texts, then flagged ones; the oldest first within each. A post, an experience or a
    comment alike: each item is the target itself (``case_target`` names its kind), with
    ``is_crisis``, ``is_held``, ``report_count`` and ``open_cases`` (reports prefetched).

    A sequence the paginator slices: a page costs the count, the ordered groups of open cases
    (each with its cases), one query per kind of target on the page, and the reports."""

    def __init__(self) -> None:
        case = JSONObject(
            id="pk", kind="kind", detail="detail", priority="priority", created="created"
        )
        self.groups = (
            _open_cases()
            .values(*TARGET_IDS)
            .annotate(
                crisis=Count("pk", filter=Q(kind=Case.Kind.CRISIS), distinct=True),
                held=Count("pk", filter=Q(kind=Case.Kind.HELD), distinct=True),
                report_count=Count("reports", filter=Q(reports__open=True), distinct=True),
                waiting_since=Min("created"),
                first=Min("pk"),
                cases=JSONBAgg(case, distinct=True),
            )
            .order_by("-crisis", "-report_count", "-held", "waiting_since", "first")
        )

    def count(self) -> int:
        return open_cases_count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        groups = list(self.groups[index])
        keys = [_key(group) for group in groups]
        loaded = {
            target: LOADERS[target]([pk for kind, pk in keys if kind == target])
            for target in {kind for kind, _pk in keys}
        }
        items = []
        for group, key in zip(groups, keys, strict=True):
            item = loaded[key[0]].get(key[1])
            if item is None:  # deleted meanwhile
                continue
            item.case_target = key[0]
            item.is_crisis = bool(group["crisis"])
            item.is_held = bool(group["held"])
            item.report_count = group["report_count"]
            item.waiting_since = group["waiting_since"]
            item.open_cases = sorted(
                (
                    Case(
                        pk=case["id"],
                        kind=case["kind"],
                        detail=case["detail"],
                        priority=case["priority"],
                        created=datetime.fromisoformat(case["created"]),
                        status=Case.Status.OPEN,
                        **{f"{key[0]}_id": key[1]},
                    )
                    for case in group["cases"]
                ),
                key=lambda case: (case.priority, case.created),
            )
            items.append(item)
        prefetch_related_objects(
            [case for item in items for case in item.open_cases],
            Prefetch("reports", queryset=Report.objects.select_related("reporter__user")),
        )
        return items


def _key(group: dict) -> tuple[str, int]:
    """(target kind, id) of a group of open cases."""
    return next(
        (target, group[f"{target}_id"])
        for target in CASE_TARGETS
        if group[f"{target}_id"] is not None
    )


def queue_posts() -> Queue:
    """The moderation queue (``Queue``): posts, experiences and comments with open cases."""
    return Queue()


def open_cases_count() -> int:
    """How many posts, experiences and comments wait in the queue."""
    return _open_cases().values(*TARGET_IDS).distinct().count()


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
