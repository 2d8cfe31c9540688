from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core import geo
from tenant_apps.members.models import (
    AuditEntry,
    Charter,
    Consent,
    Invitation,
    Member,
    NetworkSettings,
    Pathology,
    ProfileTypeRequest,
    Role,
    Space,
    Visibility,
)
from tenant_apps.members.permissions import has_permission


def spaces_list() -> list[Space]:
    return list(Space.objects.all())


def spaces_for(member: Member | None) -> list[Space]:
    """The spaces a member may enter: those open to their profile type, or all for staff.

    A space for verified professionals only (``Space.professionals_only``) opens to
    ``Member.verified_professional`` alone, whatever the profile type; never through the
    profile type a member states (tenant_apps.pro decides who is verified)."""
    if member is None:
        return []
    if has_permission(member, "members.space:see_all"):
        return list(Space.objects.all())
    if member.verified_professional:
        return list(Space.objects.filter(
            Q(professionals_only=True) | Q(audience__contains=[member.profile_type])
        ))  # fmt: skip
    return list(
        Space.objects.filter(audience__contains=[member.profile_type], professionals_only=False)
    )


def space_open_to(member: Member, space: Space) -> bool:
    """Whether ``space`` is among ``spaces_for(member)``, for a space already loaded."""
    if has_permission(member, "members.space:see_all"):
        return True
    if space.professionals_only:
        return member.verified_professional
    return member.profile_type in space.audience


def profile_type_opens_a_space(member: Member, profile_type: str) -> bool:
    """Whether being ``profile_type`` would open a space that ``member``'s current type
    does not: such a change waits for a moderator."""
    if has_permission(member, "members.space:see_all"):
        return False
    return (
        Space.objects.filter(audience__contains=[profile_type], professionals_only=False)
        .exclude(audience__contains=[member.profile_type])
        .exists()
    )


def profile_type_request_pending(member: Member) -> ProfileTypeRequest | None:
    return member.profile_type_requests.filter(status=ProfileTypeRequest.Status.PENDING).first()


def profile_type_requests_pending() -> QuerySet[ProfileTypeRequest]:
    """The requests moderators have to decide, oldest first."""
    return ProfileTypeRequest.objects.filter(
        status=ProfileTypeRequest.Status.PENDING, member__status=Member.Status.ACTIVE
    ).select_related("member__user")


def access_profile_type_request(pk: int) -> ProfileTypeRequest:
    request = profile_type_requests_pending().filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def pathologies_list() -> QuerySet[Pathology]:
    return Pathology.objects.all()


def charter_current() -> Charter | None:
    return Charter.objects.order_by("-version").first()


def access_invitation(key: str) -> Invitation:
    """A pending invitation of this network; any other key is a 404."""
    invitation = Invitation.objects.filter(
        key=key, accepted__isnull=True, expires__gt=timezone.now()
    ).first()
    if invitation is None:
        raise Http404
    return invitation


def access_member(viewer: Member | None, pseudonym: str) -> Member:
    """An active member's profile, for a member of this network; otherwise 404."""
    # A NUL cannot be in a pseudonym, and PostgreSQL refuses it in a query.
    if viewer is None or "\x00" in pseudonym:
        raise Http404
    member = (
        Member.objects.select_related("user")
        .prefetch_related("pathologies")
        .filter(user__username=pseudonym, status=Member.Status.ACTIVE)
        .first()
    )
    if member is None:
        raise Http404
    return member


def shares_a_space(viewer: Member, member: Member) -> bool:
    viewer_spaces = {space.pk for space in spaces_for(viewer)}
    return any(space.pk in viewer_spaces for space in spaces_for(member))


def audiences_of(viewer: Member, member: Member) -> set[str]:
    """The visibility choices of ``member`` that let ``viewer`` see a part of the profile:
    the one rule for profile fields and the avatar file alike."""
    if viewer.pk == member.pk or has_permission(viewer, "members.profile:see_all"):
        return {Visibility.NETWORK, Visibility.SPACES, Visibility.NOBODY}
    if shares_a_space(viewer, member):
        return {Visibility.NETWORK, Visibility.SPACES}
    return {Visibility.NETWORK}


def visible_profile(viewer: Member, member: Member) -> dict[str, object]:
    """The fields of a profile this viewer may see, by the member's own choices."""
    allowed = audiences_of(viewer, member)
    fields = {
        "profile_type": member.get_profile_type_display(),
        "pathologies": [p.name for p in member.pathologies.all()],
        "region": geo.region_name(member.department),
        "bio": member.bio,
        "avatar": member.avatar.url if member.avatar else "",
    }
    return {
        name: value
        for name, value in fields.items()
        if getattr(member, f"visibility_{name}") in allowed
    }


def access_avatar(viewer: Member | None, name: str) -> Member:
    """The active member whose avatar file is ``avatars/<name>``, when ``viewer`` may see
    it by the owner's choice; otherwise 404, signed-out visitors included."""
    if viewer is None:
        raise Http404
    member = (
        Member.objects.select_related("user")
        .filter(avatar=f"avatars/{name}", status=Member.Status.ACTIVE, user__isnull=False)
        .first()
    )
    if member is None or member.visibility_avatar not in audiences_of(viewer, member):
        raise Http404
    return member


def members_search(
    *, query: str = "", role: str = "", status: str = "", profile_type: str = ""
) -> QuerySet[Member]:
    """Members for the admins' list, filtered; erased members are not listed."""
    members = (
        Member.objects.filter(user__isnull=False).select_related("user").order_by("user__username")
    )
    if query:
        members = members.filter(user__username__icontains=query)
    if role:
        members = members.filter(role=role)
    if status:
        members = members.filter(status=status)
    if profile_type:
        members = members.filter(profile_type=profile_type)
    return members


def access_member_for_admin(pk: int) -> Member:
    member = Member.objects.select_related("user").filter(pk=pk, user__isnull=False).first()
    if member is None:
        raise Http404
    return member


def consents_of(member: Member) -> list[Consent]:
    return list(member.consents.all())


def network_settings() -> NetworkSettings:
    """The network's member policies (an unsaved default before they are first set)."""
    return NetworkSettings.objects.first() or NetworkSettings()


def staff_members() -> QuerySet[Member]:
    """Active moderators and admins (who can be put on duty, who are alerted of a crisis)."""
    return (
        Member.objects.filter(
            role__in=[Role.MODERATOR, Role.ADMIN],
            status=Member.Status.ACTIVE,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("user__username")
    )


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor__user", "target__user").order_by("-at")
