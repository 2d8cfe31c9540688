"""Writes of the events app: events, their speakers and cover, organizers, registrations.

Capacity holds under concurrency the way pretix's ``lock_objects`` does it: the event's row
is locked (``select_for_update``), the places are counted again, then the registration is
written, all in one transaction; a freed place goes to the first person waiting, in the
same transaction, and their email is deferred until it commits.
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.images import image_reencode
from core.jobs import defer_on_commit
from core.markup import render_markdown
from core.search import document
from shared_apps.billing import limits as plan_limits
from tenant_apps.events.access import (
    can_moderate_questions,
    can_write,
    event_or_404,
    event_readable,
)
from tenant_apps.events.models import (
    CalendarFeed,
    Chapter,
    Event,
    Organizer,
    Question,
    Registration,
    Speaker,
    ThemeWebinar,
    Vote,
)
from tenant_apps.knowledge import selectors as knowledge
from tenant_apps.knowledge.models import Category
from tenant_apps.members.models import Member, Space
from tenant_apps.members.selectors import space_open_to
from tenant_apps.members.services import audit, designation_grant, designation_revoke
from tenant_apps.moderation.screening import post_screen as question_screen
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notifications_fan_out

COVER_SIZE = 1600
COVER_MAX_BYTES = 8 * 1024 * 1024
MAX_SPEAKERS = 12


@dataclass(frozen=True)
class SpeakerData:
    name: str
    role: str = ""
    member: Member | None = None


# --- events ----------------------------------------------------------------------------------


def _validate(
    *,
    author: Member,
    starts_at: datetime,
    ends_at: datetime,
    online: bool,
    place: str,
    space: Space | None,
    capacity: int | None,
    status: str,
    speakers: list[SpeakerData] | None,
) -> None:
    if not can_write(author):
        raise Http404
    if space is not None and not space_open_to(author, space):
        raise Http404
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        errors["starts_at"] = [_("Give the date and time with a time zone.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    if not online and not place.strip():
        errors["place"] = [_("Give the address, or say that the event is online.")]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("At least one place, or leave empty for no limit.")]
    if status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        errors["status"] = [_("An event is saved as a draft or published.")]
    if speakers is not None:
        if len(speakers) > MAX_SPEAKERS:
            errors["speakers"] = [_("At most %(count)s speakers.") % {"count": MAX_SPEAKERS}]
        elif any(not speaker.name.strip() for speaker in speakers):
            errors["speakers"] = [_("Each speaker needs a name.")]
        elif any(
            speaker.member is not None and not speaker.member.verified_professional
            for speaker in speakers
        ):
            # Only a verified professional (tenant_apps.pro) is named as a member; anyone
            # else speaks under the name written, without a link to a member.
            errors["speakers"] = [_("Only a verified professional is linked as a speaker.")]
    if errors:
        raise ValidationError(errors)


def _cover_set(event: Event, cover) -> None:
    content = image_reencode(
        cover, max_bytes=COVER_MAX_BYTES, size=COVER_SIZE, keep_transparency=False
    )
    plan_limits.upload_check(adding_bytes=content.size, field="cover")
    if event.cover:
        event.cover.delete(save=False)
    event.cover.save(f"{uuid.uuid4().hex}.jpg", content, save=False)


def _speakers_set(event: Event, speakers: list[SpeakerData]) -> None:
    event.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            event=event,
            name=speaker.name.strip(),
            role=speaker.role.strip(),
            member=speaker.member,
            position=position,
        )
        for position, speaker in enumerate(speakers)
    )


@transaction.atomic
def event_create(
    *,
    author: Member,
    title: str,
    description: str,
    format: str,
    starts_at: datetime,
    ends_at: datetime,
    online: bool = False,
    place: str = "",
    accessibility: str = "",
    join_url: str = "",
    space: Space | None = None,
    capacity: int | None = None,
    cover=None,
    speakers: list[SpeakerData] | None = None,
    status: str = Event.Status.DRAFT,
    in_directory: bool = False,
    training: bool = False,
) -> Event:
    """An admin or organizer writes an event, as a draft or published at once."""
    _validate(
        author=author, starts_at=starts_at, ends_at=ends_at, online=online, place=place,
        space=space, capacity=capacity, status=status, speakers=speakers,
    )  # fmt: skip
    event = Event(
        author=author, title=title.strip(), description=description,
        description_html=render_markdown(description), format=format, starts_at=starts_at,
        ends_at=ends_at, online=online, place=place.strip(), accessibility=accessibility.strip(),
        join_url=join_url, space=space, capacity=capacity, status=status,
        in_directory=in_directory, training=training,
    )  # fmt: skip
    event.full_clean(exclude=["description_html", "cover"])
    if cover is not None:
        _cover_set(event, cover)
    event.save()
    _index(event)
    if speakers:
        _speakers_set(event, speakers)
    _directory_sync(event, was_listed=False)
    return event


def directory_relist() -> None:
    """Refresh the directory's copy of every event meant for it (a network back online after
    a suspension, whose rows were removed)."""
    for event_id in Event.objects.filter(in_directory=True).values_list("pk", flat=True):
        defer_on_commit("tenant_apps.events.jobs.directory_sync", event_id=event_id)


def _directory_sync(event: Event, *, was_listed: bool) -> None:
    # The platform directory's copy is refreshed once the change commits; an event that is
    # not and was not meant for the directory has no copy to refresh.
    if was_listed or event.in_directory:
        defer_on_commit("tenant_apps.events.jobs.directory_sync", event_id=event.pk)


def _index(event: Event) -> None:
    # The network's search document, computed by PostgreSQL from folded text in the same
    # transaction as the change (the description as written, as forum posts are indexed).
    Event.objects.filter(pk=event.pk).update(
        search_vector=document(A=event.title, B=event.description)
    )


_EDITABLE = frozenset(
    {
        "title", "description", "format", "starts_at", "ends_at", "online", "place",
        "accessibility", "join_url", "space", "capacity", "status", "in_directory",
        "training",
    }
)  # fmt: skip


@transaction.atomic
def event_update(
    *,
    event: Event,
    by: Member,
    cover=None,
    remove_cover: bool = False,
    speakers: list[SpeakerData] | None = None,
    **changes,
) -> Event:
    """An admin or organizer edits an event; more places go to those waiting, in order."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = event_or_404(by, Event.objects.select_for_update(of=("self",)), event.pk, drafts=True)
    if locked.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event can no longer be changed."))
    was_published = locked.status == Event.Status.PUBLISHED
    was_listed = locked.in_directory
    for field, value in changes.items():
        setattr(locked, field, value)
    if "space" in changes:
        locked.space = changes["space"]
    _validate(
        author=by, starts_at=locked.starts_at, ends_at=locked.ends_at, online=locked.online,
        place=locked.place, space=locked.space, capacity=locked.capacity, status=locked.status,
        speakers=speakers,
    )  # fmt: skip
    locked.title = locked.title.strip()
    locked.place = locked.place.strip()
    locked.accessibility = locked.accessibility.strip()
    if "description" in changes:
        locked.description_html = render_markdown(locked.description)
    locked.full_clean(exclude=["description_html", "cover"])
    if remove_cover and locked.cover:
        locked.cover.delete(save=False)
        locked.cover = ""
    if cover is not None:
        _cover_set(locked, cover)
    locked.save()
    if {"title", "description"} & set(changes):
        _index(locked)
    if speakers is not None:
        _speakers_set(locked, speakers)
    _places_fill(locked)
    if not was_published and locked.status == Event.Status.PUBLISHED:
        theme_askers_tell(event=locked)
    _directory_sync(locked, was_listed=was_listed)
    return locked


