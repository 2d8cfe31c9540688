"""Who may write, review and answer in the knowledge base.

Admins hold these rights through their role (tenant_apps/members/permissions.py); an admin
can also designate a member as editor or reviewer (EditorialRole), for example a health
professional who verifies articles without administering the network.
"""

from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission


def _designations(member: Member) -> set[str]:
    cache = getattr(member, "_editorial_kinds", None)
    if cache is None:
        cache = set(EditorialRole.objects.filter(member=member).values_list("kind", flat=True))
        member._editorial_kinds = cache
    return cache


def _has_second_factor(member: Member) -> bool:
    from allauth.mfa.models import Authenticator

    found = getattr(member, "_has_totp", None)
    if found is None:
        found = Authenticator.objects.filter(
            user_id=member.user_id, type=Authenticator.Type.TOTP
        ).exists()
        member._has_totp = found
    return found


def _designated(member: Member | None, kind: str) -> bool:
    """A designation counts only with a second factor, as the staff roles require
    (members.middleware): it lets its holder publish health information."""
    if member is None or kind not in _designations(member):
        return False
    return _has_second_factor(member)


def needs_second_factor(member: Member | None) -> bool:
    """A designated editor or reviewer who has not set up TOTP yet."""
    return member is not None and bool(_designations(member)) and not _has_second_factor(member)


def can_write(member: Member | None) -> bool:
    return has_permission(member, "knowledge.article:write") or _designated(
        member, EditorialRole.Kind.EDITOR
    )


def can_review(member: Member | None) -> bool:
    return has_permission(member, "knowledge.article:review") or _designated(
        member, EditorialRole.Kind.REVIEWER
    )


def can_answer(member: Member | None) -> bool:
    """Editors answer members' questions."""
    return has_permission(member, "knowledge.question:answer") or _designated(
        member, EditorialRole.Kind.EDITOR
    )


def is_editorial(member: Member | None) -> bool:
    """Editors and reviewers see articles in every state, to write and verify them."""
    return can_write(member) or can_review(member)
