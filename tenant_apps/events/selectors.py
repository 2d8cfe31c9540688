"""Reads of the events app; what a member may see comes from ``access.py`` alone."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import F
from django.http import Http404
from django.utils import timezone

from tenant_apps.events.access import (
    EventQuerySet,
    can_moderate_questions,
    can_write,
    event_or_404,
)
from tenant_apps.events.models import CalendarFeed, Event, Organizer, Question, Registration, Vote
from tenant_apps.members.models import Member

EVENTS_PER_PAGE = 20
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Answered questions go last (NULL answered_at first).
F_ANSWERED_LAST = F("answered_at").asc(nulls_first=True)


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page of events starts: after (starts_at, id) in the list's order."""

    starts_at: datetime.datetime
    id: int

    def encode(self) -> str:
        # Whole microseconds, as PostgreSQL stores them: a float timestamp could round.
        micros = (self.starts_at - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.id}"

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """Raises ValueError (or OverflowError) for anything this module did not write."""
        micros, _, event_id = value.partition(".")
        moment = EPOCH + datetime.timedelta(microseconds=int(micros))
        if int(event_id) < 0:
            raise ValueError(value)
        return cls(moment, int(event_id))


@dataclass
class EventPage:
    events: list[Event]
    next_cursor: str | None


def _listed(member: Member) -> EventQuerySet:
    """The events a list shows this member (drafts too for those who write events), each
    with its number of registered people and the member's own registration status."""
    mine = Registration.objects.filter(event=OuterRef("pk"), member=member).values("status")[:1]
    return (
        Event.objects.visible_to(member, drafts=True)
        .select_related("space")
        .annotate(
            taken=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            ),
            my_status=Subquery(mine),
        )
    )


def events_page(
    member: Member,
    *,
    past: bool = False,
    format: str = "",
    after: Cursor | None = None,
    per_page: int = 0,
    now: datetime.datetime | None = None,
) -> EventPage:
    """One keyset page of upcoming events (not yet over, soonest first) or of past ones
    (most recent first), of one format or all."""
    per_page = per_page or EVENTS_PER_PAGE
    now = now or timezone.now()
    events = _listed(member)
    if format:
        events = events.filter(format=format)
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        if after is not None:
            events = events.filter(
                Q(starts_at__lt=after.starts_at) | Q(starts_at=after.starts_at, id__lt=after.id)
            )
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
        if after is not None:
            events = events.filter(
                Q(starts_at__gt=after.starts_at) | Q(starts_at=after.starts_at, id__gt=after.id)
            )
    found = list(events[: per_page + 1])
    next_cursor = None
    if len(found) > per_page:
        found = found[:per_page]
        next_cursor = Cursor(found[-1].starts_at, found[-1].pk).encode()
    for event in found:
        # event.taken is annotated by _listed; places_left is for the list's cards.
        event.places_left = None if event.capacity is None else max(0, event.capacity - event.taken)
    return EventPage(events=found, next_cursor=next_cursor)


def coming_events(
    member: Member, *, limit: int, now: datetime.datetime | None = None
) -> list[Event]:
    """The next ``limit`` events this member may see that are not over yet, soonest first,
    each with the member's own registration status (``my_status``), and one more to tell
    whether there are others: what every member sees (no draft, whoever writes events).
    One query, whatever the number of events and registrations."""
    now = now or timezone.now()
    mine = Registration.objects.filter(event=OuterRef("pk"), member=member).values("status")[:1]
    return list(
        Event.objects.visible_to(member)
        .filter(ends_at__gte=now)
        .defer("description", "description_html", "accessibility", "search_vector")
        .annotate(my_status=Subquery(mine))
        .order_by("starts_at", "id")[: limit + 1]
    )


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    events: list[Event] = field(default_factory=list)


def month_calendar(member: Member, *, year: int, month: int) -> list[list[Day]]:
    """The weeks of a month (Monday first), each day with the events that start on it in
    the network's time zone."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(weeks[0][0], datetime.time.min, tzinfo=zone)
    last = datetime.datetime.combine(
        weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    days = {day: Day(day, day.month == month) for week in weeks for day in week}
    events = (
        Event.objects.visible_to(member, drafts=True)
        .filter(starts_at__gte=first, starts_at__lt=last)
        .order_by("starts_at", "id")
    )
    for event in events:
        days[timezone.localtime(event.starts_at, zone).date()].events.append(event)
    return [[days[day] for day in week] for week in weeks]


def access_event(member: Member | None, pk: int) -> Event:
    """An event this member may see (drafts for those who write events), else 404."""
    return event_or_404(member, Event.objects.select_related("space"), pk, drafts=True)


def event_for_edit(member: Member, pk: int) -> Event:
    """An event this member may edit: they write events and may see it, else 404."""
    if not can_write(member):
        raise Http404
    return access_event(member, pk)


def speakers_of(event: Event) -> list:
    return list(event.speakers.select_related("member__user"))


def registration_of(member: Member, event: Event) -> Registration | None:
    return Registration.objects.filter(event=event, member=member).first()


@dataclass(frozen=True)
class Places:
    taken: int
    waiting: int
    capacity: int | None

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


def places_of(event: Event) -> Places:
    counts = event.registrations.aggregate(
        taken=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
    )
    return Places(counts["taken"], counts["waiting"], event.capacity)


def waiting_position(registration: Registration) -> int:
    """1 for the first person waiting."""
    return Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITING,
        id__lte=registration.pk,
    ).count()


def organizers() -> QuerySet[Organizer]:
    return Organizer.objects.select_related("member__user").order_by("member__user__username")


def access_organizer(pk: int) -> Organizer:
    found = Organizer.objects.select_related("member").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- calendars -------------------------------------------------------------------------------

FEED_PAST = datetime.timedelta(days=90)


def registered_event_or_404(member: Member | None, pk: int) -> Event:
    """An event this member may see and registered for (or waits for), else 404."""
    return event_or_404(member, Event.objects.filter(registrations__member=member), pk)


def public_feed_events(*, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """The network's public events, from three months ago on."""
    now = now or timezone.now()
    return Event.objects.public().filter(ends_at__gte=now - FEED_PAST).order_by("starts_at")


