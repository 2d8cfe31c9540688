"""The calendar across associations as iCalendar (RFC 5545), with the ``icalendar`` package.

The directory sits below the networks' apps in the layers, so it does not reuse
``tenant_apps.events.ics``; it follows the same rules: a stable UID per row (so a calendar
app updates it in place), DTEND always set, no ORGANIZER, links on the platform's own domain
(never the request's Host).
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from shared_apps.directory.models import DirectoryEvent

PRODID = "-//Entraide//Directory//FR"


def platform_base_url() -> str:
    """The platform's own address, from the settings."""
    port = f":{settings.PLATFORM_URL_PORT}" if settings.PLATFORM_URL_PORT else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{settings.PLATFORM_DOMAIN}{port}"


def calendar_build(events: Iterable[DirectoryEvent], *, name: str, path_of) -> bytes:
    """A VCALENDAR of published directory events; ``path_of(event)`` is its page's path."""
    base_url = platform_base_url()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(tz=UTC)
    for event in events:
        entry = VEvent()
        entry.add("uid", f"directory-event-{event.pk}@{settings.PLATFORM_DOMAIN}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("last-modified", event.updated.astimezone(UTC))
        entry.add("summary", event.title)
        if event.summary:
            entry.add("description", event.summary)
        entry.add("location", _("Online") if event.online else event.place)
        entry.add("url", base_url + path_of(event))
        entry.add("status", "CONFIRMED")
        entry.add("transp", "OPAQUE")
        calendar.add_component(entry)
    return calendar.to_ical()
