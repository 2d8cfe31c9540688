"""The new network's checklist, on its admins' home page: what makes the network theirs.

Each item is ticked from what the network really holds, never from a box the admin clicks:
its branding changed (a logo, or colours of its own), its spaces reviewed (one added or
changed), a charter of its own (a version after the default one), a first article, and a
moderator (a member with the role, or an invitation with it). The whole list is read in one
query; once every item is done, it is no longer shown.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists
from django.urls import reverse
from django.utils.translation import gettext as _

from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import AuditEntry, Charter, Invitation, Member, Role
from tenants.models import Branding


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    help: str
    done: bool
    url: str


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)


def _branded(branding: Branding | None) -> bool:
    if branding is None:
        return False
    fields = {field.name: field for field in Branding._meta.get_fields() if field.concrete}
    return bool(branding.logo) or any(
        getattr(branding, name) != fields[name].default
        for name in ("primary_color", "accent_color")
    )


def checklist_for(member: Member) -> Checklist | None:
    """The checklist of an admin's home page, or None: not an admin, or all done."""
    if member.role != Role.ADMIN:
        return None
    state = (
        Member.objects.filter(pk=member.pk)
        .annotate(
            branding_saved=Exists(AuditEntry.objects.filter(action="branding_update")),
            spaces_reviewed=Exists(
                AuditEntry.objects.filter(action__in=("space_create", "space_update"))
            ),
            charter_own=Exists(Charter.objects.filter(version__gt=1)),
            article_written=Exists(Article.objects.all()),
            moderator_named=Exists(Member.objects.filter(role=Role.MODERATOR)),
            moderator_invited=Exists(Invitation.objects.filter(role=Role.MODERATOR)),
        )
        .values(
            "branding_saved",
            "spaces_reviewed",
            "charter_own",
            "article_written",
            "moderator_named",
            "moderator_invited",
        )
        .get()
    )
    tenant = getattr(connection, "tenant", None)
    branding = getattr(tenant, "branding", None) if tenant is not None else None
    settings_url = reverse("members_admin:settings")
    checklist = Checklist(
        steps=[
            Step(
                "branding",
                _("Your logo and colours"),
                _("So that members recognise your association on every page."),
                state["branding_saved"] or _branded(branding),
                f"{settings_url}#branding",
            ),
            Step(
                "spaces",
                _("Your spaces"),
                _("Who meets where: patients, caregivers, a region…"),
                state["spaces_reviewed"],
                f"{settings_url}#spaces",
            ),
            Step(
                "charter",
                _("Your charter"),
                _("A default charter is in force: make it yours."),
                state["charter_own"],
                f"{settings_url}#charter",
            ),
            Step(
                "article",
                _("A first article"),
                _("The knowledge base's first verified, sourced page."),
                state["article_written"],
                reverse("knowledge:create"),
            ),
            Step(
                "moderators",
                _("Your moderators"),
                _("Invite the patient partners who will moderate with you."),
                state["moderator_named"] or state["moderator_invited"],
                reverse("members_admin:invite"),
            ),
        ]
    )
    return None if checklist.complete else checklist
