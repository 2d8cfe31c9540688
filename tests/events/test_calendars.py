"""The .ics of an event, the network's public feed and a member's private feed (parsed back
with icalendar), the reminders and the cancellation emails (each sent once)."""

import datetime

import icalendar
import pytest

from tenant_apps.events import services
from tenant_apps.events.jobs import cancellation_email, reminders_send
from tenant_apps.events.models import Event
from tenant_apps.members import services as members
from tenant_apps.members.models import Role, Space
from tenants.links import tenant_base_url
from tests.events.factories import event_make
from tests.fixtures import host_of
from tests.jobs import JobQueue, committed
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def bob(tenant):
    return account("Bob").member


def _events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(entry["SUMMARY"]): entry for entry in calendar.walk("VEVENT")}


def test_a_registrant_downloads_the_event_as_ics(admin, bob, client_as, tenant):
    event = event_make(author=admin, title="Marche", online=False, place="Parc, Lyon")
    client = client_as(bob)
    assert client.get(f"/evenements/{event.pk}/evenement.ics").status_code == 404
    services.registration_create(member=bob, event=event)
    found = _events(client.get(f"/evenements/{event.pk}/evenement.ics"))
    entry = found["Marche"]
    domain = host_of(tenant)
    assert str(entry["UID"]) == f"event-{event.pk}@{domain}"
    # iCalendar counts whole seconds.
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert entry.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(entry["LOCATION"]) == "Parc, Lyon"
    assert str(entry["URL"]).endswith(f"/evenements/{event.pk}/")
    assert "ORGANIZER" not in entry and "ATTENDEE" not in entry
    assert str(entry["STATUS"]) == "CONFIRMED"
    # The same UID again: calendar apps update the event in place.
    again = _events(client.get(f"/evenements/{event.pk}/evenement.ics"))
    assert str(again["Marche"]["UID"]) == str(entry["UID"])


def test_the_public_feed_holds_only_published_events_for_everyone(admin, client_as):
    event_make(author=admin, title="Pour tous")
    event_make(author=admin, title="Patients", space=Space.objects.get(slug="patients"))
    event_make(author=admin, title="Brouillon", status=Event.Status.DRAFT)
    cancelled = event_make(author=admin, title="Annulé")
    services.event_cancel(event=cancelled, by=admin)
    event_make(author=admin, title="Vieux", starts_in=-datetime.timedelta(days=200))
    found = _events(client_as("anonymous").get("/agenda/reseau.ics"))
    assert set(found) == {"Pour tous"}
    assert all("DTEND" in entry and "ORGANIZER" not in entry for entry in found.values())


def test_a_private_feed_by_a_token_that_can_be_renewed(admin, bob, client_as):
    mine = event_make(author=admin, title="Le mien")
    event_make(author=admin, title="Pas le mien")
    later_cancelled = event_make(author=admin, title="Annulé ensuite")
    for event in (mine, later_cancelled):
        services.registration_create(member=bob, event=event)
    services.event_cancel(event=later_cancelled, by=admin)
    old = services.calendar_feed_get(member=bob).token
    anonymous = client_as("anonymous")
    found = _events(anonymous.get(f"/agenda/{old}.ics"))
    assert set(found) == {"Le mien", "Annulé ensuite"}
    assert str(found["Annulé ensuite"]["STATUS"]) == "CANCELLED"

    page = client_as(bob).post("/evenements/mon-agenda/")
    assert page.status_code == 302
    new = services.calendar_feed_get(member=bob).token
    assert new != old
    assert anonymous.get(f"/agenda/{old}.ics").status_code == 404
    assert set(_events(anonymous.get(f"/agenda/{new}.ics"))) == {"Le mien", "Annulé ensuite"}
    assert new.encode() in client_as(bob).get("/evenements/mon-agenda/").content

    # A suspended member's feed shows nothing.
    members.member_suspend(actor=admin, member=bob, reason="Test", until=None)
    assert _events(anonymous.get(f"/agenda/{new}.ics")) == {}


def test_reminders_go_once_a_day_before_and_an_hour_before(admin, bob, mailoutbox):
    tomorrow = event_make(author=admin, title="Demain", starts_in=datetime.timedelta(hours=20))
    soon = event_make(author=admin, title="Bientôt", starts_in=datetime.timedelta(minutes=40))
    event_make(author=admin, title="Plus tard", starts_in=datetime.timedelta(days=3))
    ana = account("Ana").member
    for event in (tomorrow, soon):
        services.registration_create(member=bob, event=event)
        services.registration_create(member=ana, event=event)
    full = event_make(
        author=admin, title="Complet", capacity=1, starts_in=datetime.timedelta(hours=5)
    )
    services.registration_create(member=bob, event=full)
    services.registration_create(member=ana, event=full)  # waits: no reminder

    reminders_send.func.__wrapped__()
    reminders_send.func.__wrapped__()  # a second run sends nothing more
    titles = ("Demain", "Bientôt", "Complet")
    sent = sorted((next(t for t in titles if m.subject.endswith(t)), m.to[0]) for m in mailoutbox)
    assert sent == [
        ("Bientôt", "ana@example.org"), ("Bientôt", "bob@example.org"),
        ("Complet", "bob@example.org"),
        ("Demain", "ana@example.org"), ("Demain", "bob@example.org"),
    ]  # fmt: skip
    assert {m.to[0] for m in mailoutbox if m.subject.endswith("Complet")} == {"bob@example.org"}
    soon.refresh_from_db()
    assert soon.reminded_1h is not None and soon.reminded_24h is None

    # Twenty minutes later, "tomorrow" is no nearer than an hour: nothing new.
    services.reminder_claim(event_id=tomorrow.pk, marker="reminded_1h")  # already-claimed path
    mailoutbox.clear()
    reminders_send.func.__wrapped__()
    assert mailoutbox == []


def test_cancelling_emails_every_registrant_once(admin, bob, client_as, mailoutbox):
    event = event_make(author=admin, title="Marche", capacity=1)
    ana = account("Ana").member
    services.registration_create(member=bob, event=event)
    services.registration_create(member=ana, event=event)
    queue = JobQueue()
    with committed():
        response = client_as(admin).post(f"/evenements/{event.pk}/annuler/")
    assert response.status_code == 302
    assert queue.names() == ["tenant_apps.events.jobs.cancellation_email"]
    queue.run()
    cancellation_email.func.__wrapped__(event_id=event.pk)  # run again: nobody twice
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "bob@example.org"]
    assert all("Marche" in m.subject for m in mailoutbox)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    # No more registration, no edit of a cancelled event.
    assert client_as(bob).post(f"/evenements/{event.pk}/inscription/").status_code == 302
    assert event.registrations.count() == 2
    # Cancelling again changes nothing and emails nobody.
    with committed():
        assert client_as(admin).post(f"/evenements/{event.pk}/annuler/").status_code == 302
    assert queue.names() == []


def test_the_calendar_addresses_are_on_the_networks_own_domain_whatever_the_host(
    bob, client_as, tenant
):
    """A forged Host (another port of the same name) reaches the network, but the addresses
    a member copies into their calendar app lead to its primary domain."""
    forged = f"{host_of(tenant)}:9999"
    page = client_as(bob).get("/evenements/mon-agenda/", HTTP_HOST=forged).content.decode()
    primary = tenant_base_url(tenant)
    token = services.calendar_feed_get(member=bob).token
    assert f"{primary}/agenda/{token}.ics" in page
    assert ":9999" not in page
