"""The demo's inboxes: what the forums' week of activity told each member, partly read."""

import datetime

from django.db.models import F
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
    Notification.objects.filter(
        read_at__isnull=True, created__lt=timezone.now() - DEMO_READ_AFTER
    ).update(read_at=F("created") + datetime.timedelta(hours=1), emailed_at=F("created"))
