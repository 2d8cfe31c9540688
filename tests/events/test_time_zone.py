"""The network's time zone (issue 12): dates shown on its site, typed in its forms and written
in its emails are in the zone its admins chose, not in the platform's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.events import services
from tenant_apps.events.jobs import reminders_send
from tenant_apps.events.models import Event
from tenant_apps.members.models import Role
from tenants import hosts
from tenants.models import TIME_ZONES, Branding
from tests.events.factories import event_make
from tests.members.factories import account

pytestmark = pytest.mark.django_db

PARIS, REUNION, UTC = ZoneInfo("Europe/Paris"), ZoneInfo("Indian/Reunion"), datetime.UTC


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def bob(tenant):
    return account("Bob").member


@pytest.fixture
def reunion(tenant):
    """Alpha lives in Réunion for this test; the shared network object is put back after."""
    before = tenant.branding.time_zone
    with schema_context("public"):
        Branding.objects.filter(tenant=tenant).update(time_zone="Indian/Reunion")
    tenant.branding.time_zone = "Indian/Reunion"
    hosts.forget_hosts()
    yield tenant
    tenant.branding.time_zone = before
    hosts.forget_hosts()


def _shown(moment: datetime.datetime) -> str:
    """How the event page writes a start, in French."""
    return f"{moment:%H:%M}"


@pytest.mark.parametrize(
    "day", [datetime.date(2031, 1, 15), datetime.date(2031, 7, 15)], ids=["winter", "summer"]
)
def test_an_event_page_shows_the_start_in_the_networks_zone(admin, bob, client_as, reunion, day):
    start = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=PARIS)
    event = event_make(author=admin, title="Atelier", starts_at=start)
    there = start.astimezone(REUNION)
    assert there.hour == (21 if day.month == 1 else 20)  # zoneinfo agrees with the issue

    page = client_as(bob).get(f"/evenements/{event.pk}/").content.decode()
    assert f'datetime="{there.isoformat()}"' in page
    assert f", {_shown(there)}</time>" in page
    assert f", {_shown(start)}</time>" not in page
    # The zone is the request's only: once answered, the thread is back to the default.
    assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_a_network_in_paris_still_shows_paris_time(admin, bob, client_as, tenant):
    start = datetime.datetime(2031, 1, 15, 18, 0, tzinfo=PARIS)
    event = event_make(author=admin, title="Atelier", starts_at=start)
    page = client_as(bob).get(f"/evenements/{event.pk}/").content.decode()
    assert ", 18:00</time>" in page


def test_a_time_typed_in_a_form_is_the_networks_time(admin, client_as, reunion):
    response = client_as(admin).post(
        "/evenements/nouveau/",
        {
            "title": "Groupe de parole", "format": "webinar", "description": "Entre nous",
            "starts_at": "2031-11-04T18:00", "ends_at": "2031-11-04T19:00", "online": "on",
            "join_url": "https://visio.example.org/salle", "status": "published",
            "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    event = Event.objects.get(title="Groupe de parole")
    # Réunion is UTC+4 all year: 18:00 there is 14:00 UTC (17:00 UTC had it been Paris).
    assert event.starts_at == datetime.datetime(2031, 11, 4, 14, 0, tzinfo=UTC)
    assert event.ends_at == datetime.datetime(2031, 11, 4, 15, 0, tzinfo=UTC)
    # The edit form gives the same 18:00 back.
    form = client_as(admin).get(f"/evenements/{event.pk}/modifier/").content.decode()
    assert 'value="2031-11-04T18:00"' in form


def test_the_reminder_email_writes_the_networks_time(admin, bob, reunion, mailoutbox):
    soon = event_make(author=admin, title="Bientôt", starts_in=datetime.timedelta(minutes=40))
    services.registration_create(member=bob, event=soon)

    reminders_send.func.__wrapped__()

    [message] = mailoutbox
    there, paris = soon.starts_at.astimezone(REUNION), soon.starts_at.astimezone(PARIS)
    assert _shown(there) in message.body
    assert _shown(paris) not in message.body
    # The job leaves the worker's zone as it found it.
    assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_an_admin_chooses_the_zone_among_the_listed_ones(admin, client_as, tenant):
    assert [zone for zone, _label in TIME_ZONES][:1] == ["Europe/Paris"]
    assert {"Indian/Reunion", "Pacific/Noumea", "America/Cayenne"} <= dict(TIME_ZONES).keys()
    data = {
        "branding-display_name": "Réseau alpha",
        "branding-primary_color": "#1f5f8b",
        "branding-accent_color": "#8a3b12",
    }
    admin_client = client_as(admin)
    page = admin_client.get("/association/reglages/").content.decode()
    assert 'name="branding-time_zone"' in page and 'value="Indian/Reunion"' in page

    refused = admin_client.post(
        "/association/reglages/marque/", {**data, "branding-time_zone": "Asia/Tokyo"}
    )
    assert refused.status_code == 200
    assert "time_zone" in refused.context["branding_form"].errors

    saved = admin_client.post(
        "/association/reglages/marque/", {**data, "branding-time_zone": "Pacific/Noumea"}
    )
    assert saved.status_code == 302
    with schema_context("public"):
        assert Branding.objects.get(tenant=tenant).time_zone == "Pacific/Noumea"
    tenant.branding.time_zone = "Europe/Paris"  # the shared network object, for later tests
