"""Moderation: the queue's cases, members' reports, moderators' actions and the network's
moderation settings. Every staff action is audited and closes the cases it settles."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, ContentWarning, Post, Topic
from tenant_apps.members import services as members
from tenant_apps.members.models import Member, Role
from tenant_apps.messaging import services as messaging
from tenant_apps.messaging.models import Message
from tenant_apps.moderation.cases import case_open, case_target, crisis_resources_list
from tenant_apps.moderation.models import (
    Case,
    CrisisResource,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notification_create
from tenant_apps.social import services as social
from tenant_apps.social.models import Experience, ExperienceComment

STAFF_ROLES = (Role.MODERATOR, Role.ADMIN)


def crisis_resource_create(*, name: str, phone: str, description: str = "") -> CrisisResource:
    """Add a help line at the end of the network's list."""
    position = (CrisisResource.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    return CrisisResource.objects.create(
        name=name, phone=phone, description=description, position=position
    )


# --- The queue -------------------------------------------------------------------------------


ALREADY_REPORTED = gettext_lazy("You already reported this message; the moderators will see it.")


def report_create(
    *, reporter: Member, reason: str, detail: str = "", post: Post | None = None, target=None
) -> Report:
    """A member reports what another wrote (``target``: a post, an experience, a comment…;
    ``post=`` is the forums' spelling) to the moderators; one open report per member each."""
    target = target if target is not None else post
    detail = detail.strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == Report.Reason.OTHER and not detail:
        raise ValidationError({"detail": _("Tell the moderators what is wrong.")})
    if len(detail) > 500:
        raise ValidationError({"detail": _("Keep it under 500 characters.")})
    on = {f"case__{field}": value for field, value in case_target(target).items()}
    if Report.objects.filter(**on, reporter=reporter, open=True).exists():
        raise ValidationError({NON_FIELD_ERRORS: ALREADY_REPORTED})
    try:
        # The case and the report together: a report that loses a race leaves no empty case.
        with transaction.atomic():
            case, _opened = case_open(target=target, kind=Case.Kind.REPORT)
            return Report.objects.create(
                case=case,
                post=target if isinstance(target, Post) else None,
                reporter=reporter,
                reason=reason,
                detail=detail,
            )
    except IntegrityError as error:
        raise ValidationError({NON_FIELD_ERRORS: ALREADY_REPORTED}) from error


def _cases_close(*, target, moderator: Member, resolution: str, kinds=None) -> int:
    """Close the target's open cases (of some kinds, or all) and their reports."""
    cases = Case.objects.filter(**case_target(target), status=Case.Status.OPEN)
    if kinds is not None:
        cases = cases.filter(kind__in=kinds)
    case_ids = list(cases.values_list("pk", flat=True))
    Report.objects.filter(case_id__in=case_ids).update(open=False)
    return Case.objects.filter(pk__in=case_ids).update(
        status=Case.Status.CLOSED,
        closed_at=timezone.now(),
        closed_by=moderator,
        resolution=resolution,
    )


# --- What moderators act on ------------------------------------------------------------------


@dataclass(frozen=True)
class Moderated:
    """How moderators' decisions reach one kind of case target: the owning app's services
    publish (approve a held one, restore a hidden one) and hide it; the rest (closing the
    cases, the audit, telling the author) is the same for every kind."""

    name: str  # in the audit's action names and details ("post" → moderation.post_hide)
    model: Any
    related: tuple[str, ...]  # loaded with the target for the notification
    publish: Callable[[Any, Member], Any]
    hide: Callable[[Any, Member, str], Any]
    url: Callable[[Any], str]
    subject: Callable[[Any], str]


MODERATED = {
    Post: Moderated(
        name="post",
        model=Post,
        related=("topic__category", "author__user"),
        publish=lambda post, moderator: forums.post_publish(post=post, moderator=moderator),
        hide=lambda post, moderator, reason: forums.post_hide(
            post=post, moderator=moderator, reason=reason
        ),
        url=lambda post: forums.post_url(post),
        subject=lambda post: post.topic.title,
    ),
    Experience: Moderated(
        name="experience",
        model=Experience,
        related=("author__user",),
        publish=lambda experience, moderator: social.experience_publish(
            experience=experience, moderator=moderator
        ),
        hide=lambda experience, moderator, reason: social.experience_hide(
            experience=experience, moderator=moderator, reason=reason
        ),
        url=lambda experience: social.experience_url(experience),
        subject=lambda experience: social.experience_title(experience),
    ),
    ExperienceComment: Moderated(
        name="comment",
        model=ExperienceComment,
        related=("author__user", "experience"),
        publish=lambda comment, moderator: social.comment_publish(
            comment=comment, moderator=moderator
        ),
        hide=lambda comment, moderator, reason: social.comment_hide(
            comment=comment, moderator=moderator, reason=reason
        ),
        url=lambda comment: social.comment_url(comment),
        subject=lambda comment: social.experience_title(comment.experience),
    ),
    Message: Moderated(
        name="message",
        model=Message,
        related=("author__user",),
        publish=lambda message, moderator: messaging.message_publish(
            message=message, moderator=moderator
        ),
        hide=lambda message, moderator, reason: messaging.message_hide(
            message=message, moderator=moderator, reason=reason
        ),
        url=lambda message: messaging.message_url(message),
        subject=lambda message: str(_("A private message")),
    ),
}


def post_url(post: Post) -> str:
    """Where a post is read, for notifications and links back."""
    return forums.post_url(post)


def target_url(target) -> str:
    """Where a case's target is read (a post, an experience, a comment)."""
    return MODERATED[type(target)].url(target)


def _reason(reason: str, field: str = "reason") -> str:
    """A moderator's reason, required and short enough for a notification."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({field: _("Give the author a reason.")})
    if len(reason) > 300:
        raise ValidationError({field: _("Keep the reason under 300 characters.")})
    return reason


def _notify_author(*, target, moderator: Member, detail: str = "") -> None:
    if target.author is None or target.author.user_id is None:
        return
    kind = MODERATED[type(target)]
    notification_create(
        recipient=target.author,
        kind=Notification.Kind.MODERATION,
        actor=moderator,
        subject=kind.subject(target),
        detail=detail,
        url=kind.url(target),
    )


def _support_author(*, target, moderator: Member) -> None:
    """After a moderator has dealt with a message that may signal a crisis, its author hears
    from the team, kindly, with the help lines again (in the site only: the email says that
    the team read the message, nothing more)."""
    if target.author is None or target.author.user_id is None:
        return
    lines = ", ".join(
        f"{line.phone} ({line.name})" if line.name and line.name != line.phone else line.phone
        for line in crisis_resources_list()
    )
    kind = MODERATED[type(target)]
    notification_create(
        recipient=target.author,
        kind=Notification.Kind.SUPPORT,
        actor=moderator,
        subject=kind.subject(target),
        detail=lines[:300],
        url=kind.url(target),
    )


def _crisis_open(target) -> bool:
    return Case.objects.filter(
        **case_target(target), status=Case.Status.OPEN, kind=Case.Kind.CRISIS
    ).exists()


def _locked(target):
    """The target, re-read and locked for the rest of the transaction."""
    kind = MODERATED[type(target)]
    return (
        kind.model.objects.select_for_update(of=("self",))
        .select_related(*kind.related)
        .get(pk=target.pk)
    )


def _audit(moderator: Member, target, verb: str, **detail) -> None:
    """The audit entry of a decision on a target. Each action is spelled out, so the log's
    labels can be checked (tests/members/test_audit_labels.py); the social layer's are
    labelled in social.audit."""
    name = MODERATED[type(target)].name
    detail[f"{name}_id"] = target.pk
    who = {"actor": moderator, "target": target.author}
    if name == "post":
        members.audit(
            **who,
            action="moderation.post_approve" if verb == "approve"
            else "moderation.post_hide" if verb == "hide"
            else "moderation.post_restore" if verb == "restore"
            else "moderation.post_edit",
            **detail,
        )  # fmt: skip
    elif name == "experience":
        members.audit(
            **who,
            action="social.experience_approve" if verb == "approve"
            else "social.experience_hide" if verb == "hide"
            else "social.experience_restore",
            **detail,
        )  # fmt: skip
    elif name == "comment":
        members.audit(
            **who,
            action="social.comment_approve" if verb == "approve"
            else "social.comment_hide" if verb == "hide"
            else "social.comment_restore",
            **detail,
        )  # fmt: skip
    elif name == "message":
        members.audit(
            **who,
            action="messaging.message_approve" if verb == "approve"
            else "messaging.message_hide" if verb == "hide"
            else "messaging.message_restore",
            **detail,
        )  # fmt: skip
    else:
        raise ValueError(f"no audit action for a decision on a {name}")


def content_approve(*, moderator: Member, target):
    """Publish a held post, experience or comment, or keep a published one: its open cases
    are closed either way. Publishing goes through the owning app (counters, mentions and
    followers as for any new message)."""
    with transaction.atomic():
        target = _locked(target)
        if target.status == "hidden":
            raise ValidationError({NON_FIELD_ERRORS: _("This message is hidden: restore it.")})
        was_held = target.status == "held"
        if was_held:
            target = MODERATED[type(target)].publish(target, moderator)
        crisis = _crisis_open(target)
        closed = _cases_close(
            target=target, moderator=moderator, resolution=Case.Resolution.APPROVED
        )
        _audit(moderator, target, "approve", was_held=was_held, cases=closed)
        if was_held:
            _notify_author(target=target, moderator=moderator)
        if crisis:
            _support_author(target=target, moderator=moderator)
    return target


def content_hide(*, moderator: Member, target, reason: str):
    """Hide a post, experience or comment with a reason its author reads."""
    reason = _reason(reason)
    with transaction.atomic():
        target = _locked(target)
        if target.status == "hidden":
            raise ValidationError({NON_FIELD_ERRORS: _("This message is already hidden.")})
        target = MODERATED[type(target)].hide(target, moderator, reason)
        crisis = _crisis_open(target)
        closed = _cases_close(target=target, moderator=moderator, resolution=Case.Resolution.HIDDEN)
        _audit(moderator, target, "hide", reason=reason, cases=closed)
        _notify_author(target=target, moderator=moderator, detail=reason)
        if crisis:
            _support_author(target=target, moderator=moderator)
    return target


def content_restore(*, moderator: Member, target):
    """Publish a hidden post, experience or comment again."""
    with transaction.atomic():
        target = _locked(target)
        if target.status != "hidden":
            raise ValidationError({NON_FIELD_ERRORS: _("This message is not hidden.")})
        target = MODERATED[type(target)].publish(target, moderator)
        closed = _cases_close(
            target=target, moderator=moderator, resolution=Case.Resolution.RESTORED
        )
        _audit(moderator, target, "restore", cases=closed)
        _notify_author(target=target, moderator=moderator)
    return target


# --- Actions on posts ------------------------------------------------------------------------


def post_approve(*, moderator: Member, post: Post) -> Post:
    """``content_approve`` for a forum post."""
    return content_approve(moderator=moderator, target=post)


def post_hide(*, moderator: Member, post: Post, reason: str) -> Post:
    """``content_hide`` for a forum post; the topic's counters follow."""
    return content_hide(moderator=moderator, target=post, reason=reason)


def post_restore(*, moderator: Member, post: Post) -> Post:
    """``content_restore`` for a forum post."""
    return content_restore(moderator=moderator, target=post)


def post_moderator_edit(*, moderator: Member, post: Post, body: str, reason: str) -> Post:
    """Edit a member's post with a reason; settles its reports, flags and crisis alert."""
    reason = _reason(reason)
    with transaction.atomic():
        post = forums.post_edit(post=_locked(post), editor=moderator, body=body, reason=reason)
        # A held post still waits for approval: editing is not approving.
        closed = _cases_close(
            target=post,
            moderator=moderator,
            resolution=Case.Resolution.EDITED,
            kinds=[Case.Kind.REPORT, Case.Kind.FLAGGED, Case.Kind.CRISIS],
        )
        _audit(moderator, post, "edit", reason=reason, cases=closed)
        _notify_author(target=post, moderator=moderator, detail=reason)
    return post


# --- Actions on topics -----------------------------------------------------------------------

TOPIC_ACTIONS = {
    "lock": ("locked", True),
    "unlock": ("locked", False),
    "pin": ("pinned", True),
    "unpin": ("pinned", False),
}


def topic_moderate(*, moderator: Member, topic: Topic, action: str) -> Topic:
    """Lock, unlock, pin or unpin a topic."""
    if action not in TOPIC_ACTIONS:
        raise ValidationError({"action": _("Unknown action.")})
    field, value = TOPIC_ACTIONS[action]
    setattr(topic, field, value)
    topic.save(update_fields=[field])
    forums.topic_touch(topic=topic)
    members.audit(
        actor=moderator, action=f"moderation.topic_{action}", target=topic.author, topic_id=topic.pk
    )
    return topic


def topic_move(*, moderator: Member, topic: Topic, category: Category) -> Topic:
    """Move a topic to another forum."""
    if category.pk == topic.category_id:
        raise ValidationError({"category": _("The topic is already in this forum.")})
    previous = topic.category
    topic.category = category
    topic.save(update_fields=["category"])
    forums.topic_touch(topic=topic)
    members.audit(
        actor=moderator,
        action="moderation.topic_move",
        target=topic.author,
        topic_id=topic.pk,
        previous=previous.name,
        category=category.name,
    )
    return topic


# --- Actions on members ----------------------------------------------------------------------


def _check_target(moderator: Member, member: Member) -> None:
    if member.pk == moderator.pk:
        raise ValidationError({NON_FIELD_ERRORS: _("You cannot do this to yourself.")})
    # Moderators act on members; only admins act on the team.
    if member.role in STAFF_ROLES and moderator.role != Role.ADMIN:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Only an admin can do this to a member of the team.")}
        )


