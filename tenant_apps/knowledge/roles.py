"""Who may write, review and answer in the knowledge base.

Admins hold these rights through their role (tenant_apps/members/permissions.py); an admin
can also designate a member as editor or reviewer (EditorialRole), for example a health
professional who verifies articles without administering the network. The designations
grant named permissions like the roles do (registered in ``KnowledgeConfig.ready()``), so
one ``has_permission`` answers for both, second factor included.
"""

from collections.abc import Iterable

from tenant_apps.knowledge.models import EditorialRole
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import Designations, has_permission

DESIGNATION_PERMISSIONS = {
    EditorialRole.Kind.EDITOR: frozenset(
        {
            "knowledge.article:read_unpublished",
            "knowledge.article:write",
            "knowledge.question:answer",
        }
    ),
    EditorialRole.Kind.REVIEWER: frozenset(
        {"knowledge.article:read_unpublished", "knowledge.article:review"}
    ),
}


def _kinds_of(member: Member) -> Iterable[str]:
    return EditorialRole.objects.filter(member=member).values_list("kind", flat=True)


DESIGNATIONS = Designations(permissions=DESIGNATION_PERMISSIONS, kinds_of=_kinds_of)


def can_write(member: Member | None) -> bool:
    return has_permission(member, "knowledge.article:write")


def can_review(member: Member | None) -> bool:
    return has_permission(member, "knowledge.article:review")


def can_answer(member: Member | None) -> bool:
    """Editors answer members' questions."""
    return has_permission(member, "knowledge.question:answer")


def is_editorial(member: Member | None) -> bool:
    """Editors and reviewers see articles in every state, to write and verify them."""
    return has_permission(member, "knowledge.article:read_unpublished")
