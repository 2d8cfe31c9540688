"""Issue 13's journey in real Chromium, on the platform's domain, as people do it: a visitor
narrows the map to a pathology, clicks a région and opens an initiative from its list; they
propose a new initiative through the form (filled at a person's pace: the spam defence's
time check is met, not bypassed); an operator signs in with their password and second factor,
finds the proposal in the review queue and publishes it; the visitor then finds it by a
search typed without accents, and the email telling them it is published leads to it. Every
page visited passes axe (no serious or critical violation) and logs no console error."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from shared_apps.accounts.services import operator_create
from shared_apps.directory import forms
from shared_apps.directory.models import Initiative, Review
from tests.browser.checks import ConsoleErrors, page_problems, with_axe
from tests.browser.conftest import totp_code
from tests.directory import browse_data as data
from tests.jobs import JobQueue

pytestmark = pytest.mark.browser

OPERATOR = {"username": "operatrice", "email": "ops-journey@example.org", "password": "x-long-1"}
PROPOSER = "camille.proposante@example.org"
TITLE = "Café-écriture des proches à Lorient"
# What the visitor types to find it again: no accents, no hyphen.
QUERY = "cafe ecriture lorient"
# A person reads the form before sending it: longer than the spam defence's minimum.
READING_SECONDS = forms.MIN_SECONDS + 1.5


@pytest.fixture
def directory(site):
    """Published listings in Bretagne and elsewhere, and an operator with a second factor."""
    with schema_context("public"):
        lung = data.pathology("Cancer du poumon")
        diabetes = data.pathology("Diabète de type 1")
        rows = {
            "armor": data.association("Souffle d'Armor", pathologies=[lung], regions=["53"]),
            "walk": data.initiative(
                "Marche bretonne du dimanche", pathologies=[lung], region="53",
                department="35", form=Initiative.Form.ASSOCIATIVE,
                carrier=Initiative.Carrier.FORMER_PATIENT,
                motivation="Que personne ne marche seul après son traitement.",
                success_text="Le soutien des soignants du service.",
            ),
            # Same région, another pathology; same pathology, another région.
            "other_pathology": data.initiative(
                "Goûters sucrés-salés de Rennes", pathologies=[diabetes], region="53"
            ),
            "other_region": data.initiative(
                "Marche toulousaine", pathologies=[lung], region="76", department="31"
            ),
        }  # fmt: skip
        operator = operator_create(**OPERATOR)
        secret = generate_totp_secret()
        TOTP.activate(operator, secret)
    return site, rows, lung, secret


def _searched(url: str) -> bool:
    """The results of QUERY (the form's ``+`` or htmx's ``%20`` alike)."""
    parts = urlsplit(url)
    return parts.path == "/annuaire/recherche/" and parse_qs(parts.query).get("q") == [QUERY]


class Visit:
    """A browser context that checks every page it lands on."""

    def __init__(self, browser, port: int) -> None:
        self.base = f"http://localhost:{port}"
        self.context = browser.new_context(locale="fr-FR")
        with_axe(self.context)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.console = ConsoleErrors()
        self.console.listen(self.page)
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        self.page.wait_for_load_state()
        found = page_problems(self.page) + self.console.take()
        self.problems += [f"{name} ({urlsplit(self.page.url).path}): {p}" for p in found]


def test_a_visitor_finds_proposes_and_finds_again_what_an_operator_published(
    directory, browser, mailoutbox
):
    site, rows, lung, secret = directory
    visitor = Visit(browser, site.port)
    page = visitor.page

    # 1. The map, narrowed to a pathology, then a région clicked: its filtered list.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(visitor.base + "/annuaire/carte/")
    visitor.check("map")
    page.locator("#map-pathology").select_option(lung.slug)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/annuaire/carte/\?.*pathology=cancer-du-poumon"))
    visitor.check("map, one pathology")
    brittany = page.locator("a.map-area", has=page.locator('path[data-code="53"]'))
    # Two published listings with this pathology in Bretagne, as the area says.
    expect(brittany).to_have_attribute("aria-label", re.compile(r"^Bretagne\D+2\D"))
    brittany.click()
    page.wait_for_url(re.compile(r"/annuaire/recherche/\?"))
    asked = parse_qs(urlsplit(page.url).query)
    assert (asked["region"], asked["pathology"]) == (["53"], [lung.slug])
    results = page.locator("#results")
    expect(results.locator("li.result")).to_have_count(2)
    expect(results).to_contain_text("Souffle d'Armor")
    expect(results).to_contain_text("Marche bretonne du dimanche")
    expect(results).not_to_contain_text("Goûters sucrés-salés")
    expect(results).not_to_contain_text("Marche toulousaine")
    visitor.check("filtered list")
    results.get_by_role("link", name="Marche bretonne du dimanche").click()
    page.wait_for_url(f"**/annuaire/initiatives/{rows['walk'].slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Marche bretonne du dimanche")
    expect(page.locator("main")).to_contain_text("Que personne ne marche seul")
    visitor.check("initiative")

    # 2. They propose their own initiative, from the directory's menu.
    page.locator('a[href="/annuaire/proposer/"]').first.click()
    page.wait_for_url("**/annuaire/proposer/")
    visitor.check("propose")
    page.locator('a[href="/annuaire/proposer/initiative/"]').click()
    page.wait_for_url("**/annuaire/proposer/initiative/")
    opened = time.monotonic()
    visitor.check("initiative form")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill(
        "Un atelier d'écriture chaque mois pour les proches de personnes atteintes d'un "
        "cancer du poumon, à la médiathèque."
    )
    page.locator("#id_carrier").select_option("caregiver")
    page.locator("#id_form").select_option("volunteer")
    page.locator("#id_roles input[value=blogger]").check()
    page.locator(f"#id_pathologies input[value='{lung.pk}']").check()
    page.locator("#id_department").select_option("56")
    page.locator("#id_motivation").fill("Mettre des mots sur ce que l'on vit à côté.")
    page.locator("#id_success_factors input[value=peers]").check()
    page.locator("#id_success_text").fill("La médiathèque nous prête une salle.")
    page.locator("#id_proposer_email").fill(PROPOSER)
    # A person rereads before sending; at robot speed the form would come back (tested in
    # tests/directory/test_contrib.py).
    page.wait_for_timeout(max(0, READING_SECONDS - (time.monotonic() - opened)) * 1000)
    page.locator("#proposal-form button[type=submit]").click()
    page.wait_for_url("**/annuaire/proposer/merci/")
    visitor.check("thanks")
    with schema_context("public"):
        proposal = Initiative.objects.get(title=TITLE)
        assert (proposal.review, proposal.proposer_email) == (Review.PROPOSED, PROPOSER)
        assert (proposal.region, proposal.department) == ("53", "56")
        assert list(proposal.pathologies.all()) == [lung]

    # Not published yet: a search does not find it.
    page.goto(visitor.base + "/annuaire/recherche/")
    page.locator("#directory-q").fill(QUERY)
    page.locator("#directory-q").press("Enter")
    page.wait_for_url(_searched)
    expect(page.locator("#result-count")).to_contain_text("0")
    expect(page.locator("main")).not_to_contain_text(TITLE)
    visitor.check("search, nothing yet")

    # 3. An operator signs in with their password and second factor, and publishes it.
    operator = Visit(browser, site.port)
    desk = operator.page
    desk.set_viewport_size({"width": 1280, "height": 900})
    desk.goto(operator.base + "/comptes/login/")
    operator.check("sign-in")
    desk.locator("#id_login").fill(OPERATOR["email"])
    desk.locator("#id_password").fill(OPERATOR["password"])
    desk.locator("#id_password").press("Enter")
    desk.wait_for_url("**/comptes/2fa/authenticate/")
    operator.check("second factor")
    desk.locator("#id_code").fill(totp_code(secret))
    desk.locator("#id_code").press("Enter")
    desk.wait_for_url(lambda url: not urlsplit(url).path.startswith("/comptes/"))
    desk.goto(operator.base + "/")
    desk.locator('a[href="/annuaire/operateurs/"]').first.click()
    desk.wait_for_url("**/annuaire/operateurs/")
    operator.check("review queue")
    waiting = desk.locator("#queue-list-initiative li")
    expect(waiting).to_have_count(1)
    waiting.get_by_role("link", name=TITLE).click()
    desk.wait_for_url(f"**/annuaire/operateurs/initiative/{proposal.pk}/")
    expect(desk.locator("#id_title")).to_have_value(TITLE)
    operator.check("review")
    with schema_context("public"):
        jobs = JobQueue()
    desk.locator("#publish-form button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/annuaire/operateurs/$"))
    expect(desk.locator("#queue-list-initiative")).to_have_count(0)
    operator.check("review queue, emptied")
    with schema_context("public"):
        proposal.refresh_from_db()
        assert proposal.review == Review.PUBLISHED
        # The proposer's email, as the worker sends it.
        assert jobs.run() == ["shared_apps.directory.jobs.decision_email"]

    # 4. The visitor searches again, without accents, and finds it.
    page.goto(visitor.base + "/annuaire/recherche/")
    page.locator("#directory-q").fill(QUERY)
    page.locator("#directory-q").press("Enter")
    page.wait_for_url(_searched)
    hits = page.locator("#results li.result")
    expect(hits).to_have_count(1)
    expect(hits.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.check("search, found")
    hits.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/annuaire/initiatives/{proposal.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    visitor.check("published initiative")

    # The proposer is told, once, with the link to the published listing, which opens it.
    (message,) = mailoutbox
    assert message.to == [PROPOSER]
    assert TITLE in message.body
    link = f"{visitor.base}/annuaire/initiatives/{proposal.slug}/"
    assert link in message.body, message.body
    response = page.goto(link)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    with schema_context("public"):
        proposal.refresh_from_db()
        assert proposal.proposer_email == ""  # forgotten once told

    assert visitor.problems + operator.problems == []
    visitor.context.close()
    operator.context.close()
