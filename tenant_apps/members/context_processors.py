from django.db import connection
from django.http import HttpRequest

from tenant_apps.members.permissions import current_member, has_permission


def member_nav(request: HttpRequest) -> dict[str, object]:
    """What the header offers the signed-in member, by named permission."""
    if connection.schema_name == "public":
        return {}
    member = current_member(getattr(request, "user", None))
    return {
        "can_manage_network": has_permission(member, "members.member:manage"),
        "can_moderate": has_permission(member, "moderation.queue:read"),
        "can_decide_profile_types": has_permission(member, "members.profile_type:decide"),
    }
