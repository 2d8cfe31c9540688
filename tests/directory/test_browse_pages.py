"""The directory's pages on the platform's domain: what they list, their filters as links,
their query counts with two sizes of data, the listings' pages and the calendar's feed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as _reverse
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.directory.models import Review
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


def reverse(name: str, args=()) -> str:
    return _reverse(name, args=args, urlconf="config.urls_public")


@pytest.fixture
def client():
    with schema_context("public"):
        provisioning.platform_ensure()
        return Client(HTTP_HOST="localhost")


def test_smoke(client):
    cancer = data.pathology("Cancer du poumon")
    a = data.association("Souffle d'Armor", pathologies=[cancer], regions=["53"])
    i = data.initiative("Marche", pathologies=[cancer], region="53")
    e = data.event("Webinaire", pathologies=[cancer], region="53")
    r = data.resource("Guide")
    for url in [
        "/",
        reverse("directory:search"),
        reverse("directory:search") + "?q=souffle&region=53",
        reverse("directory:associations"),
        reverse("directory:initiatives"),
        reverse("directory:resources"),
        reverse("directory:agenda"),
        reverse("directory:agenda_ics"),
        reverse("directory:association", args=[a.slug]),
        reverse("directory:initiative", args=[i.slug]),
        reverse("directory:resource", args=[r.slug]),
        reverse("directory:event", args=[e.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def _fill(size: int, cancer, info) -> None:
    """``size`` listings of each kind, named alike so that a page across kinds mixes them
    whatever the size (the search's order: rank, name, kind)."""
    start = _fill.made
    for n in range(start, start + size):
        name = f"Souffle {n:03d}"
        data.association(name, pathologies=[cancer], regions=["53"])
        data.initiative(name, pathologies=[cancer], themes=[info], region="53")
        data.event(name, pathologies=[cancer], region="53", days=n + 1, summary=f"Sortie {name}")
        data.resource(name, themes=[info])
    _fill.made = start + size


_fill.made = 0


PAGES = {
    "home": "/",
    "search": "/annuaire/recherche/?q=souffle&region=53",
    "search_all": "/annuaire/recherche/",
    "associations": "/annuaire/associations/?pathology=cancer-du-poumon",
    "initiatives": "/annuaire/initiatives/?region=53&form=volunteer",
    "resources": "/annuaire/ressources/?theme=information",
    "agenda": "/annuaire/agenda/?format=webinar",
    "ics": "/annuaire/agenda/agenda.ics?region=53",
}


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured.captured_queries)


def test_each_page_runs_as_many_queries_for_3_or_30_listings_of_each_kind(client):
    """Facets are conditional aggregates and pages prefetch: no query per row or value."""
    cancer, info = data.pathology("Cancer du poumon"), data.theme("Information")
    _fill.made = 0
    _fill(3, cancer, info)
    client.get("/")  # the host's lookup, cached after the first request
    small = {name: _queries(client, path) for name, path in PAGES.items()}
    _fill(27, cancer, info)
    large = {name: _queries(client, path) for name, path in PAGES.items()}
    assert large == small
    # The whole search page, facets included, stays a handful of queries.
    assert small["search"] <= 16, small
    assert small["associations"] <= 8, small


def test_pages_are_stable_and_every_row_appears_once(client):
    cancer = data.pathology("Cancer du poumon")
    # Same names: the id breaks the tie, so no row is shown twice or skipped across pages.
    made = [data.association("Même nom", pathologies=[cancer]).slug for _n in range(45)]
    seen = []
    for number in (1, 2, 3):
        response = client.get(f"/annuaire/associations/?page={number}")
        seen += [row.slug for row in response.context["page"].rows]
    assert sorted(seen) == sorted(made)
    assert response.context["page"].pages == 3
    # A page past the end shows the last one; a page that is no number, the first.
    assert client.get("/annuaire/associations/?page=99").context["page"].number == 3
    assert client.get("/annuaire/associations/?page=x").context["page"].number == 1


def test_the_counts_beside_the_filters_are_what_each_link_lists(client):
    cancer, diabete = data.pathology("Cancer du poumon"), data.pathology("Diabète")
    data.association("A", pathologies=[cancer], regions=["53"])
    data.association("B", pathologies=[diabete], regions=["53"])
    data.association("C", pathologies=[cancer], regions=["11"])
    data.association("D cachée", pathologies=[cancer], regions=["53"], review=Review.PROPOSED)
    response = client.get("/annuaire/associations/?region=53")
    assert response.context["total"] == 2
    groups = {group["name"]: group for group in response.context["facet_groups"]}
    for group in groups.values():
        for option in group["options"]:
            # The count shown beside a value is the total of the page its box leads to
            # (added to the other filters; for a value of the same filter, alone with it).
            others = "" if group["name"] == "regions" else "region=53&"
            linked = client.get(
                f"/annuaire/associations/?{others}{group['parameter']}={option['value']}"
            )
            assert linked.context["total"] == option["count"], (group["name"], option)
    assert {o["value"]: o["count"] for o in groups["regions"]["options"]} == {"53": 2, "11": 1}
    assert {o["value"]: o["count"] for o in groups["pathologies"]["options"]} == {
        "cancer-du-poumon": 1, "diabete": 1,
    }  # fmt: skip


