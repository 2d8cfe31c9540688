"""A member's events in their export, and their erasure: places freed for the people
waiting, votes recounted, questions kept anonymous or deleted."""

import pytest

from tenant_apps.events import services
from tenant_apps.events.models import CalendarFeed, Question, Registration
from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def test_export_and_erasure(tenant, mailoutbox):
    admin = account("Alice", Role.ADMIN).member
    ana, bob, cyd = (account(name).member for name in ("Ana", "Bob", "Cyd"))
    event = event_make(author=admin, title="Webinaire", capacity=2)
    for member in (ana, bob, cyd):
        services.registration_create(member=member, event=event)
    question = services.question_ask(member=bob, event=event, text="Et le sport ?")
    mine = services.question_ask(member=ana, event=event, text="Et la fatigue ?")
    services.vote_toggle(member=ana, question_id=question.pk)
    services.calendar_feed_get(member=ana)

    exported = members.member_export(member=ana)
    data = exported["content"]["events"]
    assert data["registrations"] == [
        {"event": event.pk, "title": "Webinaire", "status": "registered",
         "registered": data["registrations"][0]["registered"]}
    ]  # fmt: skip
    assert [q["text"] for q in data["questions"]] == ["Et la fatigue ?"]
    assert data["votes"] == [question.pk] and data["calendar_feed"] is True
    assert "email" not in str(data)

    members.member_erase(member=ana)
    assert not Registration.objects.filter(member=ana).exists()
    # Her place went to Cyd, who was waiting.
    assert Registration.objects.get(member=cyd).status == Registration.Status.REGISTERED
    question.refresh_from_db()
    assert question.votes_count == 0
    assert not CalendarFeed.objects.filter(member=ana).exists()
    assert Question.objects.filter(pk=mine.pk).exists()  # kept, under "Deleted member #…"

    members.member_erase(member=bob, delete_content=True)
    assert not Question.objects.filter(pk=question.pk).exists()
