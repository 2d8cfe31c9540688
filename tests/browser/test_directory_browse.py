"""The directory's pages in real Chromium, on the platform's domain: a visitor searches
without accents, narrows the list by ticking a région (htmx swaps the results and the
address changes), does the same with JavaScript off, and every page fits 390 px with no
serious or critical axe violation. Screenshots at 1280 and 390 px go to a folder to look at."""

import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shared_apps.directory.models import Initiative, Review
from tests.browser.checks import page_problems, with_axe
from tests.directory import browse_data as data

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "directory-screenshots"
WIDTHS = {1280: 900, 390: 844}


def _listings():
    cancer = data.pathology("Cancer du poumon")
    diabete = data.pathology("Diabète de type 1")
    sclerose = data.pathology("Sclérose en plaques")
    info = data.theme("Information et orientation")
    rows = {
        "armor": data.association(
            "Souffle d'Armor — entraide des patients atteints d'un cancer du poumon en Bretagne",
            description="Groupes de parole, thérapie ciblée expliquée, accompagnement des "
            "proches et permanences à l'hôpital de Rennes.",
            pathologies=[cancer], regions=["53"], confirmed_at=timezone.now(),
            approval="regional", approval_ends=timezone.now().date().replace(year=2028),
            website="https://souffle-armor.example.org/une-adresse-tres-longue-pour-voir",
            contact_phone="02 99 00 00 00", rna="W353000000",
        ),
        "paris": data.association(
            "Diabète Paris Entraide", pathologies=[diabete], regions=["11"]
        ),
        "sep": data.association(
            "SEP Occitanie", pathologies=[sclerose], departments=["31", "34"]
        ),
        "hidden": data.association("Souffle caché", regions=["53"], review=Review.PROPOSED),
        "walk": data.initiative(
            "Marche thérapeutique du dimanche", pathologies=[cancer], themes=[info],
            region="53", department="35", form=Initiative.Form.ASSOCIATIVE,
            carrier=Initiative.Carrier.FORMER_PATIENT, roles=["expert", "peer"],
            success_factors=["peers", "perseverance"],
            motivation="Après mon traitement, j'ai voulu que personne ne marche seul.",
            success_text="Le soutien de l'association et des soignants du service.",
        ),
        "blog": data.initiative(
            "Le blog d'une aidante", pathologies=[diabete], region="11",
            carrier=Initiative.Carrier.CAREGIVER, form=Initiative.Form.VOLUNTEER,
        ),
        "webinar": data.event(
            "Webinaire : vivre avec une thérapie ciblée", pathologies=[cancer], region="53",
            summary="Une heure d'échanges avec une oncologue et deux patientes.",
        ),
        "guide": data.resource(
            "Animer un webinaire pour ses adhérents", themes=[info],
            body="Préparez vos questions à l'avance. Testez le son.",
        ),
    }  # fmt: skip
    return rows


def _check(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page_problems(page) == [], (name, width)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_a_visitor_searches_and_filters_the_directory(site, browser):
    rows = _listings()
    base = f"http://localhost:{site.port}"
    context = browser.new_context(locale="fr-FR")
    with_axe(context)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(base + "/")
    expect(page.locator("#directory-kinds")).to_contain_text("3")
    _check(page, "home")

    # A search typed without accents finds the accented titles, and never the proposal.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#home-q").fill("therapie ciblee")
    page.locator("#home-q").press("Enter")
    page.wait_for_url("**/annuaire/recherche/?q=therapie+ciblee")
    results = page.locator("#results")
    expect(results).to_contain_text("Souffle d'Armor")
    expect(results).to_contain_text("Webinaire : vivre avec une thérapie ciblée")
    expect(results).not_to_contain_text("Souffle caché")
    _check(page, "search")

    # Ticking a région refreshes the results in place and the address says so.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/annuaire/associations/")
    expect(page.locator("#result-count")).to_contain_text("3")
    page.locator("#filter-region-53").check()
    page.wait_for_url("**/annuaire/associations/?*region=53")
    expect(page.locator("#result-count")).to_contain_text("1")
    expect(page.locator("#results")).to_contain_text("Souffle d'Armor")
    expect(page.locator("#results")).not_to_contain_text("Diabète Paris")
    _check(page, "associations")

    for name, path in {
        "initiatives": "/annuaire/initiatives/",
        "agenda": "/annuaire/agenda/",
        "resources": "/annuaire/ressources/",
        "association": f"/annuaire/associations/{rows['armor'].slug}/",
        "initiative": f"/annuaire/initiatives/{rows['walk'].slug}/",
        "event": f"/annuaire/agenda/{rows['webinar'].pk}/",
        "resource": f"/annuaire/ressources/{rows['guide'].slug}/",
    }.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(base + path)
        assert response.status == 200, path
        _check(page, name)
    assert errors == []
    context.close()


def test_the_filters_work_with_javascript_off(site, browser):
    _listings()
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"http://localhost:{site.port}/annuaire/initiatives/")
    page.locator("#filter-carrier-caregiver").check()
    page.locator(".directory-filters button[type=submit]").click()
    page.wait_for_url("**/annuaire/initiatives/?*carrier=caregiver*")
    expect(page.locator("#results")).to_contain_text("Le blog d'une aidante")
    expect(page.locator("#results")).not_to_contain_text("Marche thérapeutique")
    context.close()
