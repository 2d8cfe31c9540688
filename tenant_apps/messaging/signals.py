"""At sign-in, the header's unread count is put in the cache (selectors.unread_count_cached),
so that the pages that follow read it without a query."""

from django.db import connection

from tenant_apps.members.permissions import current_member
from tenant_apps.messaging import selectors


def unread_prime(sender, request, user, **kwargs) -> None:
    """Cache the member's unread count as they sign in to a network."""
    if connection.schema_name == "public":
        return
    member = current_member(user)
    if member is not None:
        selectors.unread_count_cached(member)
