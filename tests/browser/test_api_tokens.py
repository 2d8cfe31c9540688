""" "My account" → "API access" in a real browser: a member makes a token and revokes another,
in place with htmx and as whole pages without JavaScript; the page passes axe and does not
scroll sideways at 1280 and 390 px, the new token's box included."""

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members import tokens
from tenant_apps.members.models import ApiToken

from .checks import WIDTHS, ConsoleErrors, page_problems, with_axe

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
PAGE = "/compte/acces-api/"


@pytest.fixture
def alpha(site):
    """Bastien, with an old token for a script."""
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        bastien = members.member_create(
            username="Bastien", email="bastien@example.org", password=PASSWORD
        ).member
        tokens.api_token_create(member=bastien, name="Ancien script", confirmation=PASSWORD)
    return creation.tenant


def _signed_in(browser, site, *, javascript: bool):
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(15_000)  # two shared cores: the first page is slow
    with_axe(context)
    page = context.new_page()
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("bastien@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).not_to_have_url(site.url("alpha", "/comptes/login/"))
    return page


def _problems_at_both_widths(page) -> list[str]:
    found = []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        found += [f"{width} px: {problem}" for problem in page_problems(page)]
    return found


def test_make_and_revoke_in_place_with_htmx(site, browser, alpha):
    page = _signed_in(browser, site, javascript=True)
    errors = ConsoleErrors()
    errors.listen(page)
    page.goto(site.url("alpha", PAGE))
    assert _problems_at_both_widths(page) == []
    page.evaluate("window.__stayed = true")

    page.locator("#id_name").fill("Mon téléphone")
    page.locator("#id_confirmation").fill(PASSWORD)
    page.locator("#id_confirmation").press("Enter")

    secret = page.locator("#api-tokens pre code")
    expect(secret).to_contain_text("ent_")
    assert page.evaluate("window.__stayed === true")  # swapped in place, no reload
    with tenant_context(alpha):
        made = ApiToken.objects.get(name="Mon téléphone")
    assert made.digest == tokens.token_digest(secret.inner_text().strip())
    assert _problems_at_both_widths(page) == []

    page.set_viewport_size({"width": 1280, "height": 800})
    row = page.locator("li.card", has_text="Ancien script")
    row.get_by_role("button").click()
    expect(page.locator("#api-tokens [role=status]")).to_contain_text("Ancien script")
    assert page.evaluate("window.__stayed === true")
    with tenant_context(alpha):
        assert ApiToken.objects.get(name="Ancien script").revoked is not None
    assert errors.take() == []


def test_make_and_revoke_without_javascript(site, browser, alpha):
    page = _signed_in(browser, site, javascript=False)
    page.goto(site.url("alpha", PAGE))

    page.locator("#id_name").fill("Script du soir")
    page.locator("#id_confirmation").fill(PASSWORD)
    page.locator("#id_confirmation").press("Enter")

    expect(page.locator("#api-tokens pre code")).to_contain_text("ent_")
    page.locator("li.card", has_text="Ancien script").get_by_role("button").click()
    expect(page).to_have_url(site.url("alpha", PAGE))
    expect(page.locator(".messages")).to_contain_text("Ancien script")
    with tenant_context(alpha):
        assert ApiToken.objects.get(name="Ancien script").revoked is not None
        assert ApiToken.objects.get(name="Script du soir").revoked is None
