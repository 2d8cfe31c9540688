"""Reads of the walking challenges. Who may see one is the event's rule (``access.py``);
every total is summed by the database (``Sum``), never in Python, and the page's queries do
not grow with the number of participants or teams."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tenant_apps.events import selectors
from tenant_apps.events.challenge_services import challenge_days
from tenant_apps.events.models import Challenge, Entry, Event, Participant, Registration, Team
from tenant_apps.members.models import Member

LEADERBOARD_SIZE = 20


def access_challenge(member: Member | None, pk: int) -> Challenge:
    """The challenge of event ``pk`` if the member may see the event, else 404 (also for an
    event that is not a challenge, or whose rules are not set yet)."""
    event = selectors.access_event(member, pk)
    if event.format != Event.Format.CHALLENGE:
        raise Http404
    challenge = Challenge.objects.filter(event=event).first()
    if challenge is None:
        raise Http404
    challenge.event = event
    return challenge


def challenge_of(event: Event) -> Challenge | None:
    """The rules of a challenge event already checked as visible (None: not set yet)."""
    if event.format != Event.Format.CHALLENGE:
        return None
    challenge = Challenge.objects.filter(event=event).first()
    if challenge is not None:
        challenge.event = event
    return challenge


def participant_of(member: Member, challenge: Challenge) -> Participant | None:
    return (
        Participant.objects.select_related("team")
        .filter(challenge=challenge, member=member)
        .first()
    )


def entries_of(participant: Participant | None) -> dict[datetime.date, int]:
    if participant is None:
        return {}
    return dict(participant.entries.values_list("day", "amount"))


def my_total(participant: Participant | None) -> int:
    if participant is None:
        return 0
    return participant.entries.aggregate(total=Coalesce(Sum("amount"), 0))["total"]


@dataclass(frozen=True)
class Rank:
    rank: int
    pseudonym: str
    total: int
    me: bool


@dataclass
class Board:
    """What a challenge's page shows one member."""

    challenge: Challenge
    first_day: datetime.date
    last_day: datetime.date
    total: int
    people: int
    registered: bool
    participant: Participant | None
    my_total: int
    my_days: list[tuple[datetime.date, int | None]]
    my_team: Team | None
    teams: list[Team] = field(default_factory=list)
    leaderboard: list[Rank] = field(default_factory=list)
    open: bool = True

    @property
    def percent(self) -> int:
        return min(100, self.total * 100 // self.challenge.goal)

    @property
    def ranked(self) -> bool:
        return self.challenge.ranking == Challenge.Ranking.LEADERBOARD


def network_total(challenge: Challenge) -> dict[str, int]:
    """Everyone's total and how many people logged a day, in one query."""
    return Entry.objects.filter(participant__challenge=challenge).aggregate(
        total=Coalesce(Sum("amount"), 0), people=Count("participant", distinct=True)
    )


def teams_of(challenge: Challenge) -> list[Team]:
    """The challenge's teams, each with its total and size, the largest total first."""
    return list(
        Team.objects.filter(challenge=challenge)
        .annotate(
            total=Coalesce(Sum("participants__entries__amount"), 0),
            size=Count("participants", distinct=True),
        )
        .order_by("-total", "name", "id")
    )


def leaderboard_of(challenge: Challenge, member: Member | None) -> list[Rank]:
    """The first participants by total, by pseudonym only, without those who left the
    leaderboard; equal totals share a rank."""
    rows = (
        Participant.objects.filter(
            challenge=challenge,
            on_leaderboard=True,
            member__status=Member.Status.ACTIVE,
            member__user__isnull=False,
        )
        .annotate(total=Sum("entries__amount"))
        .filter(total__gt=0)
        .order_by("-total", "id")
        .values_list("member_id", "member__user__username", "total")[:LEADERBOARD_SIZE]
    )
    ranks: list[Rank] = []
    for position, (member_id, pseudonym, total) in enumerate(rows, start=1):
        rank = ranks[-1].rank if ranks and ranks[-1].total == total else position
        ranks.append(Rank(rank, pseudonym, total, member is not None and member_id == member.pk))
    return ranks


def board_for(
    member: Member,
    challenge: Challenge,
    registration: Registration | None,
    *,
    now: datetime.datetime | None = None,
) -> Board:
    """The challenge's page for this member: their days and total, their team's, the
    network's, the teams and the leaderboard (when the challenge ranks)."""
    now = now or timezone.now()
    event = challenge.event
    first, last = challenge_days(event)
    registered = registration is not None and registration.status == Registration.Status.REGISTERED
    participant = participant_of(member, challenge) if registered else None
    mine = entries_of(participant)
    today = timezone.localtime(now).date()
    shown_until = min(last, today)
    days = []
    day = shown_until
    while day >= first:
        days.append((day, mine.get(day)))
        day -= datetime.timedelta(days=1)
    totals = network_total(challenge)
    teams: list[Team] = []
    my_team = None
    if challenge.team_mode:
        teams = teams_of(challenge)
        if participant is not None and participant.team_id is not None:
            my_team = next((team for team in teams if team.pk == participant.team_id), None)
        if challenge.ranking != Challenge.Ranking.LEADERBOARD:
            teams = [my_team] if my_team is not None else []
    return Board(
        challenge=challenge,
        first_day=first,
        last_day=last,
        total=totals["total"],
        people=totals["people"],
        registered=registered,
        participant=participant,
        my_total=my_total(participant),
        my_days=days,
        my_team=my_team,
        teams=teams,
        leaderboard=(
            leaderboard_of(challenge, member)
            if challenge.ranking == Challenge.Ranking.LEADERBOARD
            else []
        ),
        open=event.status == Event.Status.PUBLISHED and now < event.ends_at,
    )


def my_entries(member: Member, challenge: Challenge) -> list[Entry]:
    """The member's days of this challenge, first day first."""
    return list(
        Entry.objects.filter(participant__challenge=challenge, participant__member=member).order_by(
            "day"
        )
    )
