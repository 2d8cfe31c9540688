"""Named permissions, granted by roles, checked in one place.

Anything out of a member's reach answers 404, the same as what does not exist.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest

from tenant_apps.members.models import Member, Role

MEMBER_PERMISSIONS = frozenset(
    {
        "members.profile:edit_own",
        "members.data:export_own",
        "members.account:delete_own",
        "forums.topic:create",
        "forums.post:create",
        "forums.post:react",
        "forums.post:report",
        "forums.group:propose",
        "knowledge.question:ask",
    }
)
MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | {
    "members.space:see_all",
    "members.profile:see_all",
    "members.profile_type:decide",
    "forums.topic:moderate",
    "forums.group:decide",
    "moderation.queue:read",
    "moderation.post:moderate",
    "moderation.member:warn",
    "moderation.member:suspend",
}
ADMIN_PERMISSIONS = MODERATOR_PERMISSIONS | {
    "members.member:manage",
    "members.member:invite",
    "members.network:configure",
    "members.audit:read",
    "moderation.settings:configure",
    "knowledge.article:write",
    "knowledge.article:review",
    "knowledge.question:answer",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.MEMBER: MEMBER_PERMISSIONS,
    Role.MODERATOR: frozenset(MODERATOR_PERMISSIONS),
    Role.ADMIN: frozenset(ADMIN_PERMISSIONS),
}
# Roles that must sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


def current_member(user) -> Member | None:
    """The active member behind a request's user in this network, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = getattr(user, "member", None)
    if member is None or member.status != Member.Status.ACTIVE:
        return None
    return member


def has_permission(member: Member | None, permission: str) -> bool:
    return member is not None and permission in ROLE_PERMISSIONS.get(member.role, frozenset())


def require(member: Member | None, permission: str) -> Member:
    """The member, when they hold the permission; otherwise the same 404 as a missing page."""
    if not has_permission(member, permission):
        raise Http404
    return member  # type: ignore[return-value]


def permission_required(permission: str) -> Callable:
    """View decorator: sets ``request.member`` or answers 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            request.member = require(current_member(request.user), permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
