"""What every new network's moderation starts with."""

import datetime

from django.utils import timezone

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.members.models import Member
from tenant_apps.moderation import services
from tenant_apps.moderation.models import (
    Case,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)

# Words and phrases that may signal a suicidal crisis or self-harm, in French. Matching folds
# accents and needs whole words; the network edits the list.
DEFAULT_CRISIS_TERMS = (
    "suicide", "suicider", "me suicider", "me tuer", "mettre fin à mes jours",
    "en finir", "plus envie de vivre", "envie de mourir", "veux mourir", "je veux mourir",
    "disparaître pour toujours", "me faire du mal", "me scarifier", "scarification",
    "automutilation", "overdose", "avaler tous mes médicaments", "sauter du pont",
    "me pendre", "pendaison", "ne plus me réveiller", "à quoi bon vivre",
    "tout arrêter définitivement", "lettre d'adieu",
)  # fmt: skip


def seed_defaults() -> None:
    """The default crisis terms and moderation policy."""
    CrisisTerm.objects.bulk_create(
        [CrisisTerm(phrase=phrase) for phrase in DEFAULT_CRISIS_TERMS],
        ignore_conflicts=True,  # idempotent: a second run adds nothing
    )
    if not ModerationSettings.objects.exists():
        ModerationSettings.objects.create()


def demo_content(*, accounts: dict[str, Member], content: dict) -> None:
    """The demo moderator is on duty and a watched word flags miracle cures; idempotent."""
    OnDuty.objects.get_or_create(member=accounts["modo"])
    WatchedWord.objects.get_or_create(
        phrase="remède miracle", defaults={"action": WatchedWord.Action.FLAG}
    )


def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    """The moderation queue of a living network, once the forums hold their messages: the
    demo members' first posts, which their moderator published, are off the queue; what is
    left is a member's report and a newcomer's first message waiting for approval (and
    whatever a watched word flagged). Idempotent."""
    moderator = accounts["modo"]
    queue = content["queue"]
    Case.objects.filter(
        kind=Case.Kind.HELD, status=Case.Status.OPEN, post__status=Post.Status.PUBLISHED
    ).update(
        status=Case.Status.CLOSED,
        closed_at=timezone.now(),
        closed_by=moderator,
        resolution=Case.Resolution.APPROVED,
    )
    now = timezone.now()
    held = queue["held"]
    if not Topic.objects.filter(title=held["title"]).exists():
        topic = forums.topic_create(
            author=accounts[held["author"]],
            category=Category.objects.get(slug=held["category"]),
            title=held["title"],
            body=held["body"],
        )
        written = now - datetime.timedelta(hours=held["hours_ago"])
        Topic.objects.filter(pk=topic.pk).update(created=written, last_post_at=written)
        Post.objects.filter(pk=topic.opening_post.pk).update(created=written)
        Case.objects.filter(post=topic.opening_post).update(created=written)
    report = queue["report"]
    post = (
        Post.objects.filter(topic__title=report["topic"], author=accounts[report["author"]])
        .order_by("id")
        .first()
    )
    reporter = accounts[report["reporter"]]
    if post is not None and not Report.objects.filter(post=post, reporter=reporter).exists():
        made = services.report_create(
            reporter=reporter, post=post, reason=report["reason"], detail=report["detail"]
        )
        written = now - datetime.timedelta(hours=report["hours_ago"])
        Report.objects.filter(pk=made.pk).update(created=written)
        Case.objects.filter(pk=made.case_id).update(created=written)
