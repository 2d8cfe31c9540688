"""Demo notifications, so the inbox and the header count show something in `make demo`."""

from django.urls import reverse

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification


def demo_content(*, accounts: dict[str, Member]) -> None:
    """Two unread notifications for the demo patient; nothing more on a second run."""
    member = accounts["membre"]
    if Notification.objects.filter(recipient=member).exists():
        return
    forums = reverse("forums:index", urlconf="config.urls_tenant")
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=member,
                actor=accounts["proche"],
                kind=Notification.Kind.REPLY,
                subject="Bienvenue",
                url=forums,
            ),
            Notification(
                recipient=member,
                actor=accounts["modo"],
                kind=Notification.Kind.MENTION,
                subject="Vie quotidienne",
                url=forums,
            ),
        ]
    )
