from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tenant_apps.members.permissions import current_member
from tenant_apps.messaging import selectors


def unread_messages(request: HttpRequest) -> dict[str, object]:
    """The signed-in member's unread private messages for the header, from the cache (one
    query on a miss), looked up only if the page shows it."""
    if connection.schema_name == "public":
        return {}
    member = current_member(getattr(request, "user", None))
    if member is None:
        return {}
    return {"unread_messages": SimpleLazyObject(lambda: selectors.unread_count_cached(member))}