def member_warn(*, moderator: Member, member: Member, reason: str) -> Notification:
    """A written warning: the member is notified with the reason; the team's log keeps it."""
    reason = _reason(reason)
    _check_target(moderator, member)
    notification = notification_create(
        recipient=member,
        kind=Notification.Kind.WARNING,
        actor=moderator,
        subject=_("A warning from the moderators"),
        detail=reason,
        url=reverse("charter"),
    )
    members.audit(actor=moderator, action="moderation.member_warn", target=member, reason=reason)
    return notification  # type: ignore[return-value]


def member_suspend(
    *, moderator: Member, member: Member, reason: str, until: datetime | None
) -> None:
    """Suspend a member for a period (signs them out); the members service audits it."""
    _check_target(moderator, member)
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("Choose a day after today.")})
    members.member_suspend(actor=moderator, member=member, reason=reason, until=until)


# --- Duty and settings -----------------------------------------------------------------------


def on_duty_set(*, actor: Member, member: Member, on_duty: bool) -> None:
    """Put a moderator on duty (crisis alerts reach them by email) or take them off."""
    if on_duty and member.role not in STAFF_ROLES:
        raise ValidationError({"member": _("Only moderators and admins can be on duty.")})
    if on_duty:
        changed = OnDuty.objects.get_or_create(member=member)[1]
    else:
        changed = OnDuty.objects.filter(member=member).delete()[0] > 0
    if changed:
        members.audit(
            actor=actor,
            action="moderation.duty_on" if on_duty else "moderation.duty_off",
            target=member,
        )


