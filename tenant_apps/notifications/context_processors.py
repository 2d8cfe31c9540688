from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tenant_apps.members.permissions import current_member
from tenant_apps.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The signed-in member's unread count for the header, counted only if a page shows it."""
    if connection.schema_name == "public":
        return {}
    member = current_member(getattr(request, "user", None))
    if member is None:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(member))}