# --- organizers ------------------------------------------------------------------------------


@transaction.atomic
def organizer_grant(*, member: Member, actor: Member) -> Organizer:
    """An admin lets a member write events; idempotent, audited."""
    return designation_grant(
        model=Organizer, member=member, kind=Organizer.Kind.ORGANIZER, actor=actor,
        action="events.organizer_grant",
    )  # fmt: skip


@transaction.atomic
def organizer_revoke(*, member: Member, actor: Member) -> None:
    """An admin takes the organizer role back; audited."""
    designation_revoke(
        model=Organizer, member=member, actor=actor, action="events.organizer_revoke"
    )


# --- registrations ---------------------------------------------------------------------------


def _locked(member: Member, event: Event) -> Event:
    """The event's row, locked until the transaction ends, if the member may see it."""
    return event_or_404(member, Event.objects.select_for_update(of=("self",)), event.pk)


def _places_fill(event: Event) -> list[Registration]:
    """Give the free places to those waiting, first come first served (the event's row is
    locked by the caller); each promoted member is emailed once the transaction commits."""
    if event.capacity is None:
        free = None
    else:
        taken = event.registrations.filter(status=Registration.Status.REGISTERED).count()
        free = event.capacity - taken
        if free <= 0:
            return []
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("id")
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.promoted = now
    Registration.objects.bulk_update(promoted, ["status", "promoted"])
    for registration in promoted:
        defer_on_commit("tenant_apps.events.jobs.promotion_email", registration_id=registration.pk)
    return promoted


