"""A meeting's invitation as iCalendar (RFC 5545/5546): METHOD:REQUEST, one VEVENT whose UID
is the meeting's own (``rcp-<uuid>@<network's domain>``) and whose SEQUENCE is the meeting's,
so that a calendar app updates the invitation in place. Each change of the meeting (moved,
another place or link) raises its SEQUENCE; a cancelled meeting is METHOD:CANCEL with
STATUS:CANCELLED, which removes it from the calendar. Like the events' calendars
(tenant_apps/events/ics.py) there is no ORGANIZER nor ATTENDEE: no one's address leaves the
network, and the description names no case (references stay on the page)."""

from datetime import UTC, datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from tenant_apps.pro.models import RcpMeeting
from tenants.links import tenant_base_url

PRODID = "-//Entraide//RCP//FR"


def method(meeting: RcpMeeting) -> str:
    return "CANCEL" if meeting.status == RcpMeeting.Status.CANCELLED else "REQUEST"


def invitation(request: HttpRequest, meeting: RcpMeeting) -> bytes:
    tenant = request.tenant  # type: ignore[attr-defined]
    # The primary domain, never the request's Host (which can be forged).
    domain = getattr(tenant, "primary_domain", None) or (
        tenant.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    )
    series = meeting.series
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method(meeting))
    entry = VEvent()
    entry.add("uid", f"rcp-{meeting.uid}@{domain}")
    entry.add("sequence", meeting.sequence)
    entry.add("dtstamp", datetime.now(tz=UTC))
    entry.add("dtstart", meeting.starts_at.astimezone(UTC))
    entry.add("dtend", meeting.ends_at.astimezone(UTC))
    entry.add("summary", series.name)
    entry.add(
        "description", _("Multidisciplinary team meeting: %(organ)s") % {"organ": series.organ}
    )
    location = ", ".join(part for part in (meeting.where, meeting.video_link) if part)
    if location:
        entry.add("location", location)
    entry.add(
        "url", tenant_base_url(tenant, domain=domain) + reverse("rcp:meeting", args=[meeting.pk])
    )
    cancelled = meeting.status == RcpMeeting.Status.CANCELLED
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical()
