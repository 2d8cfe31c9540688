"""Who may see an event: the only definition of it.

Pages, the API, the calendar feeds, the ``.ics`` downloads, reminders, the network's search
(events.search) and home page all ask this module.

The rule: an active member of this network sees the published and cancelled events whose
audience is everyone (no space) or one of their spaces (``members.selectors.spaces_for``).
Members who write events (admins, designated organizers: ``events.event:write``) also see
drafts, of the same audiences (``drafts=True``, for the pages that list or open events for
them). Anyone else sees nothing; anything out of reach is the same 404 as what does not
exist.

The network's public calendar feed, which calendar apps read without signing in, holds only
published events for everyone (``EventQuerySet.public``).

This module imports no events model (the models import its queryset).
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.members.selectors import space_open_to, spaces_for

# Event.Status values, named here because the models import this module;
# tests/events/test_access.py checks that they match.
PUBLISHED = "published"
CANCELLED = "cancelled"
SHOWN = (PUBLISHED, CANCELLED)

WRITE = "events.event:write"


def can_write(member: Member | None) -> bool:
    """Admins and designated organizers write events (second factor included)."""
    return is_reader(member) and has_permission(member, WRITE)


def _space_ids(member: Member) -> list[int]:
    cached = getattr(member, "_events_space_ids", None)
    if cached is None:
        cached = [space.pk for space in spaces_for(member)]
        member._events_space_ids = cached  # type: ignore[attr-defined]  # a memo for this request
    return cached


def audience_q(member: Member, prefix: str = "") -> Q:
    """The audience part of the rule (``prefix`` names the event from another model)."""
    return Q(**{f"{prefix}space__isnull": True}) | Q(
        **{f"{prefix}space_id__in": _space_ids(member)}
    )


def event_q(member: Member, prefix: str = "") -> Q:
    """The readers' rule as a filter."""
    return event_q_of(reader_shape(member), prefix)


def reader_shape(member: Member) -> tuple[int, ...]:
    """All the readers' rule depends on for an active member (``is_reader``): the spaces
    they enter. The key of a query compiled once (core.compiled) for every member of the
    same shape (``EventQuerySet.visible_for``, the network's search)."""
    return tuple(_space_ids(member))


def event_q_of(space_ids: tuple[int, ...], prefix: str = "") -> Q:
    """``event_q`` from the member's shape."""
    return Q(**{f"{prefix}status__in": SHOWN}) & (
        Q(**{f"{prefix}space__isnull": True}) | Q(**{f"{prefix}space_id__in": space_ids})
    )


class EventQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None, *, drafts: bool = False) -> "EventQuerySet":
        """Events this member may see; with ``drafts``, drafts too for those who write
        events (the readers' rule for everyone else)."""
        if not is_reader(member):
            return self.none()
        if drafts and can_write(member):
            return self.filter(audience_q(member))
        return self.filter(event_q(member))

    def visible_for(self, shape: tuple[int, ...]) -> "EventQuerySet":
        """The readers' ``visible_to`` for an active member, from their shape
        (``reader_shape``): for a query compiled once per shape, such as the search's."""
        return self.filter(event_q_of(shape))

    def public(self) -> "EventQuerySet":
        """What the network's public calendar feed shows anyone: published events whose
        audience is everyone (no space's event, no draft, nothing cancelled)."""
        return self.filter(status=PUBLISHED, space__isnull=True)


def event_readable(member: Member | None, event, *, drafts: bool = False) -> bool:
    """``EventQuerySet.visible_to`` for one event already loaded (with its space)."""
    if not is_reader(member):
        return False
    if event.status not in SHOWN and not (drafts and can_write(member)):
        return False
    return event.space_id is None or space_open_to(member, event.space)


def event_or_404(
    member: Member | None, queryset: EventQuerySet, pk: int, *, drafts: bool = False
) -> Any:
    """The event among those this member may see, else the same 404 as a missing one."""
    found = queryset.visible_to(member, drafts=drafts).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- webinar questions -----------------------------------------------------------------------

QUESTION_VISIBLE = "visible"


def can_moderate_questions(member: Member | None) -> bool:
    """Moderators and admins approve, hide, pin and mark questions answered."""
    return is_reader(member) and has_permission(member, "moderation.post:moderate")


class QuestionQuerySet(models.QuerySet):
    def visible_in(self, member: Member | None, event) -> "QuestionQuerySet":
        """The questions of ``event`` this member may read, ``event`` being one they may see
        (checked by ``event_or_404``): visible ones, their own, and all for moderators."""
        if not is_reader(member):
            return self.none()
        if can_moderate_questions(member):
            return self.filter(event=event)
        return self.filter(Q(status=QUESTION_VISIBLE) | Q(author=member), event=event)
