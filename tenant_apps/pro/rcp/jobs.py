"""The RCP area's periodic jobs: meetings generated ahead, and coordinators alerted the day
before a meeting that lacks its quorum."""

from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.notifications import services as notifications
from tenant_apps.notifications.models import Notification
from tenant_apps.pro.models import RcpSeries
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
