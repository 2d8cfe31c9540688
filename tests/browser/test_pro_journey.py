"""Issue 15's journey in a real browser: a member asks to be recognised as a professional, an
admin verifies her, she opens the professional space (/pro/) and the weekly RCP's agenda; a
patient member gets 404 on the same addresses. Each page of the area is checked at 1280 and
390 px (axe, no sideways scroll). PRO_SHOTS=<a folder> photographs the pages
there at 1280 and 390 px."""

import os
from datetime import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members.models import ProfileType, Role
from tenant_apps.pro.models import VerificationRequest
from tenant_apps.pro.rcp import services as rcp

from .checks import page_problems
from .test_forums_journey import PASSWORD, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PRO_SHOTS", "")


def _shoot(page, name: str) -> None:
    """The page at 1280 and 390 px: no sideways scroll, no serious or critical axe
    violation; photographed when PRO_SHOTS says where."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page_problems(page) == [], (name, width)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_member_is_verified_and_opens_the_professional_space_a_patient_does_not(site, browser):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        admin = members.member_create(
            username="Alice", email="alice@example.org", password=PASSWORD, role=Role.ADMIN
        ).member
        secret = generate_totp_secret()
        TOTP.activate(admin.user, secret)
        members.member_create(
            username="Vera", email="vera@example.org", password=PASSWORD,
            profile_type=ProfileType.PROFESSIONAL,
        )  # fmt: skip
        members.member_create(username="Bob", email="bob@example.org", password=PASSWORD)
        series = rcp.series_create(
            actor=admin, name="RCP thoracique", organ="Thorax", recurrence="weekly",
            weekday=1, start_time=time(14, 0), quorum=["pulmonologist"],
        )  # fmt: skip
        meeting = series.meetings.order_by("starts_at").first()
    hub, agenda = site.url("alpha", "/pro/"), site.url("alpha", f"/rcp/reunions/{meeting.pk}/")

    # Vera asks to be recognised; the space stays closed while her request waits.
    vera = sign_in(browser, site, "vera@example.org")
    assert vera.goto(hub).status == 404
    vera.goto(site.url("alpha", "/pro/verification/"))
    _shoot(vera, "request")
    vera.locator("#id_profession").select_option("pulmonologist")
    vera.locator("#id_rpps").fill("10001234567")
    vera.locator("#id_workplace").fill("CHU de Lille, service de pneumologie")
    vera.locator("#verification-form button[type=submit]").click()
    with tenant_context(creation.tenant):
        request = VerificationRequest.objects.get(member__user__username="Vera")
        assert request.status == "pending"

    # Alice verifies her from the admins' queue.
    alice = sign_in(browser, site, "alice@example.org", totp_secret=secret)
    alice.goto(site.url("alpha", "/pro/verifications/"))
    _shoot(alice, "queue")
    alice.locator(f"#request-{request.pk} button[value=verify]").click()
    expect(alice.locator(f"#verified-{request.member_id}")).to_be_visible()

    # Vera now opens the professional space, then the weekly RCP's agenda.
    assert vera.goto(hub).status == 200
    _shoot(vera, "hub")
    vera.locator("a[href='/rcp/']").first.click()
    expect(vera.locator("main")).to_contain_text("RCP thoracique")
    assert vera.goto(agenda).status == 200
    expect(vera.locator("main")).to_contain_text("RCP thoracique")

    # Bob, a patient, gets the 404 of what does not exist on the same addresses.
    bob = sign_in(browser, site, "bob@example.org")
    for address in (hub, agenda, site.url("alpha", "/rcp/")):
        assert bob.goto(address).status == 404
