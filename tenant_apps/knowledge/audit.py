"""How the knowledge base's entries (editorial roles) read in the admins' audit log."""

from django.utils.translation import gettext_lazy as _

from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members.models import AuditEntry

ACTION_LABELS = {
    "knowledge.role_grant": _("Editorial role given"),
    "knowledge.role_revoke": _("Editorial role taken back"),
}


def describe(entry: AuditEntry) -> str:
    """Which editorial role."""
    kind = (entry.detail or {}).get("kind")
    return str(EditorialRole.Kind(kind).label) if kind in EditorialRole.Kind.values else ""
