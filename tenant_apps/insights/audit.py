"""How the admins' actions on anonymous statistics read in the audit log
(/association/journal/)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.members.models import AuditEntry

ACTION_LABELS = {
    "insights.release_publish": gettext_lazy("Statistics published"),
    "insights.release_share": gettext_lazy("Statistics shared by a link"),
    "insights.release_unshare": gettext_lazy("Statistics link turned off"),
    "insights.release_list": gettext_lazy("Statistics listed in the directory"),
    "insights.release_unlist": gettext_lazy("Statistics taken out of the directory"),
}


def describe(entry: AuditEntry) -> str:
    """Which release, and for a publication the ε it spent."""
    detail = entry.detail or {}
    if not entry.action.startswith("insights."):
        return ""
    text = _("report #%(id)s") % {"id": detail.get("release_id", "?")}
    if "epsilon" in detail:
        text += " — " + _("ε %(epsilon)s of %(year)s") % {
            "epsilon": detail["epsilon"],
            "year": detail.get("year", "?"),
        }
    return text
