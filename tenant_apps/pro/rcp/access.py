"""Who reads and acts on multidisciplinary team meetings (RCP).

- Reading (series, meetings, their participants, agendas of references, decisions,
  minutes, invitations): the network's professionals (``tenant_apps.pro.access``: verified
  professionals, and admins with their second factor). Anyone else: 404, as for what does
  not exist.
- Taking part (joining a planned meeting, confirming or declining): any professional, for
  themselves.
- Adding a case to a planned meeting: its participants (not those who declined), the
  series' coordinator and admins.
- Deciding on cases, recording who was present, writing the minutes: the series'
  coordinator and admins (``MANAGE``).
- Creating a series: admins only.
"""

from django.db.models import QuerySet
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission
from tenant_apps.pro.access import STAFF, is_professional
from tenant_apps.pro.models import RcpCase, RcpMeeting, RcpParticipant, RcpSeries


def can_read(member: Member | None) -> bool:
    return is_professional(member)


def reader_or_404(member: Member | None) -> Member:
    if member is None or not can_read(member):
        raise Http404
    return member


def can_create_series(member: Member | None) -> bool:
    return can_read(member) and has_permission(member, STAFF)


def series_visible_to(member: Member | None) -> QuerySet[RcpSeries]:
    if not can_read(member):
        return RcpSeries.objects.none()
    return RcpSeries.objects.all()


def meetings_visible_to(member: Member | None) -> QuerySet[RcpMeeting]:
    if not can_read(member):
        return RcpMeeting.objects.none()
    return RcpMeeting.objects.all()


def series_or_404(member: Member | None, slug: str) -> RcpSeries:
    found = series_visible_to(member).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def meeting_or_404(member: Member | None, pk: int) -> RcpMeeting:
    found = meetings_visible_to(member).select_related("series__coordinator").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def case_or_404(member: Member | None, pk: int) -> RcpCase:
    found = (
        RcpCase.objects.filter(meeting__in=meetings_visible_to(member), pk=pk)
        .select_related("meeting__series__coordinator")
        .first()
    )
    if found is None:
        raise Http404
    return found


def can_manage(member: Member | None, series: RcpSeries) -> bool:
    """The series' coordinator, or an admin (with the second factor)."""
    if not can_read(member):
        return False
    return series.coordinator_id == member.pk or has_permission(member, STAFF)  # type: ignore[union-attr]


def can_add_case(member: Member | None, meeting: RcpMeeting) -> bool:
    if not can_read(member) or meeting.status != RcpMeeting.Status.PLANNED:
        return False
    if can_manage(member, meeting.series):
        return True
    return (
        RcpParticipant.objects.filter(meeting=meeting, member=member)
        .exclude(attendance=RcpParticipant.Attendance.ABSENT)
        .exists()
    )


def manager_or_404(member: Member | None, series: RcpSeries) -> Member:
    if member is None or not can_manage(member, series):
        raise Http404
    return member


def case_adder_or_404(member: Member | None, meeting: RcpMeeting) -> Member:
    if member is None or not can_add_case(member, meeting):
        raise Http404
    return member
