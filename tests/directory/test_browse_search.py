"""The directory's search and filters: accent-insensitive, combinable, facet counts equal to
the lists' counts, unpublished rows never listed nor counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.directory import search, selectors
from shared_apps.directory.models import Association, Initiative, Review
from shared_apps.directory.selectors import Filters
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def cast():
    cancer = data.pathology("Cancer du poumon")
    diabete = data.pathology("Diabète")
    info = data.theme("Information")
    return {
        "cancer": cancer, "diabete": diabete, "info": info,
        "a_bzh": data.association(
            "Souffle d'Armor", description="Thérapie ciblée et soutien", pathologies=[cancer],
            regions=["53"],
        ),
        "a_29": data.association("Diabète Finistère", pathologies=[diabete], departments=["29"]),
        "a_idf": data.association("Paris Souffle", pathologies=[cancer], regions=["11"]),
        "a_hidden": data.association(
            "Souffle caché", pathologies=[cancer], regions=["53"], review=Review.PROPOSED
        ),
        "a_refused": data.association(
            "Souffle refusé", pathologies=[cancer], regions=["53"], review=Review.REFUSED
        ),
        "i_bzh": data.initiative(
            "Marche thérapeutique", description="Une thérapie par la marche",
            pathologies=[cancer], themes=[info], region="53",
            department="29", form=Initiative.Form.ASSOCIATIVE,
            carrier=Initiative.Carrier.CAREGIVER,
        ),
        "i_reg": data.initiative(
            "Blog d'une aidante", pathologies=[diabete], region="53",
            carrier=Initiative.Carrier.CAREGIVER,
        ),
        "i_idf": data.initiative("Ateliers à Paris", pathologies=[cancer], region="11"),
        "i_hidden": data.initiative("Thérapie cachée", region="53", review=Review.PROPOSED),
        "e_bzh": data.event("Webinaire thérapie", pathologies=[cancer], region="53"),
        "e_past": data.event("Thérapie passée", pathologies=[cancer], region="53", days=-30),
        "e_hidden": data.event("Thérapie proposée", region="53", review=Review.PROPOSED),
        "r_pub": data.resource("Animer un webinaire", body="Thérapie et animation", themes=[info]),
        "r_draft": data.resource("Brouillon thérapie", published=False),
    }  # fmt: skip


def test_search_is_accent_insensitive_both_ways(cast):
    for text in ("therapie ciblee", "THÉRAPIE CIBLÉE", "thérapie ciblée"):
        assert ids(selectors.listings("association", Filters(q=text))) == {cast["a_bzh"].pk}
    # A folded query finds an accented title, and the other way round.
    assert ids(selectors.listings("initiative", Filters(q="therapeutique"))) == {cast["i_bzh"].pk}
    assert ids(selectors.listings("association", Filters(q="diabète"))) == {cast["a_29"].pk}
    assert ids(selectors.listings("association", Filters(q="diabete"))) == {cast["a_29"].pk}


def test_the_search_across_kinds_finds_only_published_rows(cast):
    hits = selectors.search("thérapie", Filters())
    found = {(hit.kind, hit.id) for hit in hits}
    assert found == {
        ("association", cast["a_bzh"].pk),
        ("initiative", cast["i_bzh"].pk),
        ("event", cast["e_bzh"].pk),
        ("resource", cast["r_pub"].pk),
    }
    # The title weighs more than the text: the event titled with it comes before the rest.
    assert hits[0].kind == "event"
    assert [h.id for h in selectors.search("thérapie", Filters(kinds=("initiative",)))] == [
        cast["i_bzh"].pk
    ]


def test_unpublished_rows_are_never_listed_nor_counted(cast):
    hidden = {cast[k].pk for k in ("a_hidden", "a_refused")}
    assert not hidden & ids(selectors.listings("association", Filters()))
    assert cast["i_hidden"].pk not in ids(selectors.listings("initiative", Filters()))
    assert ids(selectors.listings("event", Filters())) == {cast["e_bzh"].pk}
    assert ids(selectors.listings("resource", Filters())) == {cast["r_pub"].pk}
    counts = selectors.facets(None, Filters())
    assert counts["kinds"] == {"association": 3, "initiative": 3, "event": 1, "resource": 1}
    assert counts["pathologies"][cast["cancer"].slug] == 2 + 2 + 1


def test_filters_combine_and_areas_include_their_parts(cast):
    bzh = Filters(regions=("53",))
    assert ids(selectors.listings("association", bzh)) == {cast["a_bzh"].pk, cast["a_29"].pk}
    both = bzh.replace(pathologies=(cast["cancer"].slug,))
    assert ids(selectors.listings("association", both)) == {cast["a_bzh"].pk}
    # Finistère: the association serving Bretagne, the one serving the département, the
    # initiative there and the one of Bretagne without a département.
    finistere = Filters(departments=("29",))
    assert ids(selectors.listings("association", finistere)) == {cast["a_bzh"].pk, cast["a_29"].pk}
    assert ids(selectors.listings("initiative", finistere)) == {cast["i_bzh"].pk, cast["i_reg"].pk}
    # A filter of initiatives only leaves the other kinds out.
    caregivers = Filters(carriers=(Initiative.Carrier.CAREGIVER,))
    assert not ids(selectors.listings("association", caregivers))
    assert ids(selectors.listings("initiative", caregivers.replace(regions=("53",)))) == {
        cast["i_bzh"].pk, cast["i_reg"].pk,
    }  # fmt: skip
    # Two values of one filter are alternatives.
    two = Filters(regions=("53", "11"))
    assert len(ids(selectors.listings("initiative", two))) == 3


FILTER_SETS = [
    Filters(),
    Filters(regions=("53",)),
    Filters(q="souffle"),
    Filters(carriers=("caregiver",)),
    Filters(kinds=("initiative",), regions=("53",)),
    Filters(regions=("53", "11"), forms=("volunteer",)),
]


@pytest.mark.parametrize("index", range(len(FILTER_SETS)))
@pytest.mark.parametrize("kind", [None, *selectors.KINDS])
def test_each_facet_count_is_what_a_click_on_it_lists(cast, kind, index):
    filters = FILTER_SETS[index].replace(pathologies=()) if index == 0 else FILTER_SETS[index]
    if kind is not None and not filters.kinds:
        pass
    counts = selectors.facets(kind, filters)
    kinds = [kind] if kind else list(selectors.KINDS)

    def listed(clicked: Filters) -> int:
        chosen = [k for k in kinds if not clicked.kinds or k in clicked.kinds]
        return sum(selectors.listings(k, clicked).count() for k in chosen)

    for code, count in counts["regions"].items():
        assert count == listed(filters.replace(regions=(code,))), code
    for slug in ("cancer-du-poumon", "diabete"):
        count = counts["pathologies"].get(slug, 0)
        assert count == listed(filters.replace(pathologies=(slug,))), slug
    for name in ("forms", "carriers"):
        for value, count in counts[name].items():
            assert count == listed(filters.replace(**{name: (value,)})), (name, value)
    for each, count in counts["kinds"].items():
        assert count == selectors.listings(each, filters.replace(kinds=(each,))).count(), each


def test_reindex_writes_a_batch_in_one_update(cast):
    pks = list(Association.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert search.reindex(Association, pks) == len(pks)
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert len(queries.captured_queries) == 3  # the rows, their pathologies, the update
