from procrastinate.contrib.django import app

from core.jobs import defer_for_every_network, tenant_job
from tenant_apps.notifications import services
from tenant_apps.notifications.models import NotificationSettings

Frequency = NotificationSettings.Frequency


@tenant_job()
def notification_email_send(*, notification_id: int) -> None:
    """Email one notification to a member who chose "immediately"; sent at most once."""
    services.notification_email_send(notification_id=notification_id)


@tenant_job()
def digests_send(*, frequency: str) -> None:
    """Send a network's daily or weekly digests; members already emailed are skipped."""
    services.digests_send(frequency=frequency)


@app.periodic(cron="0 7 * * *")
@app.task(name="notifications.daily_digests", queue="default")
def daily_digests(timestamp: int) -> None:
    """Every morning: one daily-digest job per active network, each inside its tenant."""
    defer_for_every_network(digests_send, frequency=Frequency.DAILY)


@app.periodic(cron="0 7 * * 1")
@app.task(name="notifications.weekly_digests", queue="default")
def weekly_digests(timestamp: int) -> None:
    """Every Monday morning: one weekly-digest job per active network."""
    defer_for_every_network(digests_send, frequency=Frequency.WEEKLY)
