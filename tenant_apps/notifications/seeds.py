"""The demo's inboxes: what the forums' week of activity told each member, partly read."""

import datetime

from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification

# Members have read what they were told more than this long ago; newer news is unread.
DEMO_READ_AFTER = datetime.timedelta(days=2)


def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    """Notifications older than two days were read an hour after they came; idempotent.

    The notifications themselves come from the demo's messages (forums.seeds.demo_content),
    as they would in use: mentions, replies to followed topics, moderation decisions.
    """
    # The dates are computed here, not in the UPDATE: ``created + interval`` is a STABLE
    # function of a column, which Citus refuses in an UPDATE of a distributed schema.
    read = list(
        Notification.objects.filter(
            read_at__isnull=True, created__lt=timezone.now() - DEMO_READ_AFTER
        ).only("pk", "created")
    )
    for notification in read:
        notification.read_at = notification.created + datetime.timedelta(hours=1)
        notification.emailed_at = notification.created
    Notification.objects.bulk_update(read, ["read_at", "emailed_at"], batch_size=500)