def watched_word_add(*, actor: Member, phrase: str, action: str) -> WatchedWord:
    """Watch new posts for a word or phrase: block, hold or flag them."""
    phrase = " ".join(phrase.split()).lower()
    if not phrase:
        raise ValidationError({"phrase": _("Enter a word or phrase.")})
    if action not in WatchedWord.Action.values:
        raise ValidationError({"action": _("Choose what happens.")})
    if WatchedWord.objects.filter(phrase__iexact=phrase).exists():
        raise ValidationError({"phrase": _("This word is already watched.")})
    word = WatchedWord.objects.create(phrase=phrase[:100], action=action)
    members.audit(actor=actor, action="moderation.word_add", phrase=word.phrase, mode=action)
    return word


def watched_word_remove(*, actor: Member, word: WatchedWord) -> None:
    """Stop watching a word."""
    members.audit(actor=actor, action="moderation.word_remove", phrase=word.phrase)
    word.delete()


def crisis_term_add(*, actor: Member, phrase: str) -> CrisisTerm:
    """Add a word or phrase that may signal a crisis."""
    phrase = " ".join(phrase.split()).lower()
    if not phrase:
        raise ValidationError({"phrase": _("Enter a word or phrase.")})
    if CrisisTerm.objects.filter(phrase__iexact=phrase).exists():
        raise ValidationError({"phrase": _("This term is already in the list.")})
    term = CrisisTerm.objects.create(phrase=phrase[:100])
    members.audit(actor=actor, action="moderation.crisis_term_add", phrase=term.phrase)
    return term