def test_filters_are_links_that_work_without_javascript(client):
    cancer = data.pathology("Cancer du poumon")
    data.association("Souffle d'Armor", pathologies=[cancer], regions=["53"])
    page = client.get("/annuaire/associations/?region=53&pathology=cancer-du-poumon")
    html = page.content.decode()
    # The form submits by GET to the same list, its boxes ticked; each active filter has a
    # link that removes it alone.
    assert 'method="get" action="/annuaire/associations/"' in html
    assert 'name="region" value="53" checked' in html
    assert 'name="pathology" value="cancer-du-poumon" checked' in html
    removes = {a["parameter"]: a["remove"] for a in page.context["active_filters"]}
    assert removes == {"pathology": "region=53", "region": "pathology=cancer-du-poumon"}
    # Bad values are dropped, never an error.
    odd = client.get("/annuaire/associations/?region=99&form=x&pathology=%3Cb%3E&q=" + "a" * 5000)
    assert odd.status_code == 200
    assert odd.context["filters"].regions == () and odd.context["filters"].pathologies == ()
    assert len(odd.context["filters"].q) == 200


def test_the_association_page_says_when_it_was_confirmed_and_may_be_out_of_date(client):
    from datetime import timedelta

    from django.utils import timezone

    fresh = data.association(
        "Fraîche", confirmed_at=timezone.now() - timedelta(days=30), approval="national",
        approval_ends=timezone.now().date() + timedelta(days=400),
        regions=["53"], departments=["75"],
    )  # fmt: skip
    old = data.association("Ancienne", confirmed_at=timezone.now() - timedelta(days=400))
    fresh_page = client.get(f"/annuaire/associations/{fresh.slug}/")
    assert fresh_page.context["outdated"] is False
    assert 'id="outdated"' not in fresh_page.content.decode()
    assert fresh_page.context["areas"] == ["Bretagne", "Paris (75)"]
    assert 'id="last-confirmed"' in fresh_page.content.decode()
    old_page = client.get(f"/annuaire/associations/{old.slug}/")
    assert old_page.context["outdated"] is True
    assert 'id="outdated"' in old_page.content.decode()


def test_a_customers_association_shows_its_networks(client, tenant):
    from shared_apps.directory.models import AssociationNetwork

    with schema_context("public"):
        row = data.association("Cliente")
        AssociationNetwork.objects.create(
            association=row, tenant=tenant, name="Réseau Alpha", url="https://alpha.example.org"
        )
        page = client.get(f"/annuaire/associations/{row.slug}/")
    html = page.content.decode()
    assert 'id="networks"' in html and 'href="https://alpha.example.org"' in html


def test_the_calendar_feed_lists_the_filtered_upcoming_events_with_platform_links(client, settings):
    cancer = data.pathology("Cancer du poumon")
    bzh = data.event("Marche en Bretagne", region="53", format="in_person", online=False,
                     place="Rennes", pathologies=[cancer])  # fmt: skip
    data.event("Webinaire national", region="")
    data.event("Passé", region="53", days=-3)
    data.event("Proposé", region="53", review=Review.PROPOSED)
    response = client.get("/annuaire/agenda/agenda.ics?region=53", HTTP_HOST="localhost")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:directory-event-{bzh.pk}@{settings.PLATFORM_DOMAIN}" in body
    assert f"/annuaire/agenda/{bzh.pk}/" in body and "LOCATION:Rennes" in body
    page = client.get("/annuaire/agenda/?region=53&format=in_person")
    assert [row.pk for row in page.context["page"].rows] == [bzh.pk]
    assert 'href="/annuaire/agenda/agenda.ics?region=53&amp;format=in_person"' in (
        page.content.decode()
    )


def test_every_filtered_list_links_to_its_csv_export(client):
    data.association("Souffle d'Armor", regions=["53"])
    html = client.get("/annuaire/associations/?region=53&q=souffle").content.decode()
    assert 'href="/annuaire/export.csv?kind=association&amp;q=souffle&amp;region=53"' in html
    agenda = client.get("/annuaire/agenda/?format=webinar").content.decode()
    assert 'href="/annuaire/export.csv?kind=event&amp;format=webinar"' in agenda
    # The search across kinds has one once a single kind is chosen.
    assert "export.csv" not in client.get("/annuaire/recherche/?q=souffle").content.decode()
    one = client.get("/annuaire/recherche/?q=souffle&kind=initiative").content.decode()
    assert 'href="/annuaire/export.csv?kind=initiative&amp;q=souffle"' in one