@transaction.atomic
def registration_create(*, member: Member, event: Event) -> Registration:
    """One click: a place while one is free, otherwise the waiting list; registering again
    changes nothing."""
    locked = _locked(member, event)
    if locked.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is cancelled: registration is closed."))
    if locked.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))
    existing = Registration.objects.filter(event=locked, member=member).first()
    if existing is not None:
        return existing
    status = Registration.Status.REGISTERED
    if locked.capacity is not None:
        taken = Registration.objects.filter(
            event=locked, status=Registration.Status.REGISTERED
        ).count()
        if taken >= locked.capacity:
            status = Registration.Status.WAITING
    return Registration.objects.create(event=locked, member=member, status=status)


@transaction.atomic
def registration_cancel(*, member: Member, event: Event) -> Registration | None:
    """The member gives up their place (or leaves the waiting list); the first person
    waiting gets a freed place. Returns who got it, if anyone."""
    locked = _locked(member, event)
    deleted, _rows = Registration.objects.filter(event=locked, member=member).delete()
    if not deleted or locked.status != Event.Status.PUBLISHED:
        return None
    promoted = _places_fill(locked)
    return promoted[0] if promoted else None


# --- cancellation ----------------------------------------------------------------------------


@transaction.atomic
def event_cancel(*, event: Event, by: Member) -> Event:
    """An admin or organizer cancels a published event; every registrant (and everyone
    waiting) is emailed once the cancellation commits. Audited."""
    if not can_write(by):
        raise Http404
    locked = event_or_404(by, Event.objects.select_for_update(of=("self",)), event.pk, drafts=True)
    if locked.status == Event.Status.CANCELLED:
        return locked
    if locked.status != Event.Status.PUBLISHED:
        raise ValidationError(_("Only a published event is cancelled; delete a draft instead."))
    locked.status = Event.Status.CANCELLED
    locked.save(update_fields=["status", "updated"])
    audit(actor=by, action="events.event_cancel", event=locked.pk, title=locked.title)
    defer_on_commit("tenant_apps.events.jobs.cancellation_email", event_id=locked.pk)
    _directory_sync(locked, was_listed=locked.in_directory)
    return locked


# --- calendar feeds --------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get(*, member: Member) -> CalendarFeed:
    """The member's private feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(
        member=member, defaults={"token": _new_token()}
    )
    return feed


def calendar_feed_renew(*, member: Member) -> CalendarFeed:
    """A new secret address for the member's feed; the old one stops working at once."""
    feed = calendar_feed_get(member=member)
    feed.token = _new_token()
    feed.save(update_fields=["token"])
    return feed


# --- what the jobs claim ---------------------------------------------------------------------

REMINDERS = {
    # marker field: (from, to) before the start
    "reminded_24h": (timedelta(hours=1), timedelta(hours=24)),
    "reminded_1h": (timedelta(0), timedelta(hours=1)),
}


def reminders_due(*, now: datetime | None = None) -> list[tuple[str, int]]:
    """(marker, event id) of the published events whose reminder is due and not sent."""
    now = now or timezone.now()
    due = []
    for marker, (after, before) in REMINDERS.items():
        ids = Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=now + after,
            starts_at__lte=now + before,
            **{f"{marker}__isnull": True},
        ).values_list("pk", flat=True)
        due += [(marker, pk) for pk in ids]
    return due


