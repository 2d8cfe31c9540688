"""Events in the network's search, one more source beside articles and forum topics: found
through the events' own rule (events.access), never a draft, a space's event only by those
who see the space, a cancelled event marked."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from core.search import CONFIG
from tenant_apps.events import search as events_search
from tenant_apps.events import services as events_services
from tenant_apps.events.models import Event
from tenant_apps.knowledge import selectors
from tests.events.factories import event_make

pytestmark = pytest.mark.django_db

READERS = ("member", "outsider", "moderator", "admin", "editor", "reviewer")


def titles(result) -> list[str]:
    return [hit.obj.title for hit in result.hits]


@pytest.fixture
def make_event(people):
    def make(title: str, description: str = "Un pneumologue répond.", **fields) -> Event:
        return event_make(author=people["admin"].member, title=title, description=description,
                          **fields)  # fmt: skip

    return make


def test_the_events_source_is_found_through_the_hooks():
    assert [source.kind for source in selectors.other_sources()] == ["event"]


def test_an_event_is_found_by_its_title_and_its_description(make_event, member_of):
    make_event("Immunothérapie : gérer les effets secondaires")
    make_event("Marche d'automne", "Une balade douce au bord du lac, avec des pauses.")
    reader = member_of("member")
    result = selectors.search(member=reader, text="immunotherapie")
    assert titles(result) == ["Immunothérapie : gérer les effets secondaires"]
    assert result.hits[0].kind == "event"
    assert "<mark>Immunothérapie</mark>" in result.hits[0].title_html
    result = selectors.search(member=reader, text="balades")
    assert titles(result) == ["Marche d'automne"]
    assert "<mark>balade</mark>" in result.hits[0].snippet_html


def test_a_member_of_another_space_finds_nothing_of_a_space_event(
    make_event, member_of, spaces, client_as
):
    make_event("Sophrologie pour les patients", "La sophrologie apaise.", space=spaces["patients"])
    make_event("Atelier de cuisine", "Recettes simples.")
    patient, caregiver = member_of("member"), member_of("outsider")
    assert titles(selectors.search(member=patient, text="sophrologie")) == [
        "Sophrologie pour les patients"
    ]
    result = selectors.search(member=caregiver, text="sophrologie")
    assert result.total == 0 and result.hits == []
    # The rule is the events', not a missing word: the other event is found.
    assert titles(selectors.search(member=caregiver, text="cuisine")) == ["Atelier de cuisine"]
    page = client_as("outsider").get("/recherche/", {"q": "sophrologie"})
    assert page.status_code == 200
    assert page.context["result"].total == 0
    text = page.content.decode()
    assert "Sophrologie pour" not in text and "apaise" not in text
    seen = client_as("member").get("/recherche/", {"q": "sophrologie"}).content.decode()
    assert "<mark>Sophrologie</mark> pour les patients" in seen and "apaise" in seen


def test_a_draft_is_found_by_nobody(make_event, member_of):
    make_event("Relaxation guidée", status=Event.Status.DRAFT)
    for who in READERS:
        assert selectors.search(member=member_of(who), text="relaxation").total == 0, who


def test_a_suspended_member_finds_no_event(make_event, member_of):
    make_event("Relaxation guidée")
    member = member_of("member")
    member.status = member.Status.SUSPENDED
    assert selectors.search(member=member, text="relaxation").total == 0


def test_a_cancelled_event_is_found_and_marked(make_event, people, client_as):
    event = make_event(
        "Reprendre le sport après un stent",
        starts_at=datetime.datetime(2031, 3, 4, 14, 30, tzinfo=datetime.UTC),
    )
    events_services.event_cancel(event=event, by=people["admin"].member)
    response = client_as("member").get("/recherche/", {"q": "stent"})
    assert [hit.kind for hit in response.context["result"].hits] == ["event"]
    page = response.content.decode()
    hit = page[page.index('class="result result-event"') :]
    hit = hit[: hit.index("</li>")]
    assert f'href="/evenements/{event.pk}/"' in hit
    assert "<mark>stent</mark>" in hit
    assert "Webinar" in hit or "Webinaire" in hit  # the format
    assert 'datetime="2031-03-04T' in hit  # the date
    assert "Cancelled" in hit or "Annulé" in hit


def test_an_event_not_cancelled_is_not_marked(make_event, client_as):
    make_event("Reprendre le sport après un stent")
    page = client_as("member").get("/recherche/", {"q": "stent"}).content.decode()
    hit = page[page.index('class="result result-event"') :]
    assert "Cancelled" not in hit[: hit.index("</li>")]
    assert "Annulé" not in hit[: hit.index("</li>")]


def test_the_type_filter_keeps_only_events_and_a_theme_leaves_them_out(
    make_event, make_article, member_of
):
    make_event("La fatigue en questions")
    make_article("Vivre avec la fatigue")
    reader = member_of("member")
    assert sorted(h.kind for h in selectors.search(member=reader, text="fatigue").hits) == [
        "article",
        "event",
    ]
    assert titles(selectors.search(member=reader, text="fatigue", kind="event")) == [
        "La fatigue en questions"
    ]
    assert titles(selectors.search(member=reader, text="fatigue", kind="article")) == [
        "Vivre avec la fatigue"
    ]


def test_an_edited_event_is_found_by_its_new_words(make_event, people, member_of):
    event = make_event("Atelier")
    events_services.event_update(
        event=event, by=people["admin"].member, title="Atelier nutrition",
        description="Manger avec une chimiothérapie.",
    )  # fmt: skip
    reader = member_of("member")
    assert titles(selectors.search(member=reader, text="nutrition")) == ["Atelier nutrition"]
    assert titles(selectors.search(member=reader, text="chimiotherapie")) == ["Atelier nutrition"]


@pytest.mark.parametrize("first", ["outsider", "member"])
def test_each_reader_gets_the_candidates_of_the_events_rule(make_event, member_of, spaces, first):
    make_event("La fatigue des patients", space=spaces["patients"])
    make_event("La fatigue des aidants", space=spaces["proches-aidants"])
    make_event("La fatigue, parlons-en")
    make_event("La fatigue en brouillon", status=Event.Status.DRAFT)
    events_search._EVENTS._plans.clear()
    query = SearchQuery("fatigue", search_type="websearch", config=CONFIG)
    seen = {}
    for name in [first, *(n for n in READERS if n != first)]:
        member = member_of(name)
        sql, params = events_search.candidates(member, "fatigue")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = {row[0] for row in cursor.fetchall()}
        readable = Event.objects.visible_to(member).filter(search_vector=query)
        assert found == set(readable.values_list("pk", flat=True)), name
        seen[name] = found
    assert seen["member"] != seen["outsider"]


def test_the_search_page_queries_do_not_grow_with_events(
    make_event, client_as, django_assert_max_num_queries
):
    client = client_as("member")
    client.get("/")
    make_event("La fatigue au quotidien")
    with django_assert_max_num_queries(12):
        assert client.get("/recherche/", {"q": "fatigue"}).status_code == 200
    for number in range(12):
        make_event(f"Fatigue, rencontre {number}")
    with django_assert_max_num_queries(12):
        response = client.get("/recherche/", {"q": "fatigue"})
    assert response.context["result"].total == 13
