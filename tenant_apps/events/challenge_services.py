"""Writes of the walking challenges: their rules, teams, participants and each day's entry.

A participant is a member registered for the challenge's event (``services.registration_create``);
their ``Participant`` row (team, leaderboard choice) is made the first time they need one.
A day is one row per participant (unique), written by one INSERT … ON CONFLICT DO UPDATE,
so two submissions of the same day at once leave one row, the last one written.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tenant_apps.events import services
from tenant_apps.events.access import can_write
from tenant_apps.events.models import Challenge, Entry, Event, Participant, Registration, Team
from tenant_apps.members.models import Member, Space

DEFAULT_DAYS = 15
MAX_DAYS = 92
MAX_GOAL = 10**12
# Codes without letters that look alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def challenge_days(event: Event) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the challenge, in the network's time zone."""
    first = timezone.localtime(event.starts_at).date()
    last = timezone.localtime(event.ends_at - datetime.timedelta(microseconds=1)).date()
    return first, last


def _rules_check(*, unit: str, goal: int, ranking: str) -> None:
    errors: dict[str, list[str]] = {}
    if unit not in Challenge.Unit.values:
        errors["unit"] = [_("Choose steps or minutes of activity.")]
    if not 1 <= goal <= MAX_GOAL:
        errors["goal"] = [_("The collective goal is a whole number of at least 1.")]
    if ranking not in Challenge.Ranking.values:
        errors["ranking"] = [_("Choose a leaderboard or no ranking.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def challenge_create(
    *,
    author: Member,
    title: str,
    description: str,
    starts_at: datetime.datetime,
    days: int = DEFAULT_DAYS,
    goal: int,
    unit: str = Challenge.Unit.STEPS,
    team_mode: bool = False,
    ranking: str = Challenge.Ranking.LEADERBOARD,
    space: Space | None = None,
    status: str = Event.Status.PUBLISHED,
) -> Challenge:
    """An admin or organizer starts a walking challenge: an online event of ``days`` days
    (15 unless told otherwise) and its rules."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": [_("A challenge lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}]}
        )
    _rules_check(unit=unit, goal=goal, ranking=ranking)
    event = services.event_create(
        author=author, title=title, description=description, format=Event.Format.CHALLENGE,
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(days=days), online=True,
        space=space, status=status,
    )  # fmt: skip
    return Challenge.objects.create(
        event=event, unit=unit, goal=goal, team_mode=team_mode, ranking=ranking
    )


@transaction.atomic
def challenge_set(
    *, event: Event, by: Member, goal: int, unit: str, team_mode: bool, ranking: str
) -> Challenge:
    """An admin or organizer sets (or changes) the rules of a walking challenge event. The
    unit no longer changes once a day has been logged (the totals would mix them)."""
    if not can_write(by):
        raise Http404
    if event.format != Event.Format.CHALLENGE:
        raise ValidationError(_("Only a walking challenge has these rules."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event can no longer be changed."))
    _rules_check(unit=unit, goal=goal, ranking=ranking)
    challenge = Challenge.objects.select_for_update().filter(event=event).first()
    if challenge is None:
        return Challenge.objects.create(
            event=event, unit=unit, goal=goal, team_mode=team_mode, ranking=ranking
        )
    if unit != challenge.unit and Entry.objects.filter(participant__challenge=challenge).exists():
        raise ValidationError(
            {"unit": [_("Days are already logged: what is counted can no longer change.")]}
        )
    challenge.unit, challenge.goal = unit, goal
    challenge.team_mode, challenge.ranking = team_mode, ranking
    challenge.save()
    return challenge


# --- participants ----------------------------------------------------------------------------


def _participant(member: Member, challenge: Challenge) -> Participant:
    """The member's participation, made on first use; only registered members take part
    (anyone else gets the same 404 as a challenge they cannot see)."""
    registered = Registration.objects.filter(
        event_id=challenge.event_id, member=member, status=Registration.Status.REGISTERED
    ).exists()
    if not registered:
        raise Http404
    participant, _created = Participant.objects.get_or_create(challenge=challenge, member=member)
    return participant


def _open(challenge: Challenge, now: datetime.datetime) -> None:
    event = challenge.event
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This challenge is cancelled."))
    if event.ends_at <= now:
        raise ValidationError(_("The challenge is over: its days can no longer be changed."))


@transaction.atomic
def entry_log(
    *,
    member: Member,
    challenge: Challenge,
    day: datetime.date,
    amount: int,
    now: datetime.datetime | None = None,
) -> Entry:
    """A participant logs (or corrects) one day's steps or minutes, until the challenge
    ends. ``challenge`` is one the member may see (``challenge_selectors.access_challenge``)."""
    now = now or timezone.now()
    participant = _participant(member, challenge)
    _open(challenge, now)
    first, last = challenge_days(challenge.event)
    today = timezone.localtime(now).date()
    errors: dict[str, list[str]] = {}
    if day > last:
        errors["day"] = [_("This day is after the end of the challenge.")]
    elif day > today:
        errors["day"] = [_("This day has not come yet: log it once it is over or under way.")]
    elif day < first:
        errors["day"] = [_("This day is before the start of the challenge.")]
    if amount < 0:
        errors["amount"] = [_("Give a number of zero or more.")]
    elif amount > challenge.daily_max:
        if challenge.unit == Challenge.Unit.MINUTES:
            message = _("At most %(max)s minutes a day (a whole day).")
        else:
            message = _("At most %(max)s steps a day: check the number.")
        errors["amount"] = [
            message % {"max": number_format(challenge.daily_max, force_grouping=True)}
        ]
    if errors:
        raise ValidationError(errors)
    (entry,) = Entry.objects.bulk_create(
        [Entry(participant=participant, day=day, amount=amount)],
        update_conflicts=True,
        unique_fields=["participant", "day"],
        update_fields=["amount", "updated"],
    )
    return entry


@transaction.atomic
def leaderboard_choose(*, member: Member, challenge: Challenge, shown: bool) -> Participant:
    """A participant leaves the leaderboard (or comes back to it); their steps still count
    in the totals."""
    participant = _participant(member, challenge)
    if participant.on_leaderboard != shown:
        participant.on_leaderboard = shown
        participant.save(update_fields=["on_leaderboard"])
    return participant


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def _teams_open(challenge: Challenge, now: datetime.datetime) -> None:
    if not challenge.team_mode:
        raise Http404
    _open(challenge, now)


@transaction.atomic
def team_create(*, member: Member, challenge: Challenge, name: str) -> Team:
    """A participant starts a team and joins it; they give its code to the others."""
    participant = _participant(member, challenge)
    _teams_open(challenge, timezone.now())
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Give the team a name.")]})
    if Team.objects.filter(challenge=challenge, name__iexact=name).exists():
        raise ValidationError({"name": [_("A team already has this name.")]})
    code = _code()
    while Team.objects.filter(challenge=challenge, code=code).exists():
        code = _code()
    team = Team.objects.create(challenge=challenge, name=name, code=code)
    participant.team = team
    participant.save(update_fields=["team"])
    return team


@transaction.atomic
def team_join(*, member: Member, challenge: Challenge, code: str) -> Team:
    """A participant joins a team by its code (leaving the one they were in)."""
    participant = _participant(member, challenge)
    _teams_open(challenge, timezone.now())
    team = Team.objects.filter(challenge=challenge, code=code.strip().upper()).first()
    if team is None:
        raise ValidationError({"code": [_("No team of this challenge has this code.")]})
    participant.team = team
    participant.save(update_fields=["team"])
    return team


@transaction.atomic
def team_leave(*, member: Member, challenge: Challenge) -> None:
    """A participant leaves their team; their days stay in the network's total."""
    participant = _participant(member, challenge)
    _teams_open(challenge, timezone.now())
    if participant.team_id is not None:
        participant.team = None
        participant.save(update_fields=["team"])
