"""Who reads and who writes the care offer, the care pathways and the local groups.

- The care offer (``CareProvider``) and the published care pathways are for every member of
  the network (``permissions.is_reader``): patients look for care as much as professionals
  do. Signed-out visitors are sent to sign in, like every member-only page: a network's
  territory and its partners are its members' business, and the platform's public directory
  is the place for what anyone may read.
- Writing (creating, editing, importing providers; pathways) is for admins with their second
  factor (``members.network:configure``); they also see unpublished pathways.
- Local groups are forum groups: who sees one is the forums' rule (``forums.selectors``),
  never a copy of it here.

Anything out of reach is the same 404 as what does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.pro.models import CarePathway, CareProvider

WRITE = "members.network:configure"


def can_read(member: Member | None) -> bool:
    return is_reader(member)


def can_write(member: Member | None) -> bool:
    return is_reader(member) and has_permission(member, WRITE)


def providers_visible_to(member: Member | None) -> QuerySet[CareProvider]:
    if not can_read(member):
        return CareProvider.objects.none()
    return CareProvider.objects.all()


def provider_or_404(member: Member | None, pk: int) -> CareProvider:
    try:
        return providers_visible_to(member).select_related("establishment").get(pk=pk)
    except CareProvider.DoesNotExist as error:
        raise Http404 from error


def pathways_visible_to(member: Member | None) -> QuerySet[CarePathway]:
    if not can_read(member):
        return CarePathway.objects.none()
    if can_write(member):
        return CarePathway.objects.all()
    return CarePathway.objects.filter(published=True)


def pathway_or_404(member: Member | None, slug: str) -> CarePathway:
    try:
        return pathways_visible_to(member).get(slug=slug)
    except CarePathway.DoesNotExist as error:
        raise Http404 from error


def writer_or_404(member: Member | None) -> Member:
    if member is None or not can_write(member):
        raise Http404
    return member
