"""The RCP area's jobs: meetings generated ahead, coordinators alerted the day before a
meeting that lacks its quorum, participants told of a meeting moved or cancelled and
professionals of their invitation."""

from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.notifications import services as notifications
from tenant_apps.notifications.models import Notification
from tenant_apps.pro.models import RcpMeeting, RcpParticipant, RcpSeries
from tenant_apps.pro.rcp import selectors, services
from tenants.selectors import current_tenant


@tenant_job()
def meetings_generate() -> None:
    """Fill every active series' next weeks with meetings; safe to run twice."""
    for series in RcpSeries.objects.filter(active=True):
        with transaction.atomic():
            services.meetings_generate(series=series)


@tenant_job()
def quorum_alerts_send() -> None:
    """Tell each coordinator about tomorrow's meetings lacking their quorum, once per meeting."""
    zone = current_tenant().branding.zone
    start, end = selectors.tomorrow_bounds(zone)
    for meeting, missing in selectors.meetings_without_quorum_between(start, end):
        when = formats.date_format(meeting.starts_at.astimezone(zone), "DATETIME_FORMAT")
        notifications.notifications_fan_out(
            recipient_ids=[meeting.series.coordinator_id],
            kind=Notification.Kind.RCP,
            subject=_("Quorum missing: %(series)s, %(when)s")
            % {"series": meeting.series.name, "when": when},
            detail=", ".join(missing),
            url=reverse("rcp:meeting", args=[meeting.pk]),
            source=f"pro.rcp_quorum:{meeting.pk}",
        )


def _when(meeting: RcpMeeting, zone) -> str:
    return formats.date_format(meeting.starts_at.astimezone(zone), "DATETIME_FORMAT")


@tenant_job()
def meeting_change_notify(*, meeting_id: int, sequence: int) -> None:
    """Tell a meeting's participants (those who did not decline) that it was moved, changed
    or cancelled; once per change (its sequence), so safe to run twice."""
    meeting = RcpMeeting.objects.select_related("series").filter(pk=meeting_id).first()
    if meeting is None:
        return
    zone = current_tenant().branding.zone
    names = {"series": meeting.series.name, "when": _when(meeting, zone)}
    if meeting.status == RcpMeeting.Status.CANCELLED:
        subject = _("Meeting cancelled: %(series)s, %(when)s") % names
        detail = meeting.cancel_reason
    else:
        subject = _("Meeting changed: %(series)s, now %(when)s") % names
        detail = ", ".join(part for part in (meeting.where, meeting.video_link) if part)
    notifications.notifications_fan_out(
        recipient_ids=meeting.participants.exclude(
            attendance=RcpParticipant.Attendance.ABSENT
        ).values_list("member_id", flat=True),
        kind=Notification.Kind.RCP,
        subject=subject,
        detail=detail[:500],
        url=reverse("rcp:meeting", args=[meeting.pk]),
        source=f"pro.rcp_change:{meeting.pk}:{sequence}",
    )


@tenant_job()
def invitation_notify(*, member_id: int, meeting_id: int | None, series_id: int | None) -> None:
    """Tell a professional they are invited to a meeting or to a series; once."""
    zone = current_tenant().branding.zone
    if meeting_id is not None:
        meeting = RcpMeeting.objects.select_related("series").filter(pk=meeting_id).first()
        if meeting is None:
            return
        subject = _("You are invited to the RCP %(series)s, %(when)s") % {
            "series": meeting.series.name, "when": _when(meeting, zone),
        }  # fmt: skip
        url, source = reverse("rcp:meeting", args=[meeting.pk]), f"pro.rcp_invite:m{meeting.pk}"
    else:
        series = RcpSeries.objects.filter(pk=series_id).first()
        if series is None:
            return
        subject = _("You are invited to the meetings of the RCP %(series)s") % {
            "series": series.name
        }
        url, source = reverse("rcp:series", args=[series.slug]), f"pro.rcp_invite:s{series.pk}"
    notifications.notifications_fan_out(
        recipient_ids=[member_id], kind=Notification.Kind.RCP, subject=subject, url=url,
        source=source,
    )  # fmt: skip


@app.periodic(cron="23 2 * * *")
@app.task(name="pro.rcp.meetings_sweep", queue="default")
def meetings_sweep(timestamp: int) -> None:
    """Every night: one generation job per active network."""
    defer_for_every_network(meetings_generate)


@app.periodic(cron="0 17 * * *")
@app.task(name="pro.rcp.quorum_sweep", queue="default")
def quorum_sweep(timestamp: int) -> None:
    """Every afternoon: one quorum alert job per active network, for tomorrow's meetings."""
    defer_for_every_network(quorum_alerts_send)
