"""The engagement landscape (/annuaire/paysage/): each chart's figures are the published
initiatives' own, in the chart and in its table; empty states; queries constant."""

import re
from collections import Counter
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from provisioning import services as provisioning
from shared_apps.directory import charts
from shared_apps.directory.models import Initiative, Review
from tests.directory import map_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    provisioning.platform_ensure()
    return Client(HTTP_HOST="localhost")


def by_slug() -> dict[str, charts.Chart]:
    return {chart.slug: chart for chart in charts.landscape()}


def values(chart: charts.Chart) -> dict[str, int]:
    return {bar.key: bar.value for bar in chart.bars}


def test_the_figures_are_the_published_initiatives():
    info, prevention = data.theme("Information"), data.theme("Prévention")
    F, C, S = Initiative.Form, Initiative.Carrier, Initiative.SuccessFactor
    data.initiative(
        form=F.ASSOCIATIVE,
        carrier=C.PATIENT,
        region="53",
        themes=[info],
        success_factors=[S.PEERS, S.FUNDING],
    )
    data.initiative(
        form=F.ASSOCIATIVE,
        carrier=C.CAREGIVER,
        region="53",
        themes=[info, prevention],
        success_factors=[S.PEERS],
    )
    data.initiative(
        form=F.VOLUNTEER,
        carrier=C.CAREGIVER,
        region="04",
        themes=[],
        success_factors=[S.PEERS, S.MEDIA],
    )
    data.initiative(form=F.SALARIED, carrier=C.PROFESSIONAL, region="", themes=[prevention])
    # Never counted: waiting for review, refused.
    data.initiative(
        form=F.ENTREPRENEURIAL,
        carrier=C.FORMER_PATIENT,
        region="11",
        themes=[info],
        success_factors=[S.MEDIA],
        review=Review.PROPOSED,
    )
    data.initiative(form=F.ENTREPRENEURIAL, region="11", review=Review.REFUSED,
                    success_factors=[S.TRAINING])  # fmt: skip
    found = by_slug()
    assert values(found["forms"]) == {"associative": 2, "volunteer": 1, "salaried": 1}
    assert values(found["carriers"]) == {"patient": 1, "caregiver": 2, "professional": 1}
    assert values(found["regions"]) == {"53": 2, "04": 1, "national": 1}
    assert [bar.key for bar in found["regions"].bars] == ["53", "04", "national"]
    assert values(found["themes"]) == {"information": 2, "prevention": 2}
    assert values(found["success"]) == {"peers": 3, "funding": 1, "media": 1}
    assert found["success"].bars[0].key == "peers"
    assert all(chart.total == 4 for chart in found.values())
    peers = found["success"].bars[0]
    assert (peers.share, peers.width) == ("75.0", "85.00")
    assert found["success"].bars[1].width == f"{85 / 3:.2f}"


def test_the_page_draws_each_chart_and_its_table(platform):
    data.initiative(form=Initiative.Form.VOLUNTEER, region="76",
                    success_factors=[Initiative.SuccessFactor.TRAINING])  # fmt: skip
    data.initiative(form=Initiative.Form.VOLUNTEER, region="76")
    page = platform.get("/annuaire/paysage/").content.decode()
    for slug in ("forms", "carriers", "regions", "themes", "success"):
        assert f'id="chart-{slug}"' in page
    forms = page.split('id="chart-forms"')[1].split("</section>")[0]
    assert forms.count('<rect class="bar"') == 1
    assert 'width="85.00%"' in forms
    row = re.search(r'<tr data-key="volunteer">(.*?)</tr>', forms, re.S).group(1)
    assert 'data-value="2"' in row
    assert "100.0" in row
    # No initiative has a theme: that chart says so instead of drawing nothing.
    themes = page.split('id="chart-themes"')[1].split("</section>")[0]
    assert "<svg" not in themes
    assert gettext("No published initiative yet.") in themes or 'class="empty"' in themes


def test_an_empty_directory_shows_empty_states(platform):
    page = platform.get("/annuaire/paysage/").content.decode()
    assert page.count('class="empty"') == 5
    assert '<svg class="bar-chart"' not in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_landscape_costs_the_same_queries(platform, size):
    data.spread(size, pathologies=[])
    themes = [data.theme(f"Thème {n}") for n in range(4)]
    for n, row in enumerate(Initiative.objects.all()):
        row.themes.set(themes[: n % 5])
    platform.get("/annuaire/paysage/")
    with CaptureQueriesContext(connection) as queries:
        response = platform.get("/annuaire/paysage/")
    assert response.status_code == 200
    # The schema, then: count, forms, carriers, régions, themes, factors; the pathologies
    # of the filter.
    assert len(queries) == 8, [q["sql"][:80] for q in queries]
    # The chart's counts are those of a count in Python over the published rows.
    published = Initiative.objects.filter(review=Review.PUBLISHED)
    factors = Counter(f for row in published for f in row.success_factors)
    assert values(by_slug()["success"]) == dict(factors)


@pytest.mark.parametrize("narrowed", [False, True])
def test_each_figure_leads_to_a_list_of_as_many_initiatives(platform, narrowed):
    """Each row of the form, carrier, région and theme tables links to the initiatives list
    filtered so (and by the landscape's pathology), whose total is the row's figure;
    success factors have no list filter."""
    themes = [data.theme("Information"), data.theme("Prévention"), data.theme("Recherche")]
    lupus = data.pathology("Lupus")
    data.spread(20, pathologies=[lupus])
    for n, row in enumerate(Initiative.objects.all()):
        row.themes.set(themes[: n % 4])
    query = "?pathology=lupus" if narrowed else ""
    page = platform.get("/annuaire/paysage/" + query).content.decode()
    found = charts.landscape(("lupus",) if narrowed else ())
    published = Initiative.objects.filter(review=Review.PUBLISHED)
    if narrowed:
        published = published.filter(pathologies=lupus)
        assert 0 < published.count() < Initiative.objects.filter(review=Review.PUBLISHED).count()
    assert all(chart.total == published.count() for chart in found)
    followed = 0
    for chart in found:
        section = page.split(f'id="chart-{chart.slug}"')[1].split("</section>")[0]
        for bar in chart.bars:
            row = re.search(rf'<tr data-key="{bar.key}">(.*?)</tr>', section, re.S).group(1)
            assert f'data-value="{bar.value}"' in row
            link = re.search(r'<a href="([^"]+)">', row)
            if chart.slug == "success" or bar.key == "national":
                assert link is None
                continue
            href = unescape(link.group(1))
            assert href == f"/annuaire/initiatives/?{bar.query}"
            assert ("pathology=lupus" in href) == narrowed
            assert platform.get(href).context["total"] == bar.value, (chart.slug, bar.key)
            followed += 1
    assert followed >= 4 + 4 + 3
