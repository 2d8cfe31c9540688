"""Issue 16's journey in a real browser: an admin builds a report of consenting members by
pathology and région, previews it (its shape, no count), publishes it,
shares it, and the link opens signed out on that release alone, frozen; listed, it appears in the
platform directory; every page at 1280 and 390 px without horizontal scroll or serious axe
violation."""

import os
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.insights import listing
from tenant_apps.insights.models import BudgetSpend, Release
from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tests.insights.world import people

from .checks import WIDTHS, ConsoleErrors, page_problems, with_axe
from .conftest import totp_code
from .test_forums_journey import PASSWORD

pytestmark = pytest.mark.browser

# Screenshots of each page at both widths, when set (a folder).
SHOTS = os.environ.get("INSIGHTS_SHOTS", "")


def _check(page, name: str) -> list[str]:
    problems = []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{name} at {width}px: {p}" for p in page_problems(page)]
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})
    return problems


def test_an_admin_builds_previews_publishes_and_shares_a_report(site, browser):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        # The admin first: the members below are written in bulk, past the free plan's seats.
        admin = members.member_create(
            username="Adele", email="adele@example.org", password=PASSWORD, role=Role.ADMIN
        )
        secret = generate_totp_secret()
        TOTP.activate(admin, secret)
        lung = members.pathology_create(name="Cancer du poumon")
        meso = members.pathology_create(name="Mésothéliome")
        people(40, department="75", pathologies=(lung,))
        people(30, department="69", pathologies=(lung,))
        people(25, department="69", pathologies=(meso,))
        people(3, department="29", pathologies=(lung,))  # Bretagne: must be hidden
        people(30, department="75", pathologies=(lung,), consent=False)

    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(10_000)
    with_axe(context)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.listen(page)
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("adele@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("#id_code").press("Enter")
    expect(page.locator("header")).to_contain_text("Adele")

    problems = []
    # From the admin area's menu to the statistics, then the report builder.
    page.goto(site.url("alpha", "/association/membres/"))
    page.locator(".admin-nav a[href='/association/statistiques/']").click()
    expect(page.locator("#budget")).to_be_visible()
    problems += _check(page, "releases")
    page.locator("#new-report").click()
    problems += _check(page, "builder")
    page.locator("#id_title").fill("Nos membres par pathologie et région")
    page.locator("#id_measure").select_option("members")
    page.locator("#id_first").select_option("pathology")
    page.locator("#id_second").select_option("region")
    page.locator("#id_period_start").fill("2026-01")
    page.locator("#id_period_end").fill("2026-12")
    page.locator("#report-form button[type=submit]").click()

    # The preview: the table's shape, no count, and not which figures would be hidden.
    preview = page.locator("#preview")
    expect(preview).to_be_visible()
    expect(preview.locator("#preview-rule")).to_be_visible()
    expect(preview.locator("td[data-state=pending]").first).to_be_visible()
    assert preview.locator("td[data-state=hidden], td[data-state=published]").count() == 0
    assert preview.locator("td[data-value]:not([data-value=''])").count() == 0
    problems += _check(page, "preview")

    page.locator("#publish-form button").click()
    expect(page.locator("#release-status")).to_be_visible()
    charts = page.locator("svg.insights-bars[role=img]")
    expect(charts).to_have_count(2)
    with tenant_context(creation.tenant):
        release = Release.objects.get()
        assert release.status == Release.Status.PUBLISHED and BudgetSpend.objects.count() == 1
    # Bretagne's three members: hidden in the table, never a number (régions run down it).
    columns = page.locator("table.insights-table thead th").all_inner_texts()
    bretagne = page.locator("table.insights-table tbody tr").filter(has_text="Bretagne")
    cell = bretagne.locator("td").nth(columns.index("Cancer du poumon") - 1)
    expect(cell).to_have_attribute("data-state", "hidden")
    problems += _check(page, "release")

    # Shared by a link, which opens signed out, on that release alone.
    page.locator("#share-form button").click()
    link = page.locator("#share-url").get_attribute("href")
    assert link.endswith(f"/statistiques/{release.share_token}/")
    outsider = browser.new_context(locale="fr-FR")
    with_axe(outsider)
    shared = outsider.new_page()
    shared_errors = ConsoleErrors()
    shared_errors.listen(shared)
    shared.goto(link)
    expect(shared.locator("h1")).to_have_text("Nos membres par pathologie et région")
    expect(shared.locator("svg.insights-bars[role=img]")).to_have_count(2)
    expect(shared.locator("header")).not_to_contain_text("Adele")
    problems += _check(shared, "shared")

    # Listed in the platform directory: its copy (the job's work) links to the shared page.
    page.locator("#list-form button").click()
    expect(page.locator("#listed")).to_be_visible()
    with tenant_context(creation.tenant):
        assert listing.release_directory_copy(release_id=release.pk)
    shared.goto(f"http://localhost:{site.port}/annuaire/statistiques/")
    card = shared.locator(f"[data-listing] a[href='{link}']")
    expect(card).to_have_text("Nos membres par pathologie et région")
    problems += _check(shared, "directory")

    assert problems == []
    assert errors.take() == [] and shared_errors.take() == []
    outsider.close()
    context.close()
