"""How moderators' decisions on a reported private message read in the admins' audit log.
moderation.services writes them (``messaging.message_hide``…); the text is never in it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.members.models import AuditEntry

ACTION_LABELS = {
    "messaging.message_approve": gettext_lazy("Private message kept"),
    "messaging.message_hide": gettext_lazy("Private message hidden"),
    "messaging.message_restore": gettext_lazy("Private message restored"),
}


def describe(entry: AuditEntry) -> str:
    """Which message, and the reason given to its author."""
    detail = entry.detail or {}
    if not entry.action.startswith("messaging.message_"):
        return ""
    text = _("private message #%(id)s") % {"id": detail.get("message_id", "?")}
    if detail.get("reason"):
        text += f" — {detail['reason']}"
    return text
