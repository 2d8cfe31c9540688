"""Demo content of the RCP area: a weekly thoracic RCP with past meetings (held, with cases,
decisions and minutes) and coming ones (an agenda, one meeting short of its quorum).

Participants are the network's verified professionals (the verification area's seed runs
first); with none, the series and its meetings exist without participants (every coming
meeting then lacks its quorum, which the pages say)."""

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from tenant_apps.members.models import Member
from tenant_apps.pro.models import (
    Profession,
    RcpCase,
    RcpMeeting,
    RcpParticipant,
    RcpSeries,
    VerificationRequest,
)
from tenant_apps.pro.rcp import schedule, services
from tenants.selectors import current_tenant

SLUG = "rcp-thoracique"
QUORUM = [Profession.MEDICAL_ONCOLOGIST, Profession.SURGEON, Profession.RADIOLOGIST,
          Profession.PULMONOLOGIST]  # fmt: skip
DECISIONS = [RcpCase.Decision.SURGERY, RcpCase.Decision.CHEMOTHERAPY,
             RcpCase.Decision.RADIOTHERAPY, RcpCase.Decision.MORE_TESTS,
             RcpCase.Decision.SURVEILLANCE, RcpCase.Decision.TRIAL]  # fmt: skip
MINUTES = (
    "RCP thoracique du {day}. {count} dossiers présentés, quorum atteint "
    "(oncologie médicale, chirurgie thoracique, radiologie, pneumologie).\n\n"
    "Les décisions sont enregistrées dans le dossier communicant de cancérologie sous les "
    "références indiquées ; chaque médecin référent informe son patient."
)


def _professionals(rng: random.Random) -> list[tuple[Member, str]]:
    found = []
    members = Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
    for member in members.order_by("pk")[:8]:
        profession = (
            VerificationRequest.objects.filter(
                member=member, status=VerificationRequest.Status.VERIFIED
            )
            .values_list("profession", flat=True)
            .first()
        )
        found.append((member, profession or rng.choice(QUORUM)))
    return found


@transaction.atomic
def seed(*, rng: random.Random) -> None:
    """The thoracic RCP of the demo network; running it again adds nothing."""
    if RcpSeries.objects.filter(slug=SLUG).exists():
        return
    people = _professionals(rng)
    coordinator = next((m for m, p in people if p == Profession.PULMONOLOGIST), None)
    first = people[0][0] if people else None
    series = RcpSeries.objects.create(
        name="RCP thoracique", slug=SLUG, organ="Thorax", weekday=1, start_time=time(12, 30),
        duration_minutes=90, place="CHU, salle de staff du pôle thorax (2e étage)",
        join_url="https://visio.example.org/rcp-thoracique",
        quorum=[str(p) for p in QUORUM], coordinator=coordinator or first,
        recurrence=RcpSeries.Recurrence.WEEKLY,
    )  # fmt: skip
    # Anchor the weeks in the past so that the last four Tuesdays are the series' too.
    RcpSeries.objects.filter(pk=series.pk).update(created=timezone.now() - timedelta(weeks=8))
    series.refresh_from_db()
    zone = current_tenant().branding.zone
    today = timezone.now().astimezone(zone).date()
    year = today.year
    number = 40
    for starts_at, ends_at in schedule.instants(series, zone, today - timedelta(weeks=4), today):
        if ends_at > timezone.now():
            continue
        meeting = RcpMeeting.objects.create(
            series=series, starts_at=starts_at, ends_at=ends_at, status=RcpMeeting.Status.HELD
        )
        RcpParticipant.objects.bulk_create(
            RcpParticipant(meeting=meeting, member=m, profession=p,
                           attendance=RcpParticipant.Attendance.PRESENT)
            for m, p in people
        )  # fmt: skip
        count = rng.randint(3, 6)
        for position in range(count):
            number += 1
            RcpCase.objects.create(
                meeting=meeting, position=position,
                reference=f"IPP {year}-{rng.randint(100000, 999999):06d}",
                presenter=rng.choice(people)[0] if people else None,
                decision=rng.choice(DECISIONS),
                decision_reference=f"RCP-THX-{year}-{number:04d}",
                decided_at=ends_at,
            )  # fmt: skip
        meeting.minutes = MINUTES.format(day=starts_at.astimezone(zone).strftime("%d/%m/%Y"),
                                         count=count)  # fmt: skip
        meeting.save(update_fields=["minutes"])
    services.meetings_generate(series=series, today=today)
    coming = list(series.meetings.filter(status=RcpMeeting.Status.PLANNED).order_by("starts_at"))
    for index, meeting in enumerate(coming[:3]):
        # The second coming meeting lacks its radiologist: its page and the list say so.
        confirmed = [(m, p) for m, p in people if not (index == 1 and p == Profession.RADIOLOGIST)]
        RcpParticipant.objects.bulk_create(
            RcpParticipant(meeting=meeting, member=m, profession=p,
                           attendance=RcpParticipant.Attendance.CONFIRMED)
            for m, p in confirmed
        )  # fmt: skip
        for position in range(rng.randint(2, 4)):
            RcpCase.objects.create(
                meeting=meeting, position=position,
                reference=f"IPP {year}-{rng.randint(100000, 999999):06d}",
                presenter=rng.choice(people)[0] if people else None,
            )  # fmt: skip
    _changes(series, coming, people)


def _changes(series: RcpSeries, coming: list[RcpMeeting], people) -> None:
    """One coming meeting moved to another room an hour later, the next one cancelled with
    its reason (their invitations at SEQUENCE 1), and a professional invited to the whole
    series, so that later meetings have a participant too."""
    actor = series.coordinator
    if actor is None or len(coming) < 4:
        return
    moved = coming[2]
    services.meeting_update(
        actor=actor, meeting=moved, starts_at=moved.starts_at + timedelta(hours=1),
        place="CHU, amphithéâtre du pôle thorax (rez-de-chaussée)",
    )  # fmt: skip
    services.meeting_cancel(
        actor=actor, meeting=coming[3],
        reason="Congrès national de pneumologie : les dossiers passent à la réunion suivante.",
    )  # fmt: skip
    if people:
        member, profession = people[-1]
        services.series_invite(actor=actor, series=series, member=member, profession=profession)
