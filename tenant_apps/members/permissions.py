"""Named permissions, granted by roles and designations, checked in one place.

A role (member, moderator, admin) grants a set of named permissions. A designation grants
more to a member whatever their role (the knowledge base's editors and reviewers); apps
declare theirs with ``designations_register`` from their ``AppConfig.ready()``, so this
lower layer never imports them. A staff role or a designation grants nothing beyond what
every member holds until its holder has set up a second factor (TOTP).

Views use ``permission_required``; the API uses ``NetworkPermission``
(tenant_apps/members/drf.py). Anything out of a member's reach answers 404, the same as
what does not exist.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import TypeGuard

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

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
    "knowledge.article:read_unpublished",
    "knowledge.article:write",
    "knowledge.article:review",
    "knowledge.question:answer",
    "events.event:write",
    # Anonymous statistics: build, preview, publish and share releases (tenant_apps.insights).
    "insights.release:publish",
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.MEMBER: MEMBER_PERMISSIONS,
    Role.MODERATOR: frozenset(MODERATOR_PERMISSIONS),
    Role.ADMIN: frozenset(ADMIN_PERMISSIONS),
}
# Roles that must sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.MODERATOR, Role.ADMIN})


@dataclass(frozen=True)
class Designations:
    """An app's designations: the permissions each kind grants, and a member's kinds."""

    permissions: Mapping[str, frozenset[str]]
    kinds_of: Callable[[Member], Iterable[str]]


_designations: list[Designations] = []


def designations_register(designations: Designations) -> None:
    """Called once per app from ``AppConfig.ready()``."""
    _designations.append(designations)


def _designatable() -> frozenset[str]:
    return frozenset(p for d in _designations for kind in d.permissions.values() for p in kind)


def _granted_by(designations: Designations, member: Member) -> frozenset[str]:
    """What one app's designations grant the member; one query, once per member object."""
    cache = member.__dict__.setdefault("_designated", {})
    key = id(designations)
    if key not in cache:
        cache[key] = frozenset(
            p
            for kind in designations.kinds_of(member)
            for p in designations.permissions.get(kind, ())
        )
    return cache[key]


def _designated(member: Member, permission: str | None = None) -> frozenset[str]:
    """What the member's designations grant: only the apps whose designations could grant
    ``permission`` are asked (all of them without one)."""
    return frozenset().union(
        *(
            _granted_by(d, member)
            for d in _designations
            if permission is None
            or any(permission in granted for granted in d.permissions.values())
        )
    )


def has_second_factor(member: Member) -> bool:
    """The member has set up TOTP; one query, once per member object."""
    found = getattr(member, "_has_totp", None)
    if found is None:
        found = Authenticator.objects.filter(
            user_id=member.user_id, type=Authenticator.Type.TOTP
        ).exists()
        member._has_totp = found
    return found


def permissions_forget(member: Member) -> None:
    """After a change of designations or second factor, within the same request."""
    for cached in ("_designated", "_has_totp"):
        member.__dict__.pop(cached, None)


def has_permission(member: Member | None, permission: str) -> bool:
    if member is None:
        return False
    if permission in MEMBER_PERMISSIONS:  # every member's: nothing more to look up
        return permission in ROLE_PERMISSIONS.get(member.role, frozenset())
    granted = permission in ROLE_PERMISSIONS.get(member.role, frozenset()) or (
        permission in _designatable() and permission in _designated(member, permission)
    )
    # The second-factor rule, the one place it is written: staff rights wait for TOTP.
    return granted and has_second_factor(member)


def second_factor_missing(member: Member | None) -> bool:
    """A staff role or a designation held without TOTP: its rights wait for the setup."""
    if member is None or has_second_factor(member):
        return False
    return member.role in SECOND_FACTOR_ROLES or bool(_designated(member))


def is_reader(member: Member | None) -> TypeGuard[Member]:
    """An active member of this network with an account: every app's access module asks
    this first, and anyone else reads nothing."""
    return (
        member is not None
        and member.pk is not None
        and member.status == Member.Status.ACTIVE
        and member.user_id is not None
    )


def current_member(user) -> Member | None:
    """The active member behind a request's user in this network, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = getattr(user, "member", None)
    if member is None or member.status != Member.Status.ACTIVE:
        return None
    return member


def require(member: Member | None, permission: str | None) -> Member:
    """The member, when they hold the permission (``None``: any active member); otherwise
    the same 404 as a missing page."""
    if member is None or (permission is not None and not has_permission(member, permission)):
        raise Http404
    return member


# Where a person was going when sent to set up their second factor: the recovery codes
# page's "Continue" leads there once the setup is done (members.views.account_continue).
SECOND_FACTOR_NEXT = "members:second_factor_next"


def second_factor_setup(request: HttpRequest):
    """Send a signed-in person to the TOTP setup, remembering the page they asked for."""
    wanted = request.get_full_path()
    if request.method == "GET" and url_has_allowed_host_and_scheme(wanted, allowed_hosts=set()):
        request.session[SECOND_FACTOR_NEXT] = wanted
    messages.warning(
        request, _("Your role requires a second factor: set up an authenticator app first.")
    )
    return redirect("mfa_activate_totp")


def permission_required(permission: str | None = None) -> Callable:
    """View decorator: sets ``request.member`` or answers 404; ``None`` lets in any active
    member. A staff member or a designated one refused for want of a second factor is led
    to its setup instead."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            member = current_member(request.user)
            try:
                request.member = require(member, permission)
            except Http404:
                if second_factor_missing(member):
                    return second_factor_setup(request)
                raise
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = permission_required(None)
