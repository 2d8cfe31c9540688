"""The map's counts are the list's counts, for every région and every département, with
and without another filter; unpublished rows never count; the queries do not grow with
the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import geo
from shared_apps.directory import geography, selectors
from shared_apps.directory.models import Review
from shared_apps.directory.selectors import Filters
from tests.directory import map_data as data

pytestmark = pytest.mark.django_db


def listed(filters: Filters) -> int:
    return sum(selectors.listings(kind, filters).count() for kind in geography.KINDS)


def test_every_area_counts_what_its_list_lists():
    cancer, diabete = data.pathology("Cancer du sein"), data.pathology("Diabète")
    data.spread(40, pathologies=[cancer, diabete])
    for filters in (Filters(), Filters(pathologies=(cancer.slug,))):
        counts = geography.area_counts(filters)
        for code in geo.REGIONS:
            assert counts["regions"][code] == listed(filters.replace(regions=(code,))), code
        for code in geo.DEPARTMENT_REGION:
            assert counts["departments"][code] == listed(filters.replace(departments=(code,))), code
    # The spread reaches every région, overseas included, and the counts are not all alike.
    counts = geography.area_counts(Filters())
    assert all(counts["regions"][code] > 0 for code in geo.REGIONS)
    assert len(set(counts["departments"].values())) > 2


def test_only_published_rows_count_and_areas_hold_their_parts():
    data.association(regions=["53"])  # the whole of Bretagne: each of its départements
    data.association(departments=["29"])
    data.association(departments=["971"])
    data.association(regions=["53"], review=Review.PROPOSED)
    data.initiative(region="53", department="35")
    data.initiative(region="53")  # somewhere in Bretagne: each département's list has it
    data.initiative(region="", department="")  # national: on no area
    data.initiative(region="53", review=Review.REFUSED)
    counts = geography.area_counts(Filters())
    assert counts["regions"]["53"] == 4
    assert counts["regions"]["01"] == 1
    assert counts["regions"]["11"] == 0
    assert counts["departments"]["29"] == 3
    assert counts["departments"]["35"] == 3
    assert counts["departments"]["22"] == 2
    assert counts["departments"]["971"] == 1
    # A filter on the kinds counts only that kind.
    only = geography.area_counts(Filters(kinds=("initiative",)))
    assert only["regions"]["53"] == 2


@pytest.mark.parametrize("level", geography.LEVELS)
def test_the_map_draws_every_area_with_its_shade(level):
    data.association(regions=["84"])
    for _ in range(9):
        data.initiative(region="11", department="75")
    france = geography.france_map(level, Filters())
    codes = {area.code for area in france.areas}
    assert codes == set(geo.REGIONS if level == "regions" else geo.DEPARTMENT_REGION)
    assert {"971", "972", "973", "974", "976"} <= {area.code for area in france.areas} | {
        dep for area in france.areas for dep, _n in geo.REGIONS.get(area.code, ("", ()))[1]
    }
    by_code = {area.code: area for area in france.areas}
    top = by_code["11" if level == "regions" else "75"]
    assert top.count == 9
    assert top.shade == len(france.legend) - 1
    assert top.colour == france.legend[-1].colour
    assert all(area.path.startswith("M") for area in france.areas)
    empty = by_code["94" if level == "regions" else "2A"]
    assert (empty.count, empty.shade) == (0, 0)
    # The legend covers 0 to the highest count without a gap.
    assert france.legend[0].low == france.legend[0].high == 0
    for before, after in zip(france.legend, france.legend[1:], strict=False):
        assert after.low == before.high + 1
    assert france.legend[-1].high == 9


def test_legend_steps():
    assert [(s.low, s.high) for s in geography.legend(0)] == [(0, 0)]
    assert [(s.low, s.high) for s in geography.legend(2)] == [(0, 0), (1, 1), (2, 2)]
    assert [(s.low, s.high) for s in geography.legend(10)] == [
        (0, 0), (1, 2), (3, 4), (5, 6), (7, 8), (9, 10)
    ]  # fmt: skip
    assert geography.legend(11)[-1].high == 11


@pytest.mark.parametrize("size", [4, 24])
def test_counting_costs_one_query_per_kind(size):
    data.spread(size, pathologies=[data.pathology("Asthme")])
    with CaptureQueriesContext(connection) as queries:
        geography.area_counts(Filters(pathologies=("asthme",)))
    assert len(queries) == len(geography.KINDS)


def test_the_geometry_file_is_small_and_credited():
    assert geography.GEODATA.stat().st_size < 150 * 1024
    text, url = geography.credit()
    assert "IGN" in text and "Licence Ouverte" in text
    assert url.startswith("https://")
