"""How moderation actions read in the admins' audit log (/association/journal/).

The members app's log page maps ``AuditEntry.action`` to a label and describes the details;
these are the moderation entries' labels and descriptions for it to use.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.members.models import AuditEntry
from tenant_apps.moderation.models import WatchedWord

ACTION_LABELS = {
    "moderation.post_approve": gettext_lazy("Message approved"),
    "moderation.post_hide": gettext_lazy("Message hidden"),
    "moderation.post_restore": gettext_lazy("Message restored"),
    "moderation.post_edit": gettext_lazy("Message edited by a moderator"),
    "moderation.topic_lock": gettext_lazy("Topic locked"),
    "moderation.topic_unlock": gettext_lazy("Topic unlocked"),
    "moderation.topic_pin": gettext_lazy("Topic pinned"),
    "moderation.topic_unpin": gettext_lazy("Topic unpinned"),
    "moderation.topic_move": gettext_lazy("Topic moved"),
    "moderation.member_warn": gettext_lazy("Member warned"),
    "moderation.duty_on": gettext_lazy("On duty"),
    "moderation.duty_off": gettext_lazy("Off duty"),
    "moderation.word_add": gettext_lazy("Watched word added"),
    "moderation.word_remove": gettext_lazy("Watched word removed"),
    "moderation.crisis_term_add": gettext_lazy("Crisis term added"),
    "moderation.crisis_term_remove": gettext_lazy("Crisis term removed"),
    "moderation.content_warning_add": gettext_lazy("Content warning added"),
    "moderation.content_warning_remove": gettext_lazy("Content warning removed"),
    "moderation.settings_update": gettext_lazy("Pre-moderation of new members changed"),
}


def describe(entry: AuditEntry) -> str:
    """A moderation entry's details in words (never an email; reasons as the moderator wrote)."""
    detail = entry.detail or {}
    action = entry.action
    if action.startswith("moderation.post_"):
        text = _("message #%(id)s") % {"id": detail.get("post_id", "?")}
        if detail.get("reason"):
            text += f" — {detail['reason']}"
        return text
    if action == "moderation.topic_move":
        return _("topic #%(id)s: %(previous)s → %(category)s") % {
            "id": detail.get("topic_id", "?"),
            "previous": detail.get("previous", ""),
            "category": detail.get("category", ""),
        }
    if action.startswith("moderation.topic_"):
        return _("topic #%(id)s") % {"id": detail.get("topic_id", "?")}
    if action == "moderation.member_warn":
        return str(detail.get("reason", ""))
    if action == "moderation.word_add":
        mode = detail.get("mode")
        label = WatchedWord.Action(mode).label if mode in WatchedWord.Action.values else mode
        return f"{detail.get('phrase', '')} ({label})"
    if action in (
        "moderation.word_remove",
        "moderation.crisis_term_add",
        "moderation.crisis_term_remove",
        "moderation.content_warning_add",
        "moderation.content_warning_remove",
    ):
        return str(detail.get("phrase", ""))
    if action == "moderation.settings_update":
        return _("%(count)s messages held for a new member") % {
            "count": detail.get("premoderated_posts", "?")
        }
    return ""
