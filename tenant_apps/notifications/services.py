"""Writes of the notifications app: create, read, settings, unsubscribe and emails."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.emails import network_email
from core.jobs import defer_many_on_commit, defer_on_commit
from tenant_apps.members.models import Member
from tenant_apps.notifications import presentation, selectors
from tenant_apps.notifications.models import Notification, NotificationSettings
from tenant_apps.notifications.tokens import unsubscribe_token
from tenants.links import tenant_base_url
from tenants.selectors import current_tenant

Frequency = NotificationSettings.Frequency
# Deferred by name: the jobs module imports this one.
EMAIL_JOB = "tenant_apps.notifications.jobs.notification_email_send"


def notification_create(
    *,
    recipient: Member,
    kind: str,
    subject: str,
    url: str,
    actor: Member | None = None,
    detail: str = "",
) -> Notification | None:
    """Tell a member something happened; nobody is notified of their own action."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, subject=subject[:200], detail=detail[:300],
        url=url,
    )  # fmt: skip
    if selectors.frequency_of(recipient) == Frequency.IMMEDIATELY:
        defer_on_commit(EMAIL_JOB, notification_id=notification.pk)
    return notification


def notifications_fan_out(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    subject: str,
    url: str,
    source: str,
    actor: Member | None = None,
    detail: str = "",
) -> None:
    """Tell many members the same thing (for a job: callers decide who may know).

    One insert whatever their number; a member already told of ``source`` is not told again,
    so a job that runs twice adds nothing. Members on "immediately" get their email jobs.
    """
    ids = set(recipient_ids)
    if actor is not None:
        ids.discard(actor.pk)  # nobody is notified of their own action
    if not ids or not source:
        return
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=member_id,
                    kind=kind,
                    actor=actor,
                    subject=subject[:200],
                    detail=detail[:300],
                    url=url,
                    source=source,
                )
                for member_id in sorted(ids)
            ],
            ignore_conflicts=True,  # notifications_once_per_source
        )
        # Every one not emailed yet, those of an earlier run too (its email jobs may never
        # have been deferred): the email job sends each at most once.
        immediate = Notification.objects.filter(
            selectors.pending_email_filter(),
            source=source,
            recipient_id__in=ids,
            recipient__notification_settings__frequency=Frequency.IMMEDIATELY,
        ).values_list("pk", flat=True)
        defer_many_on_commit(EMAIL_JOB, [{"notification_id": pk} for pk in immediate])


def notification_open(*, notification: Notification) -> Notification:
    """Mark a notification read (the first time only)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_from_forget(*, recipient: Member, actor: Member) -> int:
    """What ``actor`` did that ``recipient`` was told of leaves their notifications (a block:
    the blocker no longer reads the blocked member's name there). How many went."""
    deleted, _rows = Notification.objects.filter(recipient=recipient, actor=actor).delete()
    return deleted


def notifications_mark_all_read(*, member: Member) -> int:
    """Mark every unread notification of a member read; returns how many changed."""
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_settings_update(*, member: Member, frequency: str) -> NotificationSettings:
    """Set how often a member's notifications are emailed."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose one of the frequencies offered.")})
    chosen, _created = NotificationSettings.objects.update_or_create(
        member=member, defaults={"frequency": frequency}
    )
    return chosen


def notifications_unsubscribe(*, member: Member) -> None:
    """Stop every notification email to a member (the one-click link)."""
    notification_settings_update(member=member, frequency=Frequency.NEVER)


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification to a member on "immediately"; at most once, then never again."""
    with transaction.atomic():
        # Locked and skipped if locked: a second worker on the same job sends nothing.
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(selectors.pending_email_filter(), pk=notification_id)
            .first()
        )
        if notification is None:
            return False
        member = selectors.email_recipients().filter(pk=notification.recipient_id).first()
        if member is None or selectors.frequency_of(member) != Frequency.IMMEDIATELY:
            return False
        _email(member, [notification], digest=None)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_send(*, member: Member, frequency: str, site: tuple[str, str] | None = None) -> int:
    """Email a member one digest of their notifications not yet emailed nor read."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(selectors.pending_email_filter(), recipient=member)
            .order_by("-id")
        )
        if not pending:
            return 0
        _email(member, pending, digest=frequency, site=site)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
    return len(pending)


def digests_send(*, frequency: str) -> int:
    """Send this network's daily or weekly digests; returns how many members got one."""
    sent = 0
    site = _site()
    for member in selectors.digest_recipients(frequency):
        if digest_send(member=member, frequency=frequency, site=site):
            sent += 1
    return sent


def _site() -> tuple[str, str]:
    """This network's address and name, looked up once per batch of emails."""
    tenant = current_tenant()
    return tenant_base_url(tenant), tenant.branding.display_name


def _email(
    member: Member,
    notifications: list[Notification],
    *,
    digest: str | None,
    site: tuple[str, str] | None = None,
) -> None:
    """Subjects and links only: never a post's text, a reason given, or health data."""
    if member.user is None:
        return  # erased: no address left
    base, network = site or _site()
    actors = {
        m.pk: m
        for m in Member.objects.filter(
            pk__in={n.actor_id for n in notifications if n.actor_id}
        ).select_related("user")
    }
    for notification in notifications:
        if notification.actor_id is not None:
            notification.actor = actors.get(notification.actor_id)
    inbox = base + reverse("notifications:list", urlconf="config.urls_tenant")
    unsubscribe = base + reverse(
        "notifications:unsubscribe",
        urlconf="config.urls_tenant",
        args=[unsubscribe_token(member=member)],
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "network": network,
            "digest": digest,
            "count": len(notifications),
            "items": [
                {
                    "text": presentation.sentence(n),
                    # Through the "open" view: following the link marks it read.
                    "url": base
                    + reverse("notifications:open", urlconf="config.urls_tenant", args=[n.pk]),
                }
                for n in notifications
            ],
            "inbox_url": inbox,
            "preferences_url": base
            + reverse("notifications:preferences", urlconf="config.urls_tenant"),
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    network_email(
        subject=subject,
        body=body,
        to=[member.user.email],
        tenant=current_tenant(),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()
