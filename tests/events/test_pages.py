"""The events' pages: lists by keyset with a format filter (query counts with two sizes of
data), the month calendar's table, the event page, writing forms and the cover image."""

import datetime
import re
from io import BytesIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from PIL import Image

from tenant_apps.events import access, services
from tenant_apps.events.models import Event, Registration
from tenant_apps.members.models import ProfileType, Role, Space
from tests.events.factories import event_make, picture
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN).member


@pytest.fixture
def bob(tenant):
    return account("Bob").member


def _ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(rb'id="event-(\d+)"', response.content)]


def test_the_access_module_names_the_models_statuses():
    assert access.PUBLISHED == Event.Status.PUBLISHED
    assert access.CANCELLED == Event.Status.CANCELLED
    assert Event.Status.DRAFT not in access.SHOWN


def test_visible_to_follows_spaces_status_and_role(admin, bob):
    carla = account("Carla", profile_type=ProfileType.CAREGIVER).member
    patients = Space.objects.get(slug="patients")
    everyone = event_make(author=admin, title="Tous")
    theirs = event_make(author=admin, title="Patients", space=patients)
    draft = event_make(author=admin, title="Brouillon", status=Event.Status.DRAFT)
    cancelled = event_make(author=admin, title="Annulé")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)

    def seen(member, **options):
        return set(Event.objects.visible_to(member, **options).values_list("pk", flat=True))

    assert seen(bob) == seen(bob, drafts=True) == {everyone.pk, theirs.pk, cancelled.pk}
    assert seen(carla) == {everyone.pk, cancelled.pk}
    assert seen(admin, drafts=True) == {everyone.pk, theirs.pk, draft.pk, cancelled.pk}
    assert seen(admin) == {everyone.pk, theirs.pk, cancelled.pk}
    assert seen(None) == set()
    theirs.space = patients
    assert access.event_readable(bob, theirs) and not access.event_readable(carla, theirs)
    assert not access.event_readable(bob, draft, drafts=True)
    assert access.event_readable(admin, draft, drafts=True)


def test_lists_by_keyset_in_a_constant_number_of_queries(
    admin, bob, client_as, django_assert_max_num_queries
):
    client = client_as(bob)
    base = timezone.now() + datetime.timedelta(days=1)
    made = [
        event_make(
            author=admin, title=f"Événement {n}", starts_at=base + datetime.timedelta(hours=n),
            format=Event.Format.WEBINAR if n % 2 else Event.Format.OTHER,
            capacity=3 if n % 3 else None,
        )
        for n in range(3)
    ]  # fmt: skip
    services.registration_create(member=bob, event=made[0])
    client.get("/evenements/")  # the host's network and the session, resolved once
    with django_assert_max_num_queries(12) as small:
        response = client.get("/evenements/")
    assert _ids(response) == [e.pk for e in made]
    made += [
        event_make(author=admin, title=f"Plus {n}", starts_at=base + datetime.timedelta(days=n + 1))
        for n in range(22)
    ]  # fmt: skip
    with django_assert_max_num_queries(12) as large:
        response = client.get("/evenements/")
    assert len(small.captured_queries) == len(large.captured_queries)
    first = _ids(response)
    assert first == [e.pk for e in made[:20]]
    after = re.search(rb'id="next-page" href="\?apres=([^"]+)"', response.content).group(1)
    second = _ids(client.get(f"/evenements/?apres={after.decode()}"))
    assert second == [e.pk for e in made[20:]]
    webinars = _ids(client.get("/evenements/?format=webinar"))
    assert webinars == [e.pk for e in made if e.format == Event.Format.WEBINAR][:20]
    assert made[0].pk not in webinars and made[2].pk not in webinars
    assert b"You are registered" in response.content or "inscrit" in response.content.decode()
    assert client.get("/evenements/?apres=n.importe").status_code == 404


def test_past_events_most_recent_first(admin, bob, client_as):
    older = event_make(author=admin, title="Avant", starts_in=-datetime.timedelta(days=9))
    recent = event_make(author=admin, title="Hier", starts_in=-datetime.timedelta(days=1))
    event_make(author=admin, title="Demain")
    assert _ids(client_as(bob).get("/evenements/passes/")) == [recent.pk, older.pk]


