"""The directory's search stays a fixed number of queries whatever its size, and what makes
it fast (SQL compiled once per filter set, the ids each row carries for the facets) never
changes what it finds or counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared_apps.directory import search, selectors
from shared_apps.directory.models import DirectoryEvent, Initiative
from shared_apps.directory.selectors import Filters
from shared_apps.directory.views import PAGE_FACETS
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


def _fill(size: int, cancer, diabete, info, *, names: tuple[str, ...]) -> None:
    association, initiative, event, resource = names
    for n in range(size):
        data.association(
            f"{association} {n}", pathologies=[cancer] if n % 2 else [cancer, diabete],
            regions=["53"] if n % 3 else [], departments=["29"] if n % 3 == 1 else [],
        )  # fmt: skip
        data.initiative(
            f"{initiative} {n}", pathologies=[diabete], themes=[info],
            region="53" if n % 2 else "11", form=Initiative.Form.values[n % 4],
        )  # fmt: skip
        data.event(f"{event} {n}", pathologies=[cancer], region="53")
        data.resource(f"{resource} {n}", themes=[info])


def _search_page(filters: Filters) -> int:
    """The search page's own calls (views.search): its facets, then its ranked page."""
    with CaptureQueriesContext(connection) as queries:
        selectors.facets(None, filters, only=PAGE_FACETS[None])
        hits = selectors.search(filters.q, filters, offset=0, limit=20)
        assert all(hit.obj is not None for hit in hits)
    return len(queries.captured_queries)


SEARCHES = [
    Filters(q="souffle"),
    Filters(),
    Filters(q="souffle", regions=("53",)),
    Filters(q="marche", pathologies=("diabete",), forms=("associative",)),
]


def test_a_search_costs_the_same_queries_for_3_or_30_listings_of_each_kind():
    """One query for the facets of every kind, one for the ranked page, then each kind
    found: its rows and their pathologies (a resource: its themes)."""
    cancer, diabete = data.pathology("Cancer du poumon"), data.pathology("Diabète")
    info = data.theme("Information")
    _fill(
        3, cancer, diabete, info, names=("Souffle", "Marche", "Webinaire souffle", "Guide souffle")
    )
    small = [_search_page(filters) for filters in SEARCHES]
    # As many more of each kind, found by no text but first by name: each kind is still on
    # the first page of every search.
    _fill(27, cancer, diabete, info, names=("Autre",) * 4)
    large = [_search_page(filters) for filters in SEARCHES]
    assert large == small
    # "souffle": the facets, the page, 3 kinds found × 2 (no initiative says it). No text:
    # 1 + 1 + 4 × 2. A région: 1 + 1 + 2 × 2 (resources left out). A form: initiatives only.
    # Each of the two answers first reads the directory's version and when the next event
    # ends (search_cache): 4 more.
    assert small == [12, 14, 10, 8]
    # Asked again before any write: the version alone, for each answer.
    assert [_search_page(filters) for filters in SEARCHES] == [2, 2, 2, 2]


def test_reindex_keeps_the_ids_the_facets_count():
    cancer, diabete = data.pathology("Cancer du poumon"), data.pathology("Diabète")
    info, research = data.theme("Information"), data.theme("Recherche")
    row = data.initiative("Marche", pathologies=[cancer, diabete], themes=[info])
    row.refresh_from_db()
    assert row.pathology_ids == sorted([cancer.pk, diabete.pk])
    assert row.theme_ids == [info.pk]
    row.pathologies.set([diabete])
    row.themes.set([research])
    search.reindex(Initiative, [row.pk])
    row.refresh_from_db()
    assert (row.pathology_ids, row.theme_ids) == ([diabete.pk], [research.pk])
    counts = selectors.facets("initiative", Filters())
    assert counts["pathologies"] == {diabete.slug: 1}
    assert counts["themes"] == {research.slug: 1}


def test_a_compiled_filter_set_binds_each_searchs_text_and_time():
    """The SQL of a filter set is kept once compiled; the text, the page and the time are
    each call's own (an event that ends meanwhile is no longer counted nor found)."""
    cancer = data.pathology("Cancer du poumon")
    data.association("Souffle d'Armor", pathologies=[cancer], regions=["53"])
    data.initiative("Marche bretonne", pathologies=[cancer], region="53")
    event = data.event("Webinaire souffle", pathologies=[cancer], region="53")
    bzh = Filters(regions=("53",))
    for text, expected in (("souffle", {"association": 1, "event": 1}), ("marche", {})):
        counts = selectors.facets(None, bzh.replace(q=text))["kinds"]
        assert {k: n for k, n in counts.items() if n} == (expected or {"initiative": 1})
    found = selectors.search("souffle", bzh)
    assert {(hit.kind, hit.id) for hit in found} >= {("event", event.pk)}
    second = selectors.search("souffle", bzh, offset=1, limit=1)
    assert [hit.kind for hit in second] == [found[1].kind]
    DirectoryEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert selectors.facets(None, bzh.replace(q="souffle"))["kinds"]["event"] == 0
    hits = selectors.search("souffle", bzh)
    assert ("event", event.pk) not in {(hit.kind, hit.id) for hit in hits}