def access_feed(token: str) -> CalendarFeed:
    found = CalendarFeed.objects.select_related("member__user").filter(token=token).first()
    if found is None:
        raise Http404
    return found


def member_feed_events(member: Member, *, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """The events a member registered for (or waits for) and may still see, cancelled ones
    included so that calendars show them cancelled; nothing for a suspended member."""
    now = now or timezone.now()
    return (
        Event.objects.visible_to(member)
        .filter(registrations__member=member, ends_at__gte=now - FEED_PAST)
        .order_by("starts_at")
    )


# --- webinar questions -----------------------------------------------------------------------


def questions_version(event: Event) -> str:
    """Changes whenever a question of the event is asked, voted for or moderated: the live
    page's poll answers "nothing new" (204) while it stays the same."""
    found = Question.objects.filter(event=event).aggregate(n=Count("pk"), last=Max("updated"))
    last = found["last"]
    micros = 0 if last is None else (last - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{found['n']}.{micros}"


# What the API shows of a question and its author (the live list reads the same as plain
# values: live_questions), not the accounts' every column.
LIVE_QUESTION_FIELDS = (
    "event_id", "author_id", "text", "anonymous", "status", "crisis", "pinned", "answered_at",
    "votes_count", "updated", "author__anonymous_id", "author__user_id",
    "author__user__username",
)  # fmt: skip


def questions_for(member: Member, event: Event) -> list[Question]:
    """The questions of a webinar this member may read, pinned first, then unanswered by
    votes, then answered; each says whether the member voted for it. One query. Keep
    ``live_questions`` (the same as plain values) in step."""
    voted = Vote.objects.filter(question=OuterRef("pk"), member=member)
    return list(
        Question.objects.visible_in(member, event)
        .select_related("author__user")
        .only(*LIVE_QUESTION_FIELDS)
        .annotate(voted=Exists(voted))
        .order_by("-pinned", F_ANSWERED_LAST, "-votes_count", "id")
    )


@dataclass(frozen=True, slots=True)
class LiveQuestion:
    """A question as the live list shows it (events/_question.html): plain values read in
    one query, no model instance; ``voted``: the member voted for it."""

    pk: int
    author_id: int
    author_name: str
    text: str
    anonymous: bool
    status: str
    crisis: bool
    pinned: bool
    answered_at: datetime.datetime | None
    votes_count: int
    updated: datetime.datetime
    voted: bool


def live_questions(member: Member, event: Event) -> list[LiveQuestion]:
    """``questions_for`` as plain values, for the live list that every viewer polls after a
    change: the same questions in the same order (``visible_in`` decides), 300 of them read
    without building 900 model instances (question, author, account). One query."""
    voted = Vote.objects.filter(question=OuterRef("pk"), member=member)
    rows = (
        Question.objects.visible_in(member, event)
        .annotate(voted=Exists(voted))
        .order_by("-pinned", F_ANSWERED_LAST, "-votes_count", "id")
        .values_list(
            "pk", "author_id", "author__user__username", "author__anonymous_id", "text",
            "anonymous", "status", "crisis", "pinned", "answered_at", "votes_count", "updated",
            "voted",
        )
    )  # fmt: skip
    return [
        LiveQuestion(
            pk,
            author_id,
            # Member.display_name's words for an erased account (its user gone).
            username if username is not None else Member(anonymous_id=anonymous_id).display_name,
            *values,
        )  # fmt: skip
        for pk, author_id, username, anonymous_id, *values in rows
    ]


def can_ask(member: Member, event: Event, registration: Registration | None) -> bool:
    return (
        event.format == Event.Format.WEBINAR
        and event.status == Event.Status.PUBLISHED
        and event.ends_at > timezone.now()
        and registration is not None
        and registration.status == Registration.Status.REGISTERED
    )


def moderates_questions(member: Member) -> bool:
    return can_moderate_questions(member)


def chapters_of(event: Event) -> list:
    """The replay's chapters, each with the visible questions it answers."""
    visible = Question.objects.filter(status=Question.Status.VISIBLE).order_by("id")
    return list(event.chapters.prefetch_related(Prefetch("questions", queryset=visible)))