def reminder_claim(*, event_id: int, marker: str) -> bool:
    """Mark the reminder as sent, if no one did: whoever gets True sends it."""
    if marker not in REMINDERS:
        raise ValueError(marker)
    return bool(
        Event.objects.filter(
            pk=event_id, status=Event.Status.PUBLISHED, **{f"{marker}__isnull": True}
        ).update(**{marker: timezone.now()})
    )


# --- webinar questions -----------------------------------------------------------------------

QUESTION_MAX = 1000


def _registered(member: Member, event: Event) -> bool:
    return Registration.objects.filter(
        event=event, member=member, status=Registration.Status.REGISTERED
    ).exists()


@transaction.atomic
def question_ask(
    *, member: Member, event: Event, text: str, anonymous: bool = False,
    confirmed_identifying: bool = False,
) -> Question:  # fmt: skip
    """A registrant writes a question to a webinar, before or during it. Screened like a
    forum post: blocked words refuse it, identifying data asks for a confirmation, words to
    hold and signs of a crisis keep it for the moderators."""
    found = event_or_404(member, Event.objects.all(), event.pk)
    if found.format != Event.Format.WEBINAR or not _registered(member, found):
        raise Http404
    if found.status != Event.Status.PUBLISHED or found.ends_at <= timezone.now():
        raise ValidationError(_("Questions are closed for this webinar."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write your question.")]})
    if len(text) > QUESTION_MAX:
        raise ValidationError(
            {"text": [_("A question has at most %(count)s characters.") % {"count": QUESTION_MAX}]}
        )
    screening = question_screen(author=member, text=text, published_posts=1)
    if screening.blocked:
        raise ValidationError(
            {"text": [
                _("This question contains words this network does not accept (%(words)s). "
                  "Please rephrase it.") % {"words": ", ".join(screening.blocked_by)}
            ]}
        )  # fmt: skip
    if screening.identifying and not confirmed_identifying:
        raise ValidationError(
            {"text": [
                _("Your question seems to contain personal details (%(found)s). Everyone at "
                  "the webinar will read it: remove them, or confirm.")
                % {"found": ", ".join(screening.identifying)}
            ]},
            code="identifying",
        )  # fmt: skip
    held = bool(screening.held_by) or screening.crisis
    return Question.objects.create(
        event=found, author=member, text=text, anonymous=anonymous, crisis=screening.crisis,
        status=Question.Status.PENDING if held else Question.Status.VISIBLE,
    )  # fmt: skip


def _question_for(member: Member, question_id: int) -> Question:
    """A question this member may read, its event being one they may see; else 404."""
    question = Question.objects.select_related("event").filter(pk=question_id).first()
    if question is None:
        raise Http404
    event_or_404(member, Event.objects.all(), question.event_id)
    if not Question.objects.visible_in(member, question.event).filter(pk=question.pk).exists():
        raise Http404
    return question


@transaction.atomic
def vote_toggle(*, member: Member, question_id: int) -> tuple[Question, bool]:
    """A registrant votes for another member's visible question, or takes the vote back;
    the question, and whether they vote for it now. One vote each (a unique constraint),
    counted with F()."""
    question = _question_for(member, question_id)
    if question.author_id == member.pk or question.status != Question.Status.VISIBLE:
        raise Http404
    if not _registered(member, question.event):
        raise Http404
    deleted, _rows = Vote.objects.filter(question=question, member=member).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(
            votes_count=F("votes_count") - 1, updated=timezone.now()
        )
        return question, False
    _vote, created = Vote.objects.get_or_create(question=question, member=member)
    if created:
        Question.objects.filter(pk=question.pk).update(
            votes_count=F("votes_count") + 1, updated=timezone.now()
        )
    return question, True


QUESTION_ACTIONS = ("approve", "hide", "pin", "unpin", "answered", "unanswered", "merge")


@transaction.atomic
def question_moderate(
    *, moderator: Member, question_id: int, action: str, into: int | None = None
) -> Question:
    """A moderator approves, hides, pins (the one being answered) or unpins a question,
    marks it answered (which unpins it), or merges it ``into`` the question it repeats."""
    if not can_moderate_questions(moderator):
        raise Http404
    if action not in QUESTION_ACTIONS:
        raise ValidationError({"action": [_("Unknown action.")]})
    question = _question_for(moderator, question_id)
    locked = Event.objects.select_for_update(of=("self",)).get(pk=question.event_id)
    question.refresh_from_db()
    if action == "merge":
        return _question_merge(question=question, into=into)
    if action == "approve":
        question.status = Question.Status.VISIBLE
    elif action == "hide":
        question.status, question.pinned = Question.Status.HIDDEN, False
    elif action == "pin":
        # One question is being answered at a time.
        Question.objects.filter(event=locked, pinned=True).exclude(pk=question.pk).update(
            pinned=False, updated=timezone.now()
        )
        question.status, question.pinned = Question.Status.VISIBLE, True
    elif action == "unpin":
        question.pinned = False
    elif action == "answered":
        question.pinned, question.answered_at = False, timezone.now()
    else:
        question.answered_at = None
    question.save()
    return question


# --- replay ----------------------------------------------------------------------------------

MAX_CHAPTERS = 100


@dataclass(frozen=True)
class ChapterData:
    start: int  # seconds from the start of the video
    title: str
    question_ids: tuple[int, ...] = ()


@transaction.atomic
def replay_set(*, event: Event, by: Member, url: str, chapters: list[ChapterData]) -> Event:
    """An admin or organizer gives a past webinar its replay and chapters (the first at
    0:00, then in order), each chapter linked to the questions it answered."""
    locked = event_or_404(by, Event.objects.select_for_update(of=("self",)), event.pk, drafts=True)
    if not can_write(by):
        raise Http404
    errors: dict[str, list[str]] = {}
    if chapters and not url:
        errors["replay_url"] = [_("Give the replay's address before its chapters.")]
    if chapters:
        starts = [chapter.start for chapter in chapters]
        if starts[0] != 0:
            errors["chapters"] = [_("The first chapter starts at 0:00.")]
        elif any(later <= earlier for earlier, later in zip(starts, starts[1:], strict=False)):
            errors["chapters"] = [_("Each chapter starts after the one before it.")]
        elif len(chapters) > MAX_CHAPTERS:
            errors["chapters"] = [_("At most %(count)s chapters.") % {"count": MAX_CHAPTERS}]
        elif any(not chapter.title.strip() for chapter in chapters):
            errors["chapters"] = [_("Each chapter needs a title.")]
    wanted = {pk for chapter in chapters for pk in chapter.question_ids}
    known = set(Question.objects.filter(event=locked, pk__in=wanted).values_list("pk", flat=True))
    if wanted - known:
        errors["chapters"] = [
            _("These questions are not this webinar's: %(ids)s.")
            % {"ids": ", ".join(f"#{pk}" for pk in sorted(wanted - known))}
        ]
    if errors:
        raise ValidationError(errors)
    locked.replay_url = url
    locked.full_clean(exclude=["description_html", "cover"])
    locked.save(update_fields=["replay_url", "updated"])
    locked.chapters.all().delete()
    for chapter in chapters:
        made = Chapter.objects.create(
            event=locked, start=chapter.start, title=chapter.title.strip()
        )
        made.questions.set(chapter.question_ids)
    return locked


# --- erasure ---------------------------------------------------------------------------------


def member_events_forget(*, member: Member) -> None:
    """For an erasure: the member's registrations go (each freed place to the first person
    waiting, events locked in the order of their ids) and so do their votes (recounted)."""
    event_ids = sorted(
        set(Registration.objects.filter(member=member).values_list("event_id", flat=True))
    )
    for event in (
        Event.objects.select_for_update(of=("self",)).filter(pk__in=event_ids).order_by("pk")
    ):
        Registration.objects.filter(event=event, member=member).delete()
        if event.status == Event.Status.PUBLISHED:
            _places_fill(event)
    voted = list(Vote.objects.filter(member=member).values_list("question_id", flat=True))
    Vote.objects.filter(member=member).delete()
    for question_id in voted:
        Question.objects.filter(pk=question_id).update(
            votes_count=F("votes_count") - 1, updated=timezone.now()
        )


def _question_merge(*, question: Question, into: int | None) -> Question:
    """The duplicate is hidden and points to the question it repeats, which gets its votes
    (and its author's, as one more person asking), one per member, recounted."""
    target = (
        None
        if into is None
        else Question.objects.filter(pk=into, event_id=question.event_id).first()
    )
    if target is None or target.pk == question.pk or target.status == Question.Status.HIDDEN:
        raise ValidationError(
            {"into": [_("Give the number of another visible question of this webinar.")]}
        )
    voters = set(question.votes.values_list("member_id", flat=True)) | {question.author_id}
    already = set(target.votes.values_list("member_id", flat=True))
    Vote.objects.bulk_create(
        Vote(question=target, member_id=member_id)
        for member_id in sorted(voters - already - {target.author_id})
    )
    question.votes.all().delete()
    question.status, question.pinned, question.merged_into = Question.Status.HIDDEN, False, target
    question.votes_count = 0
    question.save()
    target.votes_count = target.votes.count()
    target.save(update_fields=["votes_count", "updated"])
    return question


# --- webinars from the members' questions ----------------------------------------------------

THEME_WEBINAR_IN = timedelta(days=28)
THEME_WEBINAR_HOUR = 18


def _theme_webinar_start() -> datetime:
    """Four weeks from today at 18:00 in the network's time zone: a date to change."""
    day = timezone.localdate() + THEME_WEBINAR_IN
    zone = timezone.get_current_timezone()
    return datetime(day.year, day.month, day.day, THEME_WEBINAR_HOUR, tzinfo=zone)


@transaction.atomic
def webinar_from_theme(*, category: Category, by: Member) -> Event:
    """A draft webinar on a knowledge-base theme, written in one step by an admin or
    organizer: its title names the theme, its description says how many questions and
    searches without result asked for it (counts only: never a question's text nor who
    asked). The members whose question on the theme waits are kept with it and told when it
    is published (``theme_askers_tell``), not before: a draft is out of their sight."""
    if not can_write(by):
        raise Http404
    demand = knowledge.theme_demand(category)
    description = "\n\n".join(
        [
            _("A webinar on “%(theme)s”, from what members asked the association.")
            % {"theme": category.name},
            " ".join(
                [
                    ngettext(
                        "%(count)s question from members",
                        "%(count)s questions from members",
                        demand.questions,
                    ) % {"count": demand.questions},
                    ngettext(
                        "and %(count)s search without result on this theme led to it.",
                        "and %(count)s searches without result on this theme led to it.",
                        demand.gaps,
                    ) % {"count": demand.gaps},
                ]
            ),
            _("Complete this draft (speakers, date, link to join) before publishing it."),
        ]
    )  # fmt: skip
    starts_at = _theme_webinar_start()
    event = event_create(
        author=by, title=_("Webinar: %(theme)s") % {"theme": category.name},
        description=description, format=Event.Format.WEBINAR, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1), online=True, status=Event.Status.DRAFT,
    )  # fmt: skip
    origin = ThemeWebinar.objects.create(event=event, category=category, created_by=by)
    origin.askers.set(knowledge.theme_askers(category))
    return event


def theme_askers_tell(*, event: Event) -> int:
    """Tell the members who asked on a webinar's theme that it is published: one
    notification each, linking to the event, only to those who may see it; once (a second
    call tells nobody). Returns how many were told."""
    origin = (
        ThemeWebinar.objects.select_for_update()
        .filter(event=event, told_at=None)
        .select_related("event")
        .first()
    )
    if origin is None or origin.event.status != Event.Status.PUBLISHED:
        return 0
    readers = [
        asker.pk
        for asker in origin.askers.select_related("user")
        if event_readable(asker, origin.event)
    ]
    notifications_fan_out(
        recipient_ids=readers, kind=Notification.Kind.ANSWER, subject=origin.event.title,
        url=reverse("events:event", args=[origin.event.pk]),
        source=f"events.theme_webinar:{origin.event.pk}", actor=origin.created_by,
    )  # fmt: skip
    ThemeWebinar.objects.filter(pk=origin.pk).update(told_at=timezone.now())
    return len(readers)
