"""A walking challenge in real Chromium, at a phone's width (390 px, no sideways scroll): a
participant logs a day with the keyboard and sees the collective goal's words and bar move,
corrects the day, starts a team that a second member joins with its code (in a second
browser), then leaves the leaderboard and is no longer listed."""

import datetime
import re
import tempfile
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.events import challenge_services, services
from tenant_apps.events.models import Participant
from tenant_apps.members import services as members
from tenant_apps.members.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
PHONE = {"width": 390, "height": 844}
# Screenshots to look at by eye, outside the checkout.
SHOTS = Path(tempfile.gettempdir()) / "challenge-screenshots"


def _fits_a_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _sign_in(page, site, email: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("#id_login")).to_have_count(0)


def _type_and_send(page, selector: str, text: str) -> None:
    """The keyboard only: focus the field, clear it, type, and send the form with Enter."""
    field = page.locator(selector)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_a_participant_logs_corrects_teams_up_and_leaves_the_leaderboard(site, browser, page):
    creation = site.create("alpha", name="Réseau Alpha")
    zone = timezone.get_current_timezone()
    started = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=3), datetime.time.min, tzinfo=zone
    )
    with tenant_context(creation.tenant):
        admin = members.member_create(
            username="Organisatrice", email="orga@example.org", password=PASSWORD,
            role=Role.ADMIN,
        ).member  # fmt: skip
        TOTP.activate(admin.user, generate_totp_secret())  # events are written with a 2nd factor
        ana = members.member_create(
            username="Anaïs", email="anais@example.org", password=PASSWORD
        ).member
        ben = members.member_create(
            username="Bastien", email="bastien@example.org", password=PASSWORD
        ).member
        challenge = challenge_services.challenge_create(
            author=admin, title="Quinze jours de marche, tous ensemble vers dix mille pas",
            description="Marchons ensemble.", starts_at=started, goal=10_000, team_mode=True,
        )  # fmt: skip
        for member in (ana, ben):
            services.registration_create(member=member, event=challenge.event)
    event_url = site.url("alpha", f"/evenements/{challenge.event_id}/")
    today = timezone.localdate().isoformat()

    _sign_in(page, site, "anais@example.org")
    page.goto(event_url)
    _fits_a_phone(page)
    bar, words = page.locator("#collective"), page.locator("#collective-text")
    expect(bar).to_have_attribute("value", "0")
    expect(words).to_contain_text(re.compile(r"\(0\s%\)"))

    # Today's steps with the keyboard: the bar and its words move to a quarter of the goal.
    expect(page.locator("#id_day")).to_have_value(today)
    _type_and_send(page, "#id_amount", "2500")
    expect(bar).to_have_attribute("value", "25")
    expect(words).to_contain_text(re.compile(r"\(25\s%\)"))
    _fits_a_phone(page)

    # Correct the day from the table of days: one row, the new amount replaces the old one.
    correct = page.locator(f'#my-days a[href$="?jour={today}"]')
    correct.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_amount")).to_have_value("2500")
    _fits_a_phone(page)
    _type_and_send(page, "#id_amount", "5000")
    expect(bar).to_have_attribute("value", "50")
    expect(words).to_contain_text(re.compile(r"\(50\s%\)"))
    row = page.locator("#my-days tbody tr", has=page.locator(f'time[datetime="{today}"]'))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#challenge").screenshot(path=str(SHOTS / "390_challenge.png"))
    expect(row.locator("td").nth(1)).to_have_text(re.compile(r"^5\D?000$"))

    # Start a team; its code shows on the event page.
    page.locator("#team-link").click()
    _fits_a_phone(page)
    _type_and_send(page, "#id_team-name", "Les Lions")
    expect(page.locator("#my-team")).to_contain_text("Les Lions")
    with tenant_context(creation.tenant):
        code = Participant.objects.select_related("team").get(member=ana).team.code
    expect(page.locator("#my-team")).to_contain_text(code)
    _fits_a_phone(page)

    # A second member, in a second browser, joins it with the code (typed in lower case).
    other = browser.new_context(locale="fr-FR")
    other.set_default_timeout(5_000)
    try:
        second = other.new_page()
        _sign_in(second, site, "bastien@example.org")
        second.goto(site.url("alpha", f"/evenements/{challenge.event_id}/defi/equipe/"))
        _fits_a_phone(second)
        _type_and_send(second, "#id_join-code", code.lower())
        expect(second.locator("#my-team")).to_contain_text("Les Lions")
        _fits_a_phone(second)
    finally:
        other.close()
    page.reload()
    team = page.locator("#teams tbody tr", has_text="Les Lions")
    expect(team.locator("td").nth(2)).to_have_text("2")  # rank, team, members, total

    # Leave the leaderboard: no longer listed there, the days still in the total.
    expect(page.locator("#leaderboard tbody tr", has_text="Anaïs")).to_have_count(1)
    page.locator("#leaderboard-choice button").click()
    expect(page.locator("#leaderboard-choice button")).to_be_visible()
    expect(page.locator("#leaderboard tbody tr", has_text="Anaïs")).to_have_count(0)
    expect(bar).to_have_attribute("value", "50")
    _fits_a_phone(page)
    with tenant_context(creation.tenant):
        assert not Participant.objects.get(member=ana).on_leaderboard
