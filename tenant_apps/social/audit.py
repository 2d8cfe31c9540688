"""How moderators' decisions on experiences and their comments read in the admins' audit
log (/association/journal/). moderation.services writes them (``social.experience_hide``…)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.members.models import AuditEntry

ACTION_LABELS = {
    "social.experience_approve": gettext_lazy("Experience approved"),
    "social.experience_hide": gettext_lazy("Experience hidden"),
    "social.experience_restore": gettext_lazy("Experience restored"),
    "social.comment_approve": gettext_lazy("Comment approved"),
    "social.comment_hide": gettext_lazy("Comment hidden"),
    "social.comment_restore": gettext_lazy("Comment restored"),
}


def describe(entry: AuditEntry) -> str:
    """A social entry's details in words: which experience or comment, and the reason."""
    detail = entry.detail or {}
    if entry.action.startswith("social.experience_"):
        text = _("experience #%(id)s") % {"id": detail.get("experience_id", "?")}
    elif entry.action.startswith("social.comment_"):
        text = _("comment #%(id)s") % {"id": detail.get("comment_id", "?")}
    else:
        return ""
    if detail.get("reason"):
        text += f" — {detail['reason']}"
    return text
