"""Who reads and acts on working groups and regional guidelines.

Reading a guideline (its page, its versions and their differences, its PDF, the API, the
search): a guideline that has a validated version is read by
- everyone in the network (active members) when it is visible to everyone;
- professionals (``tenant_apps.pro.access.is_professional``) when visible to professionals;
- its working group only when visible to the group.
The group's members and the network's admins (with their second factor) read every guideline
of the group, drafts included. A version not yet validated is read only by them too.

Writing (a new guideline, a new version): the group's members while they are professionals.
Validating a version and changing the validity date: the group's coordinator only.
Creating groups and naming their members: admins (with their second factor).
A working group's page: its members and admins. Anyone else: 404, as for what does not exist.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.pro.access import STAFF, is_professional
from tenant_apps.pro.models import Guideline, GuidelineVersion, WorkingGroup, WorkingGroupMember

Visibility = Guideline.Visibility


def is_staff(member: Member | None) -> bool:
    return is_reader(member) and has_permission(member, STAFF)


def can_browse(member: Member | None) -> bool:
    """The list of guidelines: any active member (it shows only what they may read)."""
    return is_reader(member)


def browser_or_404(member: Member | None) -> Member:
    if member is None or not can_browse(member):
        raise Http404
    return member


def _my_group_ids(member: Member) -> QuerySet:
    return WorkingGroupMember.objects.filter(member=member).values("group_id")


def guidelines_visible_to(member: Member | None) -> QuerySet[Guideline]:
    if not is_reader(member):
        return Guideline.objects.none()
    if is_staff(member):
        return Guideline.objects.all()
    published = Q(current_version__isnull=False)
    audiences = [Visibility.EVERYONE]
    if is_professional(member):
        audiences.append(Visibility.PROFESSIONALS)
        # A member named to a group whose verification was withdrawn reads nothing of it.
        rule = (published & Q(visibility__in=audiences)) | Q(group__in=_my_group_ids(member))
    else:
        rule = published & Q(visibility__in=audiences)
    return Guideline.objects.filter(rule)


def guideline_or_404(member: Member | None, slug: str) -> Guideline:
    found = (
        guidelines_visible_to(member)
        .select_related("group", "current_version")
        .filter(slug=slug)
        .first()
    )
    if found is None:
        raise Http404
    return found


def is_group_member(member: Member | None, group: WorkingGroup) -> bool:
    return is_professional(member) and (
        WorkingGroupMember.objects.filter(group=group, member=member).exists()
    )


def can_write(member: Member | None, guideline: Guideline) -> bool:
    """A new version: the group's members (professionals)."""
    return is_group_member(member, guideline.group)


def writer_or_404(member: Member | None, guideline: Guideline) -> Member:
    if member is None or not can_write(member, guideline):
        raise Http404
    return member


def sees_drafts(member: Member | None, guideline: Guideline) -> bool:
    return is_staff(member) or can_write(member, guideline)


def versions_visible_to(member: Member | None, guideline: Guideline) -> QuerySet[GuidelineVersion]:
    versions = GuidelineVersion.objects.filter(guideline=guideline)
    if sees_drafts(member, guideline):
        return versions
    return versions.filter(validated_at__isnull=False)


def version_or_404(member: Member | None, guideline: Guideline, number: int) -> GuidelineVersion:
    found = versions_visible_to(member, guideline).filter(number=number).first()
    if found is None:
        raise Http404
    return found


def is_coordinator(member: Member | None, group: WorkingGroup) -> bool:
    return is_professional(member) and (
        WorkingGroupMember.objects.filter(
            group=group, member=member, role=WorkingGroupMember.Role.COORDINATOR
        ).exists()
    )


def coordinator_or_404(member: Member | None, guideline: Guideline) -> Member:
    if member is None or not is_coordinator(member, guideline.group):
        raise Http404
    return member


def groups_visible_to(member: Member | None) -> QuerySet[WorkingGroup]:
    if not is_reader(member):
        return WorkingGroup.objects.none()
    if is_staff(member):
        return WorkingGroup.objects.all()
    if not is_professional(member):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(pk__in=_my_group_ids(member))


def group_or_404(member: Member | None, slug: str) -> WorkingGroup:
    found = groups_visible_to(member).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def can_manage_groups(member: Member | None) -> bool:
    return is_staff(member)


def manager_or_404(member: Member | None) -> Member:
    if member is None or not can_manage_groups(member):
        raise Http404
    return member
