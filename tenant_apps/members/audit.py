"""How the members' own entries read in the admins' audit log (/association/journal/), and
the one table of every app's labels.

Each tenant app labels its own actions in ``<app>.audit.ACTION_LABELS`` (found through
``core.hooks``, so this layer never imports the apps above it); ``action_labels`` merges
them. tests/members/test_audit_labels.py fails on an ``audit(action=…)`` without a label.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.hooks import tenant_app_hooks

ACTION_LABELS = {
    "invite": _("Invitation sent"),
    "role_change": _("Role changed"),
    "suspend": _("Suspended"),
    "reinstate": _("Reinstated"),
    "profile_type_approve": _("Change of profile approved"),
    "profile_type_refuse": _("Change of profile refused"),
    "branding_update": _("Branding changed"),
    "space_create": _("Space created"),
    "space_update": _("Space changed"),
    "pathology_create": _("Pathology added"),
    "pathology_rename": _("Pathology renamed"),
    "pathology_delete": _("Pathology deleted"),
    "charter_publish": _("Charter published"),
    "retention_change": _("Retention of inactive accounts changed"),
    "audience_change": _("Audience of the network changed"),
    "erase": _("Account deleted"),
    "retention": _("Inactive accounts deleted"),
}


def action_labels() -> dict[str, Promise]:
    """Every tenant app's action labels, by action code."""
    labels: dict[str, Promise] = {}
    for _app, app_labels in tenant_app_hooks("audit", "ACTION_LABELS"):
        labels.update(app_labels)
    return labels
