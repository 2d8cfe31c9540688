"""Writes of the RCP area: series, their meetings, attendance, cases, decisions, minutes.
Who may call what is decided by ``access`` in the views; the services check the state."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenant_apps.members.models import Member
from tenant_apps.members.services import audit
from tenant_apps.pro.models import Profession, RcpCase, RcpMeeting, RcpParticipant, RcpSeries
from tenant_apps.pro.rcp import schedule
from tenant_apps.pro.rcp.references import clean_reference
from tenants.selectors import current_tenant

# How far ahead meetings exist (the periodic job keeps this window filled).
WEEKS_AHEAD = 6
Attendance = RcpParticipant.Attendance


def _zone():
    return current_tenant().branding.zone


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "rcp"
    slug, n = base, 2
    while RcpSeries.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def series_create(
    *,
    actor: Member,
    name: str,
    organ: str,
    recurrence: str,
    weekday: int,
    start_time: time,
    duration_minutes: int = 90,
    place: str = "",
    join_url: str = "",
    quorum: list[str],
    coordinator: Member | None = None,
) -> RcpSeries:
    """Create a series and its meetings of the coming weeks."""
    unknown = set(quorum) - set(Profession.values)
    if unknown:
        raise ValidationError({"quorum": [_("Choose professions from the list.")]})
    if coordinator is not None and not coordinator.verified_professional:
        raise ValidationError(
            {"coordinator": [_("The coordinator must be a verified professional.")]}
        )
    series = RcpSeries(
        name=name, slug=_unique_slug(name), organ=organ, recurrence=recurrence, weekday=weekday,
        start_time=start_time, duration_minutes=duration_minutes, place=place, join_url=join_url,
        quorum=sorted(set(quorum)), coordinator=coordinator,
    )  # fmt: skip
    series.full_clean(exclude=["slug"])
    series.save()
    audit(actor=actor, action="pro_rcp_series", series=series.pk)
    meetings_generate(series=series)
    return series


def meetings_generate(*, series: RcpSeries, today: date | None = None) -> int:
    """Create the series' missing meetings of the next ``WEEKS_AHEAD`` weeks; safe to run
    again and at once (unique (series, starts_at)). How many were created."""
    if not series.active:
        return 0
    zone = _zone()
    today = today or timezone.now().astimezone(zone).date()
    rows = [
        RcpMeeting(series=series, starts_at=starts_at, ends_at=ends_at)
        for starts_at, ends_at in schedule.instants(
            series, zone, today, today + timedelta(weeks=WEEKS_AHEAD)
        )
    ]
    existing = set(
        RcpMeeting.objects.filter(
            series=series, starts_at__in=[r.starts_at for r in rows]
        ).values_list("starts_at", flat=True)
    )
    missing = [r for r in rows if r.starts_at not in existing]
    RcpMeeting.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _lock(meeting: RcpMeeting) -> RcpMeeting:
    return RcpMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)


@transaction.atomic
def attendance_set(
    *, meeting: RcpMeeting, member: Member, attending: bool, profession: str | None = None
) -> RcpParticipant:
    """A professional confirms (joining if needed, in ``profession``) or declines a planned
    meeting that has not started."""
    meeting = _lock(meeting)
    if meeting.status != RcpMeeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started or is no longer planned."))
    participant = RcpParticipant.objects.filter(meeting=meeting, member=member).first()
    if participant is None:
        if profession not in Profession.values:
            raise ValidationError({"profession": [_("Choose your profession.")]})
        participant = RcpParticipant(meeting=meeting, member=member, profession=profession)
    elif profession in Profession.values:
        participant.profession = profession
    participant.attendance = Attendance.CONFIRMED if attending else Attendance.ABSENT
    participant.save()
    return participant


@transaction.atomic
def attendance_record(*, meeting: RcpMeeting, present_ids: set[int]) -> None:
    """After the start: those in ``present_ids`` were present, the other participants absent."""
    meeting = _lock(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Presence is recorded once the meeting has started."))
    participants = meeting.participants.all()
    participants.filter(member_id__in=present_ids).update(attendance=Attendance.PRESENT)
    participants.exclude(member_id__in=present_ids).update(attendance=Attendance.ABSENT)


@transaction.atomic
def case_add(*, meeting: RcpMeeting, presenter: Member, reference: str) -> RcpCase:
    """Put a case on a planned meeting's agenda, by its record reference only."""
    reference = clean_reference(reference)
    meeting = _lock(meeting)
    if meeting.status != RcpMeeting.Status.PLANNED:
        raise ValidationError(_("This meeting is no longer planned."))
    if meeting.cases.filter(reference=reference).exists():
        raise ValidationError({"reference": [_("This case is already on the agenda.")]})
    last = meeting.cases.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            return RcpCase.objects.create(
                meeting=meeting, reference=reference, presenter=presenter,
                position=0 if last is None else last + 1,
            )  # fmt: skip
    except IntegrityError as error:  # the same reference, added at the same instant
        raise ValidationError({"reference": [_("This case is already on the agenda.")]}) from error


@transaction.atomic
def case_decide(*, case: RcpCase, decision: str, decision_reference: str = "") -> RcpCase:
    """Record the meeting's decision on a case (a category and the decision form's reference),
    once the meeting has started."""
    if decision not in RcpCase.Decision.values:
        raise ValidationError({"decision": [_("Choose a decision from the list.")]})
    if decision_reference:
        decision_reference = clean_reference(decision_reference, field="decision_reference")
    meeting = _lock(case.meeting)
    if meeting.starts_at > timezone.now() or meeting.status == RcpMeeting.Status.CANCELLED:
        raise ValidationError(_("Decisions are recorded once the meeting has started."))
    case.decision = decision
    case.decision_reference = decision_reference
    case.decided_at = timezone.now()
    case.save(update_fields=["decision", "decision_reference", "decided_at"])
    return case


@transaction.atomic
def minutes_save(*, meeting: RcpMeeting, minutes: str) -> RcpMeeting:
    """Write the minutes of a meeting that has started; the meeting is then held."""
    meeting = _lock(meeting)
    if meeting.starts_at > timezone.now() or meeting.status == RcpMeeting.Status.CANCELLED:
        raise ValidationError(_("Minutes are written once the meeting has started."))
    if len(minutes) > 20000:
        raise ValidationError({"minutes": [_("The minutes are too long (20,000 characters).")]})
    meeting.minutes = minutes
    meeting.status = RcpMeeting.Status.HELD
    meeting.save(update_fields=["minutes", "status"])
    return meeting
