"""The events in real Chromium: a member goes through the month calendar with the keyboard
only, opens an event, registers; the pages fit a phone's width with no sideways scroll."""

import datetime
import tempfile
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tests.browser.conftest import totp_code
from tests.events.factories import event_make, picture

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
# Screenshots to look at by eye, outside the checkout.
SHOTS = Path(tempfile.gettempdir()) / "events-screenshots"


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_member_registers_through_the_calendar_with_the_keyboard(site, page):
    creation = site.create("alpha", name="Réseau Alpha")
    zone = timezone.get_current_timezone()
    start = (timezone.localtime() + datetime.timedelta(days=40)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    with tenant_context(creation.tenant):
        admin = members.member_create(
            username="Organisatrice", email="orga@example.org", password=PASSWORD,
            role=Role.ADMIN,
        ).member  # fmt: skip
        members.member_create(username="Bastien", email="bastien@example.org", password=PASSWORD)
        TOTP.activate(admin.user, generate_totp_secret())
        walk = event_make(
            author=admin, title="Marche douce au parc de la Tête d'Or, ouverte à toutes et tous",
            format="in_person", online=False, place="Entrée Children's gate, Lyon 6e",
            accessibility="Parcours plat de 3 km, bancs tous les 300 m.", capacity=12,
            starts_at=start, cover=picture(),
        )  # fmt: skip
        event_make(author=admin, title="Webinaire : fatigue et immunothérapie",
                   starts_at=start + datetime.timedelta(days=2))  # fmt: skip
    month = start.astimezone(zone).strftime("%Y-%m")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("bastien@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("header")).to_contain_text("Bastien")

    for path in (
        "/evenements/",
        f"/evenements/calendrier/?mois={month}",
        f"/evenements/{walk.pk}/",
    ):
        page.goto(site.url("alpha", path))
        _no_sideways_scroll(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"390{path.replace('/', '_')}.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url("alpha", f"/evenements/calendrier/?mois={month}"))
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "1280_month.png"), full_page=True)
    expect(page.locator("caption")).to_contain_text(str(start.year))
    # The keyboard alone: Tab until the walk's link has the focus, then Enter.
    link = page.get_by_role("link", name="Marche douce")
    for _step in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the event's link is never reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(walk.title)
    page.locator("#register").click()
    expect(page.locator("#unregister")).to_be_visible()
    expect(page.locator("#places")).to_contain_text("1")
    page.screenshot(path=str(SHOTS / "1280_event.png"), full_page=True)


def _sign_in(browser, site, email, *, totp_secret=None):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(8_000)
    page = context.new_page()
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    if totp_secret:
        page.locator("#id_code").fill(totp_code(totp_secret))
        page.locator("#id_code").press("Enter")
    expect(page.locator("#id_login")).to_have_count(0)
    return page


def test_live_questions_update_for_everyone_without_reloading(site, browser):
    """Two members register for a webinar; one asks a question, the other votes for it from
    a second browser; a moderator pins it, then marks it answered; the first member's page
    shows the vote, the pin and the answer without being reloaded."""
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        admin = members.member_create(
            username="Organisatrice", email="orga@example.org", password=PASSWORD,
            role=Role.ADMIN,
        ).member  # fmt: skip
        TOTP.activate(admin.user, generate_totp_secret())
        moderator = members.member_create(
            username="Modo", email="modo@example.org", password=PASSWORD, role=Role.MODERATOR
        ).member
        secret = generate_totp_secret()
        TOTP.activate(moderator.user, secret)
        for name in ("Camille", "Bastien"):
            members.member_create(
                username=name, email=f"{name.lower()}@example.org", password=PASSWORD
            )
        webinar = event_make(author=admin, title="Fatigue et immunothérapie")

    camille = _sign_in(browser, site, "camille@example.org")
    bastien = _sign_in(browser, site, "bastien@example.org")
    event_url = site.url("alpha", f"/evenements/{webinar.pk}/")
    for page in (camille, bastien):
        page.goto(event_url)
        page.locator("#register").click()
        expect(page.locator("#unregister")).to_be_visible()

    camille.get_by_label("Votre question").or_(camille.locator("#id_text")).first.fill(
        "La fatigue dure-t-elle après la fin du traitement ?"
    )
    camille.locator("#ask button[type=submit]").click()
    question = camille.locator(".question", has_text="La fatigue dure-t-elle")
    expect(question).to_be_visible()
    question_id = question.get_attribute("id").removeprefix("question-")

    bastien.reload()
    bastien.locator(f"#vote-{question_id}").click()
    expect(bastien.locator(f"#vote-{question_id}")).to_have_attribute("aria-pressed", "true")

    moderator_page = _sign_in(browser, site, "modo@example.org", totp_secret=secret)
    moderator_page.goto(event_url)
    moderator_page.locator(f"#pin-{question_id}").click()
    expect(moderator_page.locator(f"#pinned-{question_id}")).to_be_visible()

    # Camille has not reloaded: the poll brings the vote and the pin.
    expect(camille.locator(f"#votes-{question_id}")).to_contain_text("1", timeout=12_000)
    expect(camille.locator(f"#pinned-{question_id}")).to_be_visible(timeout=12_000)

    moderator_page.locator(f"#answer-{question_id}").click()
    expect(moderator_page.locator(f"#answered-{question_id}")).to_be_visible()
    expect(camille.locator(f"#answered-{question_id}")).to_be_visible(timeout=12_000)
    expect(camille.locator(f"#pinned-{question_id}")).to_have_count(0)
    camille.screenshot(path=str(SHOTS / "live_questions.png"), full_page=True)
