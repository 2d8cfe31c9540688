from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification


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
    return Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, subject=subject[:200], detail=detail[:300],
        url=url,
    )  # fmt: skip
