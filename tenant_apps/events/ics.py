"""Events as iCalendar (RFC 5545), built with the ``icalendar`` package.

Each event has a stable UID (``event-<id>@<network's domain>``) so that a calendar app
updates it in place, DTEND is always set, and there is no ORGANIZER (no one's address
leaves the network). What goes in is what the reader may see: the callers pass events from
``access.py``'s rule.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from tenant_apps.events.models import Event

PRODID = "-//Entraide//Events//FR"


def event_uid(event: Event, domain: str) -> str:
    return f"event-{event.pk}@{domain}"


def calendar_build(
    events: Iterable[Event], *, domain: str, base_url: str, name: str, path_of
) -> bytes:
    """A VCALENDAR of ``events``; ``path_of(event)`` is the event page's path."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = datetime.now(tz=UTC)
    for event in events:
        entry = VEvent()
        entry.add("uid", event_uid(event, domain))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("last-modified", event.updated.astimezone(UTC))
        entry.add("summary", event.title)
        entry.add("description", event.description)
        entry.add("location", _("Online") if event.online else event.place)
        entry.add("url", base_url + path_of(event))
        cancelled = event.status == Event.Status.CANCELLED
        entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        entry.add("transp", "OPAQUE")
        calendar.add_component(entry)
    return calendar.to_ical()
