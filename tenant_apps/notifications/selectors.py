"""Reads of the notifications app: a member's inbox, their settings, who gets emails."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification, NotificationSettings

# A digest does not dig up older backlog (for example after "never" is changed back).
EMAIL_MAX_AGE = timedelta(days=14)
# An immediate email not sent after this long is sent with the daily digests.
IMMEDIATE_GRACE = timedelta(hours=1)


def notifications_for(member: Member, *, before: int | None = None) -> QuerySet[Notification]:
    """A member's notifications, newest first; ``before`` is the keyset cursor (an id)."""
    queryset = (
        Notification.objects.filter(recipient=member).select_related("actor__user").order_by("-id")
    )
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    return queryset


def notifications_page(
    member: Member, *, before: int | None = None, size: int = 25
) -> tuple[list[Notification], int | None]:
    """One page of the inbox and the cursor of the next one (None on the last page)."""
    rows = list(notifications_for(member, before=before)[: size + 1])
    if len(rows) > size:
        return rows[:size], rows[size - 1].pk
    return rows, None


def unread_count(member: Member) -> int:
    """Shown in the header of every page; the inbox index finds the member's rows."""
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def access_notification(member: Member | None, pk: int) -> Notification:
    """The member's own notification; anybody else's, or a missing one, is the same 404."""
    if member is None:
        raise Http404
    notification = (
        Notification.objects.filter(pk=pk, recipient=member).select_related("actor__user").first()
    )
    if notification is None:
        raise Http404
    return notification


def frequency_of(member: Member) -> str:
    settings = NotificationSettings.objects.filter(member=member).only("frequency").first()
    return settings.frequency if settings else NotificationSettings.DEFAULT_FREQUENCY


def email_recipients() -> QuerySet[Member]:
    """Members who may be emailed at all: active, not erased, primary address verified."""
    return Member.objects.filter(
        status=Member.Status.ACTIVE,
        erased__isnull=True,
        user__isnull=False,
        user__is_active=True,
        user__emailaddress__primary=True,
        user__emailaddress__verified=True,
    ).select_related("user")


def digest_recipients(frequency: str) -> QuerySet[Member]:
    """Members on this digest frequency with at least one notification left to email. The
    daily run also catches members on "immediately" whose email never went out (its job
    failed or was lost): a notification still pending after IMMEDIATE_GRACE."""
    on_frequency = Q(notification_settings__frequency=frequency)
    if frequency == NotificationSettings.DEFAULT_FREQUENCY:
        on_frequency |= Q(notification_settings__isnull=True)
    pending = Notification.objects.filter(pending_email_filter()).values("recipient_id")
    wanted = Q(on_frequency, pk__in=pending)
    if frequency == NotificationSettings.Frequency.DAILY:
        stuck = Notification.objects.filter(
            pending_email_filter(), created__lt=timezone.now() - IMMEDIATE_GRACE
        ).values("recipient_id")
        immediately = NotificationSettings.Frequency.IMMEDIATELY
        wanted |= Q(notification_settings__frequency=immediately, pk__in=stuck)
    return email_recipients().filter(wanted).order_by("pk").distinct()


def pending_email_filter() -> Q:
    """Notifications still worth an email: neither emailed nor already read, and recent."""
    return Q(
        emailed_at__isnull=True,
        read_at__isnull=True,
        created__gte=timezone.now() - EMAIL_MAX_AGE,
    )


def can_be_emailed(member: Member) -> bool:
    return email_recipients().filter(pk=member.pk).exists()
