"""Who may write, review and answer in the knowledge base.

Admins hold these rights through their role (tenant_apps/members/permissions.py); an admin
can also designate a member as editor or reviewer (EditorialRole), for example a health
professional who verifies articles without administering the network.
"""

from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission


def _designated(member: Member | None, kind: str) -> bool:
    if member is None:
        return False
    cache = getattr(member, "_editorial_kinds", None)
    if cache is None:
        cache = set(EditorialRole.objects.filter(member=member).values_list("kind", flat=True))
        member._editorial_kinds = cache
    return kind in cache


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
