"""Webinar themes from members' questions: the knowledge base's themes counted (waiting
questions, searches without result naming them), a draft webinar written from a theme in one
step with counts but no question's text, and the members who asked told once it is published,
only those who may see it, once."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tenant_apps.events import services, theme_selectors
from tenant_apps.events.models import Event, ThemeWebinar
from tenant_apps.knowledge import selectors as knowledge
from tenant_apps.knowledge.models import Category, MissedSearch, Question
from tenant_apps.members.models import ProfileType, Role, Space
from tenant_apps.notifications.models import Notification
from tests.members.factories import account

pytestmark = pytest.mark.django_db

SECRET = "Mon oncologue à Lyon, le Dr Martin, m'a dit que"


@pytest.fixture
def cast(tenant):
    admin = account("Alice", Role.ADMIN).member
    ana, bob, carla = (account(name).member for name in ("Ana", "Bob", "Carla"))
    Category.objects.all().delete()  # the seeded themes: this test's own instead
    immuno = Category.objects.create(name="Immunothérapie", slug="immunotherapie", position=1)
    fatigue = Category.objects.create(name="Fatigue", slug="fatigue", position=2)
    Category.objects.create(name="Droits", slug="droits-sociaux", position=3)
    Question.objects.create(asker=ana, text=SECRET + " ça fatigue", category=immuno)
    Question.objects.create(asker=ana, text="Et la peau ?", category=immuno)
    Question.objects.create(
        asker=bob, text="Combien de cures ?", category=immuno, status=Question.Status.WEBINAR
    )
    Question.objects.create(  # answered with an article: not waiting
        asker=carla, text="Qu'est-ce que c'est ?", category=immuno,
        status=Question.Status.ANSWERED,
    )  # fmt: skip
    Question.objects.create(asker=carla, text="Je suis épuisée", category=fatigue)
    today = timezone.localdate()
    for query, day, count in (
        ("immunotherapie effets", today, 3),
        ("immunotherapie", today - datetime.timedelta(days=10), 2),
        ("immunotherapie", today - datetime.timedelta(days=200), 50),  # too old
        ("droits sociaux mdph", today, 4),
        ("nausees", today, 7),  # no theme
    ):
        MissedSearch.objects.create(query=query, day=day, count=count)
    return admin, ana, bob, carla, immuno, fatigue


def test_themes_are_counted_by_questions_and_searches(cast):
    *_, immuno, fatigue = cast
    demand = {t.category.slug: (t.questions, t.gaps) for t in knowledge.themes_demand()}
    assert demand == {"immunotherapie": (3, 5), "fatigue": (1, 0), "droits-sociaux": (0, 4)}
    assert [t.category.slug for t in knowledge.themes_demand()] == [
        "immunotherapie", "droits-sociaux", "fatigue"
    ]  # fmt: skip
    admin, ana, bob, carla, *_ = cast
    assert knowledge.theme_askers(immuno) == sorted([ana.pk, bob.pk])


def test_a_draft_webinar_from_a_theme_tells_nobody_until_published(cast):
    admin, ana, bob, carla, immuno, fatigue = cast
    event = services.webinar_from_theme(category=immuno, by=admin)
    assert event.status == Event.Status.DRAFT
    assert event.format == Event.Format.WEBINAR
    assert "Immunothérapie" in event.title
    assert "3" in event.description and "5" in event.description
    assert "oncologue" not in event.description and "peau" not in event.description
    origin = ThemeWebinar.objects.get(event=event)
    assert set(origin.askers.values_list("pk", flat=True)) == {ana.pk, bob.pk}
    assert not Notification.objects.exists()

    services.event_update(event=event, by=admin, title="Immunothérapie : vos questions")
    assert not Notification.objects.exists()  # still a draft

    services.event_update(event=event, by=admin, status=Event.Status.PUBLISHED)
    told = Notification.objects.order_by("recipient_id")
    assert [n.recipient_id for n in told] == sorted([ana.pk, bob.pk])  # one each, not Carla
    assert {n.url for n in told} == {reverse("events:event", args=[event.pk])}
    assert {n.subject for n in told} == {"Immunothérapie : vos questions"}
    origin.refresh_from_db()
    assert origin.told_at is not None

    services.event_update(event=event, by=admin, title="Immunothérapie (2)")
    assert services.theme_askers_tell(event=event) == 0
    assert Notification.objects.count() == 2


def test_askers_who_cannot_see_the_webinar_are_not_told(cast):
    admin, ana, bob, carla, immuno, fatigue = cast
    caregivers = Space.objects.get(slug="proches-aidants")  # Ana and Bob are patients
    assert ProfileType.PATIENT not in caregivers.audience
    event = services.webinar_from_theme(category=immuno, by=admin)
    services.event_update(event=event, by=admin, space=caregivers, status=Event.Status.PUBLISHED)
    assert not Notification.objects.filter(recipient__in=[ana, bob]).exists()


def test_only_those_who_write_events_make_webinars_from_themes(cast):
    admin, ana, bob, carla, immuno, fatigue = cast
    with pytest.raises(Http404):
        services.webinar_from_theme(category=immuno, by=ana)
    with pytest.raises(Http404):
        theme_selectors.themes_for(ana)
    assert not Event.objects.exists()


def test_the_themes_page_lists_counts_and_creates_a_webinar(
    cast, client_as, django_assert_max_num_queries
):
    admin, ana, bob, carla, immuno, fatigue = cast
    client = client_as(admin)
    for n in range(8):  # more themes cost no more queries
        Category.objects.create(name=f"Thème {n}", slug=f"theme-{n}", position=10 + n)
    fatigue_webinar = services.webinar_from_theme(category=fatigue, by=admin)
    with django_assert_max_num_queries(14):
        page = client.get("/evenements/themes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="questions-{immuno.pk}">3<' in html
    assert f'id="gaps-{immuno.pk}">5<' in html
    assert f'href="/evenements/{fatigue_webinar.pk}/"' in html  # the theme's webinar listed
    assert SECRET not in html and "épuisée" not in html and "Ana" not in html

    response = client.post(f"/evenements/themes/{immuno.pk}/webinaire/")
    event = Event.objects.get(theme_origin__category=immuno)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:edit", args=[event.pk])
    assert client.get(f"/evenements/themes/{immuno.pk}/webinaire/").status_code == 405
    assert client.post("/evenements/themes/999999/webinaire/").status_code == 404


def test_members_get_404_from_the_themes_pages(cast, client_as):
    admin, ana, bob, carla, immuno, fatigue = cast
    client = client_as(ana)
    assert client.get("/evenements/themes/").status_code == 404
    assert client.post(f"/evenements/themes/{immuno.pk}/webinaire/").status_code == 404
    assert not Event.objects.exists()


def test_an_organizer_makes_a_webinar_from_a_theme(cast):
    admin, ana, bob, carla, immuno, fatigue = cast
    otto = account("Otto").member
    TOTP.activate(otto.user, generate_totp_secret())
    services.organizer_grant(member=otto, actor=admin)
    otto = type(otto).objects.get(pk=otto.pk)
    event = services.webinar_from_theme(category=immuno, by=otto)
    assert event.author == otto


def test_the_webinars_description_counts_in_words_that_agree_with_the_numbers(cast):
    admin, _ana, _bob, _carla, immuno, _fatigue = cast
    event = services.webinar_from_theme(category=immuno, by=admin)
    demand = knowledge.theme_demand(immuno)
    counted = event.description.split("\n\n")[1]
    questions = "question de membre" if demand.questions == 1 else "questions de membres"
    assert counted.startswith(f"{demand.questions} {questions} et {demand.gaps} recherche")
