"""The demo networks' events (provisioning/demo_content/<network>.py, ``events``).

``demo_content`` writes the events through the services, each once (matched by its title),
dated relative to today in the network's time zone: past webinars, upcoming webinars, a walk.
``demo_activity`` then fills them once every member exists: registrations, questions and
votes, the moderators' marks, and the past webinars' replays with their chapters.

What already happened is history the services rightly refuse to write now (no registering
for, or asking a question at, a webinar that is over): for past events the registrations,
questions and votes are written to the tables as the services would have left them, and the
replay, which is written after the event, goes through ``replay_set``. An event that already
has registrations or a replay is left as it is, so seeding again changes nothing.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from tenant_apps.events import challenge_services, services
from tenant_apps.events.models import Event, Question, Registration, Vote
from tenant_apps.members.models import Member, Space

# Who writes the demo's events and moderates their questions: the association's admin whose
# second factor is set up (provisioning/demo.py REVIEWER; staff rights wait for it).
WRITER = "relecture"


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """``days`` from today (negative: in the past) at this time, in the network's time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_content(*, accounts: dict[str, Member], content: dict) -> None:
    """The network's demo events, each created once, published (or cancelled)."""
    writer = accounts[WRITER]
    spaces = {space.slug: space for space in Space.objects.all()}
    for spec in content.get("events", ()):
        if Event.objects.filter(title=spec["title"]).exists():
            continue
        starts_at = _at(spec["days"], *spec["time"])
        event = services.event_create(
            author=writer,
            title=spec["title"],
            description=spec["description"],
            format=spec["format"],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=spec["minutes"]),
            online=spec.get("online", False),
            place=spec.get("place", ""),
            accessibility=spec.get("accessibility", ""),
            join_url=spec.get("join_url", ""),
            space=spaces[spec["space"]] if spec.get("space") else None,
            capacity=spec.get("capacity"),
            speakers=[services.SpeakerData(name=n, role=r) for n, r in spec.get("speakers", ())],
            status=Event.Status.PUBLISHED,
        )
        if spec.get("cancelled"):
            services.event_cancel(event=event, by=writer)


def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    """Who registered, asked and voted, what the moderators marked, and the replays; once."""
    writer = accounts[WRITER]
    for spec in content.get("events", ()):
        event = Event.objects.get(title=spec["title"])
        if event.registrations.exists() or event.replay_url:
            continue
        if event.ends_at <= timezone.now():
            _past(event, spec, accounts, writer)
        elif event.status == Event.Status.PUBLISHED:
            _upcoming(event, spec, accounts, writer)
    _challenge(accounts=accounts, content=content, writer=writer)


def _upcoming(event: Event, spec: dict, accounts: dict[str, Member], writer: Member) -> None:
    """Registrations (the waiting list once full), questions and votes, through the
    services as members would make them."""
    for key in spec.get("registrants", ()):
        services.registration_create(member=accounts[key], event=event)
    for question_spec in spec.get("questions", ()):
        question = services.question_ask(
            member=accounts[question_spec["by"]],
            event=event,
            text=question_spec["text"],
            anonymous=question_spec.get("anonymous", False),
            confirmed_identifying=True,
        )
        if question.status != Question.Status.VISIBLE:
            services.question_moderate(moderator=writer, question_id=question.pk, action="approve")
        for key in question_spec.get("votes", ()):
            services.vote_toggle(member=accounts[key], question_id=question.pk)


def _past(event: Event, spec: dict, accounts: dict[str, Member], writer: Member) -> None:
    """The history of an event that is over: who came, the questions asked before and
    during it with their votes and when they were answered, then the replay."""
    registered_at = event.starts_at - datetime.timedelta(days=6)
    # Its reminders went out when they were due.
    Event.objects.filter(pk=event.pk).update(
        reminded_24h=event.starts_at - datetime.timedelta(hours=24),
        reminded_1h=event.starts_at - datetime.timedelta(hours=1),
    )
    Registration.objects.bulk_create(
        [
            Registration(event=event, member=accounts[key], status=Registration.Status.REGISTERED)
            for key in spec.get("registrants", ())
        ]
    )
    Registration.objects.filter(event=event).update(created=registered_at)
    questions = []
    for number, question_spec in enumerate(spec.get("questions", ())):
        asked = event.starts_at - datetime.timedelta(days=2) + datetime.timedelta(hours=number)
        answered = question_spec.get("answered_after")
        question = Question.objects.create(
            event=event,
            author=accounts[question_spec["by"]],
            text=question_spec["text"],
            anonymous=question_spec.get("anonymous", False),
            status=Question.Status.VISIBLE,
            answered_at=(
                None if answered is None else event.starts_at + datetime.timedelta(minutes=answered)
            ),
        )
        voters = [accounts[key] for key in question_spec.get("votes", ())]
        Vote.objects.bulk_create([Vote(question=question, member=m) for m in voters])
        Question.objects.filter(pk=question.pk).update(
            votes_count=F("votes_count") + len(voters), created=asked, updated=asked
        )
        questions.append(question)
    replay = spec.get("replay")
    if replay:
        services.replay_set(
            event=event,
            by=writer,
            url=replay["url"],
            chapters=[
                services.ChapterData(
                    start=start, title=title, question_ids=tuple(questions[i].pk for i in answers)
                )
                for start, title, answers in replay["chapters"]
            ],
        )


CHALLENGE_TITLE = "Défi marche : 15 jours ensemble"


def _challenge(*, accounts: dict[str, Member], content: dict, writer: Member) -> None:
    """A walking challenge under way (started 6 days ago, 15 days, in teams, a leaderboard):
    the members registered for the network's first event with registrants take part and
    have logged their days; one left the leaderboard. Once."""
    if Event.objects.filter(title=CHALLENGE_TITLE).exists():
        return
    challenge = challenge_services.challenge_create(
        author=writer, title=CHALLENGE_TITLE, starts_at=_at(-6, 0), goal=1_500_000,
        team_mode=True,
        description=(
            "Quinze jours pour marcher **ensemble**, chacun à son rythme : notez vos pas "
            "chaque jour. Vous pouvez aussi marcher en équipe, ou quitter le classement."
        ),
    )  # fmt: skip
    walkers = next(
        (spec["registrants"] for spec in content.get("events", ()) if spec.get("registrants")),
        (),
    )
    members = [accounts[key] for key in walkers if key != WRITER][:6]
    team = None
    today = timezone.localdate()
    for n, member in enumerate(members):
        services.registration_create(member=member, event=challenge.event)
        if n == 0:
            team = challenge_services.team_create(
                member=member, challenge=challenge, name="Les Souffles"
            )
        elif n % 2 == 0 and team is not None:
            challenge_services.team_join(member=member, challenge=challenge, code=team.code)
        for back in range(6, -1, -1):
            if (n + back) % 4:  # some days are not logged, as in life
                challenge_services.entry_log(
                    member=member, challenge=challenge, day=today - datetime.timedelta(days=back),
                    amount=2500 + 700 * n + 350 * back,
                )  # fmt: skip
        if n == len(members) - 1:
            challenge_services.leaderboard_choose(member=member, challenge=challenge, shown=False)
