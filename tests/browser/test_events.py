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
