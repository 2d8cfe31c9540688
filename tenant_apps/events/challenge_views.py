"""Pages of the walking challenges: the challenge's part of the event page, logging a day,
teams, leaving the leaderboard, and the rules for those who write events. What is out of a
member's reach answers 404, like the rest of the events."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.events import challenge_selectors, challenge_services, selectors
from tenant_apps.events.challenge_forms import (
    ChallengeForm,
    EntryForm,
    TeamCreateForm,
    TeamJoinForm,
)
from tenant_apps.events.models import Challenge, Event, Registration
from tenant_apps.members.permissions import member_required, permission_required
from tenant_apps.members.views import add_errors

signed_in = member_required
writer = permission_required("events.event:write")


def challenge_context(request: HttpRequest, event: Event, registration) -> dict:
    """The challenge's part of the event page (nothing for other formats)."""
    if event.format != Event.Format.CHALLENGE:
        return {}
    challenge = challenge_selectors.challenge_of(event)
    if challenge is None:
        return {"is_challenge": True, "board": None}
    board = challenge_selectors.board_for(request.member, challenge, registration)
    return {
        "is_challenge": True,
        "board": board,
        "entry_form": EntryForm(
            challenge=challenge, initial={"day": min(timezone.localdate(), board.last_day)}
        ),
    }


def _back(challenge: Challenge) -> HttpResponse:
    return redirect(reverse("events:event", args=[challenge.event_id]) + "#challenge")


def _participating(request: HttpRequest, pk: int) -> Challenge:
    """A challenge the member may see and is registered for, else 404."""
    challenge = challenge_selectors.access_challenge(request.member, pk)
    registration = selectors.registration_of(request.member, challenge.event)
    if registration is None or registration.status != Registration.Status.REGISTERED:
        raise Http404
    return challenge


def _day_initial(request: HttpRequest, challenge: Challenge) -> dict:
    """The day asked for (``?jour=``, from the table of days) with what was logged for it."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = timezone.localdate()
    participant = challenge_selectors.participant_of(request.member, challenge)
    return {"day": day, "amount": challenge_selectors.entries_of(participant).get(day)}


@signed_in
def challenge_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Log or correct a day; an invalid day comes back with what was typed and why."""
    challenge = _participating(request, pk)
    if request.method == "POST":
        form = EntryForm(request.POST, challenge=challenge)
        if form.is_valid():
            try:
                challenge_services.entry_log(
                    member=request.member, challenge=challenge, day=form.cleaned_data["day"],
                    amount=form.cleaned_data["amount"],
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error, default_field=None)
            else:
                messages.success(request, _("Your day is saved."))
                return _back(challenge)
        form.describe()
    else:
        form = EntryForm(challenge=challenge, initial=_day_initial(request, challenge))
    return render(
        request,
        "events/challenge_log.html",
        {"form": form, "challenge": challenge, "event": challenge.event},
    )


@signed_in
def challenge_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a team, join one with its code, or leave it (challenges with teams)."""
    challenge = _participating(request, pk)
    if not challenge.team_mode:
        raise Http404
    create_form, join_form = TeamCreateForm(), TeamJoinForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                create_form = TeamCreateForm(request.POST)
                if create_form.is_valid():
                    team = challenge_services.team_create(
                        member=request.member, challenge=challenge,
                        name=create_form.cleaned_data["name"],
                    )  # fmt: skip
                    messages.success(
                        request,
                        _("Your team is made. Its code, to give the others: %(code)s")
                        % {"code": team.code},
                    )
                    return _back(challenge)
            elif action == "join":
                join_form = TeamJoinForm(request.POST)
                if join_form.is_valid():
                    team = challenge_services.team_join(
                        member=request.member, challenge=challenge,
                        code=join_form.cleaned_data["code"],
                    )  # fmt: skip
                    messages.success(
                        request, _("You are in the team %(name)s.") % {"name": team.name}
                    )
                    return _back(challenge)
            elif action == "leave":
                challenge_services.team_leave(member=request.member, challenge=challenge)
                messages.success(request, _("You left your team."))
                return _back(challenge)
            else:
                raise Http404
        except ValidationError as error:
            form = create_form if action == "create" else join_form
            add_errors(form, error, default_field=None)
            form.describe()
    participant = challenge_selectors.participant_of(request.member, challenge)
    return render(
        request,
        "events/challenge_team.html",
        {
            "challenge": challenge,
            "event": challenge.event,
            "team": participant.team if participant else None,
            "create_form": create_form,
            "join_form": join_form,
        },
    )


@signed_in
@require_POST
def challenge_leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave the leaderboard, or come back to it."""
    challenge = _participating(request, pk)
    if challenge.ranking != Challenge.Ranking.LEADERBOARD:
        raise Http404
    shown = request.POST.get("shown") == "1"
    challenge_services.leaderboard_choose(member=request.member, challenge=challenge, shown=shown)
    if shown:
        messages.success(request, _("Your pseudonym is on the leaderboard again."))
    else:
        messages.success(request, _("You are no longer on the leaderboard; your days still count."))
    return _back(challenge)


@writer
def challenge_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """The rules of a walking challenge event, for those who write events."""
    event = selectors.event_for_edit(request.member, pk)
    if event.format != Event.Format.CHALLENGE:
        raise Http404
    current = challenge_selectors.challenge_of(event)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            try:
                challenge_services.challenge_set(
                    event=event, by=request.member, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error, default_field=None)
                form.describe()
            else:
                messages.success(request, _("The challenge's rules are saved."))
                return redirect(reverse("events:event", args=[event.pk]) + "#challenge")
        else:
            form.describe()
    else:
        initial = (
            {"unit": current.unit, "goal": current.goal, "team_mode": current.team_mode,
             "ranking": current.ranking}
            if current
            else {"unit": Challenge.Unit.STEPS, "ranking": Challenge.Ranking.LEADERBOARD}
        )  # fmt: skip
        form = ChallengeForm(initial=initial)
    return render(request, "events/challenge_rules.html", {"form": form, "event": event})
