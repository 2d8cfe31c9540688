"""Writes of the RCP area: series, their meetings, attendance, cases, decisions, minutes.
Who may call what is decided by ``access`` in the views; the services check the state."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.jobs import defer_on_commit
from tenant_apps.members.models import Member
from tenant_apps.members.services import audit
from tenant_apps.pro.access import is_verified
from tenant_apps.pro.models import (
    Profession,
    RcpCase,
    RcpMeeting,
    RcpParticipant,
    RcpSeries,
    RcpSeriesInvitee,
)
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
        RcpMeeting(series=series, starts_at=starts_at, ends_at=ends_at, slot=starts_at)
        for starts_at, ends_at in schedule.instants(
            series, zone, today, today + timedelta(weeks=WEEKS_AHEAD)
        )
    ]
    instants = [r.starts_at for r in rows]
    # A meeting moved to another time still stands for its slot: it is not made again.
    existing = set()
    for starts_at, slot in (
        RcpMeeting.objects.filter(series=series)
        .filter(Q(starts_at__in=instants) | Q(slot__in=instants))
        .values_list("starts_at", "slot")
    ):
        existing |= {starts_at, slot}
    missing = [r for r in rows if r.starts_at not in existing]
    RcpMeeting.objects.bulk_create(missing, ignore_conflicts=True)
    invitees = list(series.invitees.values_list("member_id", "profession"))
    if missing and invitees:
        made = RcpMeeting.objects.filter(series=series, slot__in=[r.starts_at for r in missing])
        RcpParticipant.objects.bulk_create(
            [RcpParticipant(meeting_id=meeting_id, member_id=member_id, profession=profession)
             for meeting_id in made.values_list("pk", flat=True)
             for member_id, profession in invitees],
            ignore_conflicts=True,
        )  # fmt: skip
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


# --- one meeting changed or cancelled, participants invited ------------------------------------


def _changeable(meeting: RcpMeeting) -> None:
    if meeting.status != RcpMeeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has started or is no longer planned."))


@transaction.atomic
def meeting_update(
    *,
    actor: Member,
    meeting: RcpMeeting,
    starts_at=None,
    duration_minutes: int | None = None,
    place: str | None = None,
    join_url: str | None = None,
) -> RcpMeeting:
    """Move one planned meeting of a series or change its place or video link (empty: the
    series'). Its invitation's SEQUENCE goes up so that calendars update it in place, and
    its participants are told (a job)."""
    meeting = _lock(meeting)
    _changeable(meeting)
    duration = meeting.ends_at - meeting.starts_at
    if duration_minutes is not None:
        if not 15 <= duration_minutes <= 480:
            raise ValidationError({"duration_minutes": [_("Between 15 and 480 minutes.")]})
        duration = timedelta(minutes=duration_minutes)
    if starts_at is not None:
        if starts_at <= timezone.now():
            raise ValidationError({"starts_at": [_("Choose a time in the future.")]})
        if (
            RcpMeeting.objects.filter(series_id=meeting.series_id, starts_at=starts_at)
            .exclude(pk=meeting.pk)
            .exists()
        ):
            raise ValidationError({"starts_at": [_("The series already meets at that time.")]})
        meeting.slot = meeting.slot or meeting.starts_at
        meeting.starts_at = starts_at
    meeting.ends_at = meeting.starts_at + duration
    if place is not None:
        meeting.place = place.strip()
    if join_url is not None:
        meeting.join_url = join_url.strip()
    meeting.sequence += 1
    meeting.full_clean(exclude=["series", "uid", "minutes"], validate_unique=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:  # moved to the same time at the same instant
        raise ValidationError(
            {"starts_at": [_("The series already meets at that time.")]}
        ) from error
    audit(actor=actor, action="pro_rcp_meeting_update", meeting=meeting.pk)
    defer_on_commit(
        "tenant_apps.pro.rcp.jobs.meeting_change_notify",
        meeting_id=meeting.pk,
        sequence=meeting.sequence,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Member, meeting: RcpMeeting, reason: str) -> RcpMeeting:
    """Cancel one planned meeting, with the reason its participants read; its invitation
    becomes a cancellation (METHOD:CANCEL, a higher SEQUENCE)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the meeting is cancelled.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("At most 500 characters.")]})
    meeting = _lock(meeting)
    _changeable(meeting)
    meeting.status = RcpMeeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence"])
    audit(actor=actor, action="pro_rcp_meeting_cancel", meeting=meeting.pk)
    defer_on_commit(
        "tenant_apps.pro.rcp.jobs.meeting_change_notify",
        meeting_id=meeting.pk,
        sequence=meeting.sequence,
    )
    return meeting


def _invitee_checked(member: Member, profession: str) -> None:
    if not is_verified(member) or member.status != Member.Status.ACTIVE:
        raise ValidationError({"member": [_("Only a verified professional can be invited.")]})
    if profession not in Profession.values:
        raise ValidationError({"profession": [_("Choose a profession from the list.")]})


@transaction.atomic
def participant_invite(
    *, actor: Member, meeting: RcpMeeting, member: Member, profession: str
) -> RcpParticipant:
    """Invite a verified professional of the network to one planned meeting (kept as they
    are if already a participant); they are told (a job)."""
    _invitee_checked(member, profession)
    meeting = _lock(meeting)
    _changeable(meeting)
    participant, created = RcpParticipant.objects.get_or_create(
        meeting=meeting, member=member, defaults={"profession": profession}
    )
    if created:
        audit(actor=actor, action="pro_rcp_invite", target=member, meeting=meeting.pk)
        defer_on_commit(
            "tenant_apps.pro.rcp.jobs.invitation_notify",
            member_id=member.pk,
            meeting_id=meeting.pk,
            series_id=None,
        )
    return participant


@transaction.atomic
def series_invite(
    *, actor: Member, series: RcpSeries, member: Member, profession: str
) -> RcpSeriesInvitee:
    """Invite a verified professional to every meeting of a series: the planned ones to
    come now, and those the generator makes later; they are told once (a job)."""
    _invitee_checked(member, profession)
    RcpSeries.objects.select_for_update().get(pk=series.pk)
    invitee, created = RcpSeriesInvitee.objects.update_or_create(
        series=series, member=member, defaults={"profession": profession, "invited_by": actor}
    )
    coming = RcpMeeting.objects.filter(
        series=series, status=RcpMeeting.Status.PLANNED, starts_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    RcpParticipant.objects.bulk_create(
        [RcpParticipant(meeting_id=pk, member=member, profession=profession) for pk in coming],
        ignore_conflicts=True,
    )
    if created:
        audit(actor=actor, action="pro_rcp_invite", target=member, series=series.pk)
        defer_on_commit(
            "tenant_apps.pro.rcp.jobs.invitation_notify",
            member_id=member.pk,
            meeting_id=None,
            series_id=series.pk,
        )
    return invitee
