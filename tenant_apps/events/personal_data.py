"""A member's events data, for their export and their erasure (core.hooks finds it)."""

from tenant_apps.events import services
from tenant_apps.events.models import CalendarFeed, Event, Organizer, Question, Registration
from tenant_apps.members.models import Member


def export(*, member: Member) -> dict:
    """Where they registered, what they asked, what they voted for, their roles."""
    registrations = Registration.objects.filter(member=member).select_related("event")
    # An event's title is shown only while the member may still see it (access.py).
    seen = set(Event.objects.visible_to(member).values_list("pk", flat=True))
    return {
        "registrations": [
            {
                "event": r.event_id,
                "title": r.event.title if r.event_id in seen else None,
                "status": r.status,
                "registered": r.created.isoformat(),
            }
            for r in registrations.order_by("id")
        ],
        "questions": [
            {
                "event": q.event_id,
                "text": q.text,
                "anonymous": q.anonymous,
                "status": q.status,
                "asked": q.created.isoformat(),
            }
            for q in Question.objects.filter(author=member).order_by("id")
        ],
        "votes": sorted(Question.objects.filter(votes__member=member).values_list("pk", flat=True)),
        "event_organizer": Organizer.objects.filter(member=member).exists(),
        "calendar_feed": CalendarFeed.objects.filter(member=member).exists(),
    }


def erase(*, member: Member, delete_content: bool) -> None:
    """Give up their places (the first waiting get them), forget their votes, feed and
    role; with ``delete_content``, their questions too (otherwise they stay under
    "Deleted member #…")."""
    services.member_events_forget(member=member)
    CalendarFeed.objects.filter(member=member).delete()
    Organizer.objects.filter(member=member).delete()
    if delete_content:
        Question.objects.filter(author=member).delete()