def crisis_term_remove(*, actor: Member, term: CrisisTerm) -> None:
    """Remove a crisis term."""
    members.audit(actor=actor, action="moderation.crisis_term_remove", phrase=term.phrase)
    term.delete()


def content_warning_add(*, actor: Member, name: str) -> ContentWarning:
    """Add a subject authors can tag their posts with, and readers can fold."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Enter a subject.")})
    if ContentWarning.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This subject is already in the list.")})
    last = ContentWarning.objects.aggregate(m=Max("position"))["m"]
    warning = ContentWarning.objects.create(name=name[:60], position=(last or 0) + 1)
    members.audit(actor=actor, action="moderation.content_warning_add", phrase=warning.name)
    return warning


def content_warning_remove(*, actor: Member, warning: ContentWarning) -> None:
    """Remove a subject: posts lose the tag, and readers who folded it see those posts open."""
    members.audit(actor=actor, action="moderation.content_warning_remove", phrase=warning.name)
    forums.post_warning_remove(warning=warning)
    warning.delete()


def moderation_settings_update(*, actor: Member, premoderated_posts: int) -> ModerationSettings:
    """Change how many of a new member's first posts wait for approval."""
    if premoderated_posts < 0 or premoderated_posts > 100:
        raise ValidationError({"premoderated_posts": _("Choose a number from 0 to 100.")})
    settings = ModerationSettings.objects.first() or ModerationSettings()
    previous = settings.premoderated_posts if settings.pk else None
    settings.premoderated_posts = premoderated_posts
    settings.save()
    members.audit(
        actor=actor,
        action="moderation.settings_update",
        previous=previous,
        premoderated_posts=premoderated_posts,
    )
    return settings
