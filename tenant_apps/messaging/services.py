"""Writes of private messages: send (screened, rate-limited), read, hide, report.

Who may write to whom is ``access.can_write``; blocks are social's
(``social.relations.block_create``), which the pages and the API call directly.
"""

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.emails import network_email
from core.jobs import defer_on_commit
from core.throttle import throttle_hit
from tenant_apps.forums.services import IDENTIFYING_LABELS
from tenant_apps.members.models import Member
from tenant_apps.messaging import access, selectors
from tenant_apps.messaging.models import BODY_MAX, Conversation, Message, Participation
from tenant_apps.moderation import cases
from tenant_apps.moderation.screening import Screening, post_screen
from tenant_apps.notifications.models import NotificationSettings
from tenant_apps.notifications.selectors import email_recipients, frequency_of
from tenant_apps.notifications.tokens import unsubscribe_token
from tenant_apps.social.models import SocialSettings
from tenants.links import tenant_base_url
from tenants.selectors import current_tenant

# Deferred by name: the jobs module imports this one.
NOTICE_JOB = "tenant_apps.messaging.jobs.message_notice_send"


def _body_error(message: str, code: str) -> ValidationError:
    """A refusal about the message's text, with its code (the page and the API read it)."""
    return ValidationError({"body": ValidationError(message, code=code)})


def unreachable_error() -> ValidationError:
    """The one refusal for every reason a member cannot be written to (a block included:
    the blocked member is not told)."""
    return _body_error(_("This member cannot receive messages from you."), "unreachable")


def _check_body(body: str) -> None:
    if not body.strip():
        raise _body_error(_("Write a message."), "required")
    if len(body) > BODY_MAX:
        raise _body_error(
            _("A message has at most %(max)s characters.") % {"max": f"{BODY_MAX:,}"},
            "max_length",
        )


def _screen(*, author: Member, body: str, confirmed_identifying: bool) -> Screening:
    """Screen like a forum post: words the network refuses, signs of a crisis, identifying
    data to confirm. Nothing is held back or flagged: a private message reaches moderators
    only when it is reported or may signal a crisis."""
    # No pre-moderation of new members' private messages: as if they had published plenty.
    screening = post_screen(author=author, text=body, published_posts=10**6)
    if screening.blocked:
        raise _body_error(
            _(
                "This message contains words this network does not accept (%(words)s). "
                "Please rephrase it."
            )
            % {"words": ", ".join(screening.blocked_by)},
            "blocked",
        )
    if screening.identifying and not confirmed_identifying:
        found = ", ".join(str(IDENTIFYING_LABELS[kind]) for kind in screening.identifying)
        raise _body_error(
            _(
                "Your message seems to contain %(found)s. Remove it, or confirm that you "
                "want to send it to this member."
            )
            % {"found": found},
            "identifying",
        )
    return screening


# The same text again this soon from its author is the same message (a double submit, a
# reload of the form's answer), not a second one.
TWIN_WINDOW = datetime.timedelta(seconds=30)


def _just_sent(*, conversation: Conversation, author: Member, body: str) -> Message | None:
    return (
        Message.objects.filter(
            conversation=conversation,
            author=author,
            body=body,
            created__gte=timezone.now() - TWIN_WINDOW,
        )
        .order_by("-id")
        .first()
    )


def _crisis_only(screening: Screening) -> Screening:
    """What of a screening opens a private message's cases: signs of a crisis only."""
    return dataclasses.replace(screening, held_by=[], flagged_by=[], premoderated=False)


def _conversation_open(*, author: Member, recipient: Member) -> Conversation:
    """The pair's conversation and both sides, created if there is none yet."""
    low, high = sorted((author.pk, recipient.pk))
    try:
        with transaction.atomic():
            conversation, created = Conversation.objects.get_or_create(
                member_low_id=low, member_high_id=high, defaults={"started_by": author}
            )
    except IntegrityError:  # started meanwhile by the other member
        conversation, created = (
            Conversation.objects.get(member_low_id=low, member_high_id=high),
            False,
        )
    if created:
        Participation.objects.bulk_create(
            [
                Participation(conversation=conversation, member=author, other=recipient),
                Participation(conversation=conversation, member=recipient, other=author),
            ],
            ignore_conflicts=True,
        )
    return conversation


