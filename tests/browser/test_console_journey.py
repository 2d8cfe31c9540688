"""The operators' console in real Chromium: an operator signs in with their password and
second factor, finds a network by searching the console's list, reads its page (its
usage chart and table), suspends it with a reason and sees the audit entry, resumes it, then
reads the platform's activity. Every page passes axe at 1280 and 390 px without scrolling
sideways and logs no console error. With ``CONSOLE_SHOTS`` set to a folder, each page is
photographed there at both widths."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from playwright.sync_api import expect

from shared_apps.accounts.services import operator_create
from shared_apps.console import services
from shared_apps.console.models import UsageSnapshot
from tests.browser.checks import ConsoleErrors, page_problems, with_axe
from tests.browser.conftest import totp_code

pytestmark = pytest.mark.browser

OPERATOR = {"username": "veilleuse", "email": "ops-console@example.org", "password": "x-long-2"}
SHOTS = os.environ.get("CONSOLE_SHOTS", "")


def test_an_operator_finds_suspends_and_resumes_a_network(site, browser):
    gamma = site.create("gamma", name="Souffle de Gamma").tenant
    with tenant_context(gamma):
        services.usage_take()  # today's count, as the nightly job takes it
    with schema_context("public"):
        today = timezone.localdate()
        for weeks, members in ((3, 4), (2, 9), (1, 15)):
            UsageSnapshot.objects.create(
                tenant=gamma, day=today - datetime.timedelta(weeks=weeks), members=members,
                active_members=members // 2, files_bytes=2048 * members, database_bytes=900_000,
                last_activity=timezone.now() - datetime.timedelta(weeks=weeks),
            )  # fmt: skip
        operator = operator_create(**OPERATOR)
        secret = generate_totp_secret()
        TOTP.activate(operator, secret)

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    with_axe(context)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.listen(page)
    base = f"http://localhost:{site.port}"
    problems: list[str] = []

    def check(name: str) -> None:
        page.wait_for_load_state()
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            problems.extend(f"{name} at {width}: {p}" for p in page_problems(page))
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        problems.extend(f"{name}: {e}" for e in errors.take())

    page.goto(base + "/comptes/login/")
    page.locator("#id_login").fill(OPERATOR["email"])
    page.locator("#id_password").fill(OPERATOR["password"])
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/comptes/2fa/authenticate/")
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/comptes/"))

    page.goto(base + "/console/")
    check("networks")
    page.locator("#id_q").fill("gamma")
    page.locator("#id_q").press("Enter")
    rows = page.locator("table.console-networks tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Souffle de Gamma").click()
    page.wait_for_url("**/console/reseaux/gamma/")
    expect(page.locator("#weekly-usage tbody tr")).to_have_count(12)
    # Three weeks with members; this week's count is 0 (the admin is only invited yet).
    expect(page.locator("svg.column-chart rect.column")).to_have_count(3)
    check("network")

    page.locator("#id_reason").fill("Demande de l'association")
    page.locator('form[action$="/suspendre/"] button').click()
    page.wait_for_url("**/console/reseaux/gamma/")
    expect(page.locator("#audit tbody tr[data-action=suspend]")).to_contain_text(
        "Demande de l'association"
    )
    check("network-suspended")
    page.locator('form[action$="/reprendre/"] button').click()
    page.wait_for_url("**/console/reseaux/gamma/")
    expect(page.locator("#audit tbody tr[data-action=resume]")).to_have_count(1)

    page.goto(base + "/console/activite/")
    expect(page.locator("svg.column-chart")).to_have_count(3)
    check("activity")
    context.close()
    assert problems == []
