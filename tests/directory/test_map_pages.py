"""The map page (/annuaire/carte/, /annuaire/carte/departements/): every area drawn as a
link with an accessible name and its count, linking to the filtered list whose count is
the same; the figures as a table; the filters kept; the credit shown; queries constant."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils.translation import gettext, ngettext

from core import geo
from provisioning import services as provisioning
from shared_apps.directory import forms_filters, geography, selectors
from shared_apps.directory.models import Review
from tests.directory import map_data as data

pytestmark = pytest.mark.django_db

AREA_LINK = re.compile(
    r'<a class="map-area" href="(?P<href>[^"]+)" aria-label="(?P<label>[^"]+)">\s*'
    r"<title>[^<]*</title>\s*"
    r'<path d="M[^"]+" fill="(?P<fill>#[0-9a-f]{6})" data-code="(?P<code>[0-9AB]+)" '
    r'data-count="(?P<count>\d+)"/>'
)


@pytest.fixture
def platform(db):
    provisioning.platform_ensure()
    return Client(HTTP_HOST="localhost")


def areas(page: str) -> dict[str, dict[str, str]]:
    return {
        m["code"]: {k: unescape(v) for k, v in m.groupdict().items()}
        for m in AREA_LINK.finditer(page)
    }


def listed(query: str) -> int:
    """What the list at that address lists, through the list's own parsing and selectors."""
    filters = forms_filters.filters_from({key: values for key, values in parse_qs(query).items()})
    return sum(selectors.listings(kind, filters).count() for kind in filters.kinds)


@pytest.mark.parametrize(
    ("path", "codes", "parameter"),
    [
        ("/annuaire/carte/", geo.REGIONS, "region"),
        ("/annuaire/carte/departements/", geo.DEPARTMENT_REGION, "department"),
    ],
)
def test_each_area_links_to_a_list_of_as_many_listings(platform, path, codes, parameter):
    cancer = data.pathology("Cancer colorectal")
    data.spread(30, pathologies=[cancer])
    for query in ("", f"?pathology={cancer.slug}", "?kind=initiative"):
        response = platform.get(path + query)
        assert response.status_code == 200
        page = response.content.decode()
        drawn = areas(page)
        assert set(drawn) == set(codes)
        for code, area in drawn.items():
            link = urlsplit(area["href"])
            assert link.path == "/annuaire/recherche/"
            asked = parse_qs(link.query)
            assert asked[parameter] == [code]
            count = int(area["count"])
            assert listed(link.query) == count, (query, code)
            if "pathology" in query:
                assert asked["pathology"] == [cancer.slug]
            assert asked["kind"] == (
                ["initiative"] if "kind" in query else ["association", "initiative"]
            )
            # Announced with its name and count, as a screen reader reads the link.
            name = (
                dict(geo.REGIONS).get(code, (None,))[0]
                if parameter == "region"
                else geo.DEPARTMENT_NAMES[code]
            )
            assert area["label"] == ngettext(
                "%(name)s: %(counter)s association or initiative",
                "%(name)s: %(counter)s associations and initiatives",
                count,
            ) % {"name": name, "counter": count}
            # The table has the same figure for the area, linking to the same list.
            row = re.search(rf'<tr id="area-{code}">(.*?)</tr>', page, re.S).group(1)
            assert f'href="{link.path}?{link.query}"'.replace("&", "&amp;") in row
            assert f'data-count="{count}"' in row


def test_the_map_shows_its_source_and_legend_and_no_script(platform):
    data.association(regions=["04"])
    page = platform.get("/annuaire/carte/").content.decode()
    text, url = geography.credit()
    assert unescape(text) in unescape(page) and f'href="{url}"' in page
    assert 'class="map-legend"' in page
    assert "<script" not in page.split("<main", 1)[-1]
    # La Réunion drawn, in its inset, and shaded.
    assert areas(page)["04"]["count"] == "1"
    assert areas(page)["04"]["fill"] != geography.SHADES[0]
    assert gettext("By département") in page


def test_an_unknown_filter_value_is_ignored_not_an_error(platform):
    data.initiative(region="76")
    for query in ("?pathology=%00", "?kind=event", "?pathology=" + "x" * 1_000_000, "?region=99"):
        response = platform.get("/annuaire/carte/" + query)
        assert response.status_code == 200
        assert areas(response.content.decode())["76"]["count"] == "1"


@pytest.mark.parametrize("path", ["/annuaire/carte/", "/annuaire/carte/departements/"])
def test_the_map_costs_the_same_queries_for_more_listings(
    platform, path, django_assert_num_queries
):
    data.spread(3, pathologies=[data.pathology("Asthme")])
    platform.get(path)  # the host, resolved and cached
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        platform.get(path + "?pathology=asthme")
    data.spread(30, pathologies=[data.pathology("Asthme")])
    with CaptureQueriesContext(connection) as large:
        platform.get(path + "?pathology=asthme")
    assert len(small) == len(large)
    assert len(large) <= 6


@pytest.mark.parametrize("query", ["", "?pathology=cancer-colorectal"])
def test_the_list_page_each_area_opens_shows_the_same_total(platform, query):
    """Following each link, région and département alike, to the directory's own list page:
    the total it shows is the area's count on the map."""
    data.spread(24, pathologies=[data.pathology("Cancer colorectal")])
    for path in ("/annuaire/carte/", "/annuaire/carte/departements/"):
        drawn = areas(platform.get(path + query).content.decode())
        assert drawn
        for code, area in drawn.items():
            response = platform.get(area["href"])
            assert response.status_code == 200
            assert response.context["total"] == int(area["count"]), (path, code)


def test_an_empty_map_says_so(platform):
    data.association(regions=["53"], review=Review.PROPOSED)
    page = platform.get("/annuaire/carte/").content.decode()
    assert '<p class="empty">' in page
    assert set(area["count"] for area in areas(page).values()) == {"0"}
    data.association(regions=["53"])
    page = platform.get("/annuaire/carte/").content.decode()
    assert '<p class="empty">' not in page
    filtered = platform.get("/annuaire/carte/?pathology=inconnue").content.decode()
    assert '<p class="empty">' in filtered