def message_send(
    *, author: Member, recipient: Member, body: str, confirmed_identifying: bool = False
) -> Message:
    """Send a private message, starting the pair's conversation if needed.

    Refused alike when the recipient cannot be written to (``access.can_write``); a first
    contact counts against its own, lower rate. The returned message carries ``screening``:
    signs of a crisis show the author the help lines, and a case with this message alone
    goes to the moderation queue.
    """
    _check_body(body)
    conversation = access.conversation_between(author, recipient)
    if not access.can_write(author, recipient, conversation=conversation):
        raise unreachable_error()
    screening = _screen(author=author, body=body, confirmed_identifying=confirmed_identifying)
    throttle_hit(action="messages.send", member_id=author.pk)
    if conversation is None:
        throttle_hit(action="messages.first_contact", member_id=author.pk)
    with transaction.atomic():
        # The author's row is locked until the write commits, so two submits at once are taken
        # one after the other, and the second finds the first.
        Member.objects.select_for_update().filter(pk=author.pk).first()
        if conversation is None:
            conversation = access.conversation_between(author, recipient)
        if conversation is None:
            conversation = _conversation_open(author=author, recipient=recipient)
        twin = _just_sent(conversation=conversation, author=author, body=body)
        if twin is not None:
            twin.screening = screening  # type: ignore[attr-defined]
            return twin
        message = Message.objects.create(conversation=conversation, author=author, body=body)
        sent = message.created
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=sent)
        Participation.objects.filter(conversation=conversation, member=author).update(
            last_message_at=sent, hidden=False
        )
        side = Participation.objects.filter(conversation=conversation, member=recipient)
        side.update(last_message_at=sent, hidden=False, unread=F("unread") + 1)
        recipient_side = side.values_list("pk", flat=True).first()
        selectors.unread_forget(recipient.pk)
        if recipient_side is not None:
            defer_on_commit(NOTICE_JOB, participation_id=recipient_side)
        if screening.crisis:
            # This message alone goes to the queue, never the conversation around it.
            cases.screened(target=message, screening=_crisis_only(screening))
    message.screening = screening  # type: ignore[attr-defined]  # for the page that follows
    return message


def first_contact_set(*, member: Member, choice: str) -> SocialSettings:
    """Choose who may write to the member first (nobody, the people they follow, everyone).
    The choice is a field of social's settings row, which only this service writes."""
    if choice not in SocialSettings.FirstContact.values:
        raise ValidationError({"first_contact": _("Choose one of the answers.")})
    found, _created = SocialSettings.objects.update_or_create(
        member=member, defaults={"first_contact": choice}
    )
    return found


def conversation_read(*, participation: Participation) -> None:
    """The member has read their conversation: no unread message left, and the next one may
    be emailed again."""
    if participation.unread or participation.noticed_at is not None:
        Participation.objects.filter(pk=participation.pk).update(unread=0, noticed_at=None)
        participation.unread, participation.noticed_at = 0, None
        selectors.unread_forget(participation.member_id)


def conversation_hide(*, participation: Participation) -> None:
    """Take a conversation out of the member's inbox until a new message; read too."""
    Participation.objects.filter(pk=participation.pk).update(hidden=True, unread=0, noticed_at=None)
    participation.hidden, participation.unread, participation.noticed_at = True, 0, None
    selectors.unread_forget(participation.member_id)


def message_notice_send(*, participation_id: int) -> bool:
    """Email a member that a private message waits for them: once per conversation until
    they read it, never the message's text nor who wrote it, nothing to a member who stopped
    notification emails. Safe to run twice."""
    with transaction.atomic():
        side = (
            Participation.objects.select_for_update(skip_locked=True)
            .filter(pk=participation_id, unread__gt=0, noticed_at__isnull=True)
            .first()
        )
        if side is None:
            return False
        member = email_recipients().filter(pk=side.member_id).first()
        if member is None or member.user is None:
            return False
        if frequency_of(member) == NotificationSettings.Frequency.NEVER:
            return False
        tenant = current_tenant()
        base = tenant_base_url(tenant)
        unsubscribe = base + reverse(
            "notifications:unsubscribe",
            urlconf="config.urls_tenant",
            args=[unsubscribe_token(member=member)],
        )
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "network": tenant.branding.display_name,
                "url": base
                + reverse(
                    "messaging:conversation",
                    urlconf="config.urls_tenant",
                    args=[side.conversation_id],
                ),
                "preferences_url": base
                + reverse("notifications:preferences", urlconf="config.urls_tenant"),
                "unsubscribe_url": unsubscribe,
            }
            subject = render_to_string("messaging/email/notice_subject.txt", context).strip()
            body = render_to_string("messaging/email/notice.txt", context)
        network_email(
            subject=subject,
            body=body,
            to=[member.user.email],
            tenant=tenant,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ).send()
        Participation.objects.filter(pk=side.pk).update(noticed_at=timezone.now())
    return True


# --- What moderators do to a message reported to them (moderation.services calls these) ----


def message_url(message: Message) -> str:
    """Where the message's two members read it (others get the missing page)."""
    return reverse("messaging:conversation", args=[message.conversation_id])


def message_hide(*, message: Message, moderator: Member, reason: str) -> Message:
    """Hide a reported message: both members read that the moderators hid it. The reason
    reaches its author through moderation's notification."""
    del moderator, reason  # moderation.services audits the decision and tells the author
    Message.objects.filter(pk=message.pk).update(status=Message.Status.HIDDEN)
    message.status = Message.Status.HIDDEN
    return message


def message_publish(*, message: Message, moderator: Member) -> Message:
    """Show a hidden message again (messages are never held, so this only restores)."""
    del moderator
    Message.objects.filter(pk=message.pk).update(status=Message.Status.PUBLISHED)
    message.status = Message.Status.PUBLISHED
    return message