def test_the_month_is_a_table_of_links_with_its_caption(admin, bob, client_as):
    zone = timezone.get_current_timezone()
    moment = datetime.datetime(2031, 3, 14, 18, 30, tzinfo=zone)
    event = event_make(author=admin, title="Marche de mars", starts_at=moment)
    event_make(author=admin, title="Avril", starts_at=moment + datetime.timedelta(days=30))
    response = client_as(bob).get("/evenements/calendrier/?mois=2031-03")
    html = response.content.decode()
    assert "<caption>" in html and html.count('<th scope="col">') == 7
    assert re.findall(r'href="/evenements/(\d+)/"', html) == [str(event.pk)]
    assert "18:30" in html and "Marche de mars" in html
    assert 'href="?mois=2031-02"' in html and 'href="?mois=2031-04"' in html
    assert client_as(bob).get("/evenements/calendrier/?mois=2031-13").status_code == 404
    assert client_as(bob).get("/evenements/calendrier/").status_code == 200


def test_an_admin_writes_an_event_with_speakers_and_a_clean_cover(admin, bob, client_as):
    # Only a verified professional is linked as a speaker member (tenant_apps.pro).
    bob.verified_professional = True
    bob.save(update_fields=["verified_professional"])
    response = client_as(admin).post(
        "/evenements/nouveau/",
        {
            "title": "Vivre avec l'immunothérapie", "format": "webinar",
            "description": "Posez vos questions <script>alert(1)</script>",
            "starts_at": "2031-11-04T18:00", "ends_at": "2031-11-04T19:00", "online": "on",
            "join_url": "https://visio.example.org/salle", "status": "published",
            "cover": picture(),
            "speakers-TOTAL_FORMS": "2", "speakers-INITIAL_FORMS": "0",
            "speakers-0-name": "Dr Martin", "speakers-0-role": "Pneumologue",
            "speakers-0-pseudonym": "Bob", "speakers-1-name": "",
        },
    )  # fmt: skip
    event = Event.objects.get(title="Vivre avec l'immunothérapie")
    assert response.status_code == 302 and response["Location"] == f"/evenements/{event.pk}/"
    assert "<script>" not in event.description_html
    assert timezone.localtime(event.starts_at).hour == 18  # the network's time zone
    assert [(s.name, s.role, s.member) for s in event.speakers.all()] == [
        ("Dr Martin", "Pneumologue", bob)
    ]
    with event.cover.open("rb") as stored, Image.open(BytesIO(stored.read())) as image:
        assert image.format == "JPEG" and not image.getexif()
    page = client_as(bob).get(f"/evenements/{event.pk}/").content.decode()
    assert "Dr Martin" in page and 'href="/membres/Bob/"' in page
    # The join link waits for 15 minutes before the start, and for a registration.
    assert "visio.example.org" not in page


def test_bad_input_gets_clear_errors_and_writes_nothing(admin, client_as):
    response = client_as(admin).post(
        "/evenements/nouveau/",
        {
            "title": "À l'envers", "format": "in_person", "description": "x",
            "starts_at": "2031-11-04T18:00", "ends_at": "2031-11-04T17:00", "status": "published",
            "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert not Event.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"ends_at", "place"}


def test_the_join_link_shows_to_registrants_from_fifteen_minutes_before(admin, bob, client_as):
    soon = event_make(
        author=admin,
        starts_in=datetime.timedelta(minutes=10),
        join_url="https://visio.example.org/a",
    )
    later = event_make(
        author=admin, starts_in=datetime.timedelta(hours=2), join_url="https://visio.example.org/b"
    )
    client = client_as(bob)
    assert b"visio.example.org/a" not in client.get(f"/evenements/{soon.pk}/").content
    for event in (soon, later):
        services.registration_create(member=bob, event=event)
    assert (
        b'id="join" href="https://visio.example.org/a"'
        in client.get(f"/evenements/{soon.pk}/").content
    )
    assert b"visio.example.org/b" not in client.get(f"/evenements/{later.pk}/").content


def test_a_designated_organizer_writes_once_their_second_factor_is_set(admin, client_as):
    otto = account("Otto").member
    services.organizer_grant(member=otto, actor=admin)
    client = client_as(otto)
    response = client.get("/evenements/nouveau/")
    assert response.status_code == 302 and "totp" in response["Location"]
    TOTP.activate(otto.user, generate_totp_secret())
    assert client.get("/evenements/nouveau/").status_code == 200
    services.organizer_revoke(member=otto, actor=admin)
    assert client.get("/evenements/nouveau/").status_code == 404


def test_the_event_page_tells_the_waiting_position(admin, bob, client_as):
    event = event_make(author=admin, capacity=1)
    services.registration_create(member=account("Ana").member, event=event)
    services.registration_create(member=bob, event=event)
    page = client_as(bob).get(f"/evenements/{event.pk}/")
    assert page.context["waiting_position"] == 1
    assert Registration.objects.get(member=bob).status == Registration.Status.WAITING
