"""A member's notifications, for their export and their erasure (see config/hooks.py)."""

from tenant_apps.members.models import Member
from tenant_apps.notifications import selectors
from tenant_apps.notifications.models import Notification, NotificationSettings


def export(*, member: Member) -> dict:
    """The member's notifications (subjects and links only, as shown to them) and their
    email choice."""
    return {
        "email_frequency": selectors.frequency_of(member),
        "notifications": [
            {
                "kind": n.kind,
                "subject": n.subject,
                "detail": n.detail,
                "url": n.url,
                "created": n.created.isoformat(),
                "read": n.read_at.isoformat() if n.read_at else None,
                "emailed": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in Notification.objects.filter(recipient=member).order_by("id")
        ],
    }


def erase(*, member: Member, delete_content: bool) -> None:
    """Notifications are about the member, never content of theirs others need: all go, with
    their email choice. Others' notifications naming them as actor stay, shown as
    "Deleted member #…" like their posts."""
    Notification.objects.filter(recipient=member).delete()
    NotificationSettings.objects.filter(member=member).delete()
