"""Social relations in Chromium: "people like me" with five suggestions, following from a
profile in place (htmx) and without JavaScript, the feed, followers and blocks; every page
at 1280 and 390 px without sideways scroll or serious axe violations. With SHOTS set, each
page is saved there as a screenshot at both widths (to look at)."""

import os
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, Pathology
from tenant_apps.social import matching, relations
from tenant_apps.social.models import Experience, Follow

from .checks import WIDTHS, ConsoleErrors, page_problems, with_axe

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
SHOTS = os.environ.get("SHOTS", "")


def _patient(name, pathology, department):
    member = members.member_create(
        username=name, email=f"{name.lower()}@example.org", password=PASSWORD
    ).member
    for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
        members.consent_give(member=member, kind=kind)
    members.profile_update(member=member, pathologies=[pathology], department=department)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def alpha(site):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        lung = Pathology.objects.create(name="Cancer du poumon non à petites cellules")
        camille = _patient("Camille", lung, "69")
        peers = [
            _patient(name, lung, dep)
            for name, dep in (("Nadine_63", "63"), ("Soraya.L", "13"), ("PapyJean", "59"),
                              ("Claire-Annecy", "74"), ("Hugo_R", "33"), ("Lucie.B", "38"))
        ]  # fmt: skip
        for member in [camille, *peers]:
            matching.matching_settings_update(
                member=member, matching=True, matching_same_region=False
            )
        relations.follow_create(follower=peers[0], followed=camille)
        relations.follow_create(follower=camille, followed=peers[1])
        Experience.objects.create(
            author=peers[1],
            body="J'ai remarché vingt minutes ce matin.",
            body_html="<p>J'ai remarché vingt minutes ce matin.</p>",
        )
        relations.block_create(blocker=camille, blocked=peers[4])
    return creation.tenant, camille, peers


def _sign_in(page, site):
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("camille@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("header")).to_contain_text("Camille")


def _check(page, name: str) -> list[str]:
    problems = []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{name} at {width}px: {p}" for p in page_problems(page)]
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    return problems


def test_people_like_me_follow_in_place_feed_and_blocks(site, browser, alpha):
    tenant, camille, peers = alpha
    context = browser.new_context(locale="fr-FR")
    with_axe(context)
    page = context.new_page()
    console = ConsoleErrors()
    console.listen(page)
    _sign_in(page, site)
    problems = []

    page.goto(site.url("alpha", "/communaute/rencontres/"))
    expect(page.locator("#suggestions li")).to_have_count(5)
    problems += _check(page, "matching")

    page.locator(f"#suggestion-{peers[2].pk} a").click()
    expect(page.locator("h1")).to_have_text("PapyJean")
    problems += _check(page, "profile")
    button = page.locator("#follow-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    url = page.url
    button.click()  # htmx: the form is swapped in place, the page stays
    expect(page.locator("#follow-button")).to_have_attribute("aria-pressed", "true")
    assert page.url == url
    with tenant_context(tenant):
        assert Follow.objects.filter(follower=camille, followed=peers[2]).exists()

    for path, name, marker in (
        ("/communaute/", "feed", "#feed article"),
        ("/communaute/membres/Soraya.L/", "profile-shared", "#profile-experiences article"),
        ("/communaute/abonnes/", "followers", f"#follower-{peers[0].pk}"),
        ("/communaute/abonnements/", "following", f"#followed-{peers[2].pk}"),
        ("/communaute/bloques/", "blocked", f"#blocked-{peers[4].pk}"),
        ("/", "home", "#home-feed"),
    ):
        page.goto(site.url("alpha", path))
        expect(page.locator(marker).first).to_be_visible()
        problems += _check(page, name)
    assert problems + console.take() == []
    context.close()


def test_follow_and_block_work_without_javascript(site, browser, alpha):
    tenant, camille, peers = alpha
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, site)
    page.goto(site.url("alpha", "/communaute/membres/PapyJean/"))
    page.locator("#follow-button").click()
    expect(page.locator("#follow-button")).to_have_attribute("aria-pressed", "true")
    page.locator("#block-button").click()
    expect(page.locator(f"#blocked-{peers[2].pk}")).to_be_visible()
    with tenant_context(tenant):
        assert not Follow.objects.filter(follower=camille, followed=peers[2]).exists()
    context.close()
