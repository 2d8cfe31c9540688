"""The directory's map in real Chromium: every area is reached with Tab alone, in the order
of its table, shows its focus and is announced with its name and count; Enter on an area
opens its list with the same number of listings; the map, its table and the landscape fit
390 px, log no console error and have no serious or critical axe violation (the sweep's
checks, tests/browser/checks.py)."""

import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from core import geo
from shared_apps.directory import forms_filters, selectors
from shared_apps.directory.models import Initiative
from tests.browser.checks import WIDTHS, ConsoleErrors, page_problems
from tests.directory import map_data as data

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "shots_dirmap"


def _listed(query: str) -> int:
    filters = forms_filters.filters_from(parse_qs(query))
    return sum(selectors.listings(kind, filters).count() for kind in filters.kinds)


def _count_in(label: str) -> int:
    return int(re.search(r"\d+", label).group())


@pytest.fixture
def directory(site):
    with schema_context("public"):
        lung = data.pathology("Cancer du poumon")
        data.association(name="Souffle d'Armor", regions=["53"], pathologies=[lung])
        data.association(name="Les Ailes du Finistère", departments=["29"], pathologies=[lung])
        data.association(name="Entraide Péi", departments=["974"])
        data.initiative(title="Marche bretonne", region="53", department="35",
                        pathologies=[lung], form=Initiative.Form.VOLUNTEER,
                        success_factors=[Initiative.SuccessFactor.PEERS])  # fmt: skip
        data.initiative(title="Blog d'une aidante", region="", themes=[data.theme("Aidants")])
    return site


def _tab_to_the_map(page, press_tab):
    """Tab from the top of the page to the map's first area."""
    for _ in range(40):
        focused = press_tab(page)
        if page.evaluate("() => document.activeElement.matches('a.map-area')"):
            return focused
    raise AssertionError("Tab never reached the map")


@pytest.mark.parametrize(
    ("path", "codes"),
    [("/annuaire/carte/", geo.REGIONS), ("/annuaire/carte/departements/", geo.DEPARTMENT_REGION)],
)
def test_every_area_is_reached_with_the_keyboard_and_named(directory, page, press_tab, path, codes):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"http://localhost:{directory.port}{path}")
    rows = page.eval_on_selector_all(
        "table.map-table tbody tr",
        "rows => rows.map(r => [r.id.slice(5), r.querySelector('th a').textContent.trim(),"
        " r.querySelector('td[data-count]').dataset.count])",
    )
    assert {code for code, _name, _count in rows} == set(codes)
    _tab_to_the_map(page, press_tab)
    announced = []
    for index in range(len(rows)):
        if index:
            press_tab(page)
        # The accessibility tree's name, as a screen reader reads it.
        node = page.evaluate(
            "() => ({label: document.activeElement.getAttribute('aria-label'),"
            " code: document.activeElement.querySelector('path').dataset.code})"
        )
        snapshot = page.locator("a.map-area").nth(index)
        assert snapshot.evaluate("el => el === document.activeElement")
        announced.append((node["code"], node["label"]))
    for (code, name, count), (seen_code, label) in zip(rows, announced, strict=True):
        assert seen_code == code
        # "Bretagne: 3 associations…", "Bretagne : 3 associations…" once in French.
        assert label.startswith(name) and _count_in(label[len(name) :]) == int(count), label
    # Past the last area, Tab leaves the map.
    press_tab(page)
    assert not page.evaluate("() => document.activeElement.matches('a.map-area')")


def test_enter_on_an_area_opens_its_list_then_an_initiative(directory, page, press_tab):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"http://localhost:{directory.port}/annuaire/carte/?pathology=cancer-du-poumon")
    _tab_to_the_map(page, press_tab)
    while page.evaluate("() => document.activeElement.querySelector('path').dataset.code") != "53":
        press_tab(page)
    label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Bretagne") and _count_in(label) == 3
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/annuaire/recherche/\?"))
    link = urlsplit(page.url)
    asked = parse_qs(link.query)
    assert asked["region"] == ["53"] and asked["pathology"] == ["cancer-du-poumon"]
    with schema_context("public"):
        assert _listed(link.query) == 3
    text = page.locator("main").inner_text()
    for title in ("Souffle d'Armor", "Les Ailes du Finistère", "Marche bretonne"):
        assert title in text
    assert "Entraide Péi" not in text
    # And on to the initiative itself.
    page.get_by_role("link", name="Marche bretonne").first.click()
    page.wait_for_url(re.compile(r"/annuaire/initiatives/[\w-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Marche bretonne"


@pytest.mark.parametrize(
    "path", ["/annuaire/carte/", "/annuaire/carte/departements/", "/annuaire/paysage/"]
)
def test_the_pages_fit_a_phone_and_pass_axe(directory, page, path):
    SHOTS.mkdir(exist_ok=True)
    console = ConsoleErrors()
    console.listen(page)
    response = page.goto(f"http://localhost:{directory.port}{path}")
    assert response.status == 200
    problems = console.take()
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{width} px: {problem}" for problem in page_problems(page)]
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert problems == []
