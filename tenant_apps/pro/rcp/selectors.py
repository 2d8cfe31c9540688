"""Reads of the RCP area: series, upcoming meetings with their quorum, a meeting's page.
Callers pass the reader; what they may see comes from ``access``."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.pro.models import Profession, RcpMeeting, RcpParticipant, RcpSeries
from tenant_apps.pro.rcp import access

COUNTED = (RcpParticipant.Attendance.CONFIRMED, RcpParticipant.Attendance.PRESENT)


def quorum_missing(series: RcpSeries, participants) -> list[str]:
    """The quorum's professions (labels) that no confirmed or present participant holds."""
    held = {p.profession for p in participants if p.attendance in COUNTED}
    return [str(Profession(code).label) for code in series.quorum if code not in held]


@dataclass
class MeetingRow:
    meeting: RcpMeeting
    missing: list[str]
    confirmed: int
    cases: int


def _participants() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=RcpParticipant.objects.select_related("member__user").order_by("profession", "id"),
    )


def upcoming(
    member: Member, *, series: RcpSeries | None = None, limit: int = 20
) -> list[MeetingRow]:
    """Planned meetings from now on, soonest first, each with what its quorum lacks."""
    meetings = (
        access.meetings_visible_to(member)
        .filter(status=RcpMeeting.Status.PLANNED, ends_at__gte=timezone.now())
        .select_related("series")
        .prefetch_related(_participants(), "cases")
        .order_by("starts_at", "id")
    )
    if series is not None:
        meetings = meetings.filter(series=series)
    rows = []
    for meeting in meetings[:limit]:
        participants = list(meeting.participants.all())
        rows.append(
            MeetingRow(
                meeting=meeting,
                missing=quorum_missing(meeting.series, participants),
                confirmed=sum(p.attendance in COUNTED for p in participants),
                cases=len(meeting.cases.all()),
            )
        )
    return rows


def past(member: Member, *, series: RcpSeries, limit: int = 20) -> list[RcpMeeting]:
    return list(
        access.meetings_visible_to(member)
        .filter(series=series, starts_at__lt=timezone.now())
        .order_by("-starts_at", "-id")[:limit]
    )


def series_list(member: Member) -> list[RcpSeries]:
    return list(access.series_visible_to(member).filter(active=True).order_by("name"))


@dataclass
class MeetingPage:
    meeting: RcpMeeting
    participants: list[RcpParticipant]
    cases: list
    missing: list[str]
    mine: RcpParticipant | None
    started: bool


def meeting_page(member: Member, meeting: RcpMeeting) -> MeetingPage:
    participants = list(
        meeting.participants.select_related("member__user").order_by("profession", "id")
    )
    cases = list(meeting.cases.select_related("presenter__user").order_by("position", "id"))
    return MeetingPage(
        meeting=meeting,
        participants=participants,
        cases=cases,
        missing=quorum_missing(meeting.series, participants),
        mine=next((p for p in participants if p.member_id == member.pk), None),
        started=meeting.starts_at <= timezone.now(),
    )


def meetings_without_quorum_between(start, end) -> list[tuple[RcpMeeting, list[str]]]:
    """For the coordinators' alert job: planned meetings starting in [start, end) whose
    confirmed participants lack a profession of the quorum."""
    meetings = (
        RcpMeeting.objects.filter(
            status=RcpMeeting.Status.PLANNED,
            starts_at__gte=start,
            starts_at__lt=end,
            series__coordinator__isnull=False,
        )  # fmt: skip
        .select_related("series")
        .prefetch_related("participants")
    )
    found = []
    for meeting in meetings:
        missing = quorum_missing(meeting.series, list(meeting.participants.all()))
        if missing:
            found.append((meeting, missing))
    return found


def tomorrow_bounds(zone):
    """Tomorrow, from midnight to midnight on the network's wall clock."""
    today = timezone.now().astimezone(zone).date()
    start = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=2), datetime.min.time(), tzinfo=zone)
    return start, end
