"""An association signs up in a real browser: from the platform's home to the admin of its
own branded network, and the onboarding checklist there.

Platform home → "Create your association's network" → a platform account (sign-up, the
emailed confirmation, the authenticator app) → the form (the address checked as it is
typed, the free plan) → the progress page, which follows the job by itself → the one-time
link into the new network → the admin's account there (its own authenticator app) → the
home page with the checklist. The job runs as the worker runs it, from the test, once the
progress page shows that it waits; the live server is in this process, so the confirmation
message lands in ``mailoutbox``.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from shared_apps.signup.models import SignupRequest
from tenants.models import Tenant
from tests.browser.checks import WIDTHS, page_problems

pytestmark = pytest.mark.browser

PASSWORD = "une-longue-phrase-secrete-42"
JOB = "shared_apps.signup.jobs.network_create"


def expect_no_problem_at_both_widths(page) -> None:
    """Nothing sticking out and no serious axe violation, at 390 px then 1280 px."""
    for width in sorted(WIDTHS):
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        assert page_problems(page) == [], width


def run_the_creation_job() -> None:
    """What the worker does once the job is deferred."""
    with schema_context("public"):
        job = ProcrastinateJob.objects.filter(task_name=JOB, status="todo").get()
        ProcrastinateJob.objects.filter(pk=job.pk).update(status="doing")
    app.tasks[JOB](**job.args)  # closes its connection at the end, as in a worker
    connection.set_schema_to_public()


def test_an_association_signs_up_and_lands_on_its_network_as_admin(
    site, page, activate_totp, mailoutbox
):
    platform = f"http://localhost:{site.port}"
    with schema_context("public"):  # billing's plans, again if an earlier test flushed them
        importlib.import_module("shared_apps.billing.migrations.0003_default_plans").seed(
            django_apps, None
        )

    # --- The platform's home and the steps -----------------------------------------------------
    page.goto(platform + "/")
    page.locator("#signup-call a").first.click()
    expect(page).to_have_url(platform + "/inscription/")
    page.locator("#signup-steps a[href^='/comptes/signup/']").click()

    # --- A platform account, its address confirmed ---------------------------------------------
    page.locator("#id_username").fill("Camille-Asso")
    page.locator("#id_email").fill("camille@asso-souffle.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    (message,) = mailoutbox
    link = re.search(r"http://localhost:\d+/comptes/confirm-email/\S+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirmer").click()

    # --- The authenticator app, then back to the steps ----------------------------------------
    page.goto(platform + "/inscription/")
    page.locator("#signup-steps a[href='/comptes/2fa/totp/activate/']").click()
    if "/comptes/reauthenticate/" in page.url:  # signed in by the emailed link, not a password
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
    activate_totp(page)
    expect(page).to_have_url(platform + "/comptes/2fa/recovery-codes/")
    page.get_by_role("link", name="Continuer").click()
    page.locator("#signup-call a").first.click()
    expect(page.locator("#signup-steps .is-done")).to_have_count(3)

    # --- The form: names, the address checked as it is typed, the free plan ------------------
    page.locator("#signup-create").click()
    expect(page).to_have_url(platform + "/inscription/reseau/")
    page.locator("#id_organization_name").fill("Souffle Solidaire")
    page.locator("#id_network_name").fill("Réseau Souffle")
    address = page.locator("#id_subdomain")
    address.press_sequentially("admin")
    status = page.locator("#subdomain-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("réservé")
    address.fill("")
    address.press_sequentially("Souffle")
    expect(status).to_contain_text("souffle.localhost")
    expect(status.locator(".signup-ok")).to_be_visible()
    expect(page.locator("input[name=plan][value]").first).to_be_checked()
    expect_no_problem_at_both_widths(page)  # the form, with what the live region said
    page.locator("#signup-form button[type=submit]").click()

    # --- The progress page follows the job by itself (htmx), then the one-time link ----------
    with schema_context("public"):
        signup = SignupRequest.objects.get()
    expect(page).to_have_url(f"{platform}/inscription/{signup.pk}/")
    expect(page.locator("#signup-status")).to_have_attribute("role", "status")
    expect(page.locator(".signup-spinner")).to_be_visible()
    run_the_creation_job()
    enter = page.locator("#signup-enter")
    expect(enter).to_be_visible(timeout=10_000)  # the next poll, within 2 s
    with schema_context("public"):
        network = Tenant.objects.get(slug="souffle")
        assert network.status == "active" and network.organization.name == "Souffle Solidaire"
    enter.click()

    # --- On the new network's own domain: the admin's account and authenticator app ----------
    expect(page).to_have_url(re.compile(re.escape(site.url("souffle", "/invitation/"))))
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(site.url("souffle", "/comptes/2fa/totp/activate/"))
    activate_totp(page)
    page.get_by_role("link", name="Continuer").click()

    # --- The branded home page with the onboarding checklist ---------------------------------
    expect(page).to_have_url(site.url("souffle"))
    expect(page.locator("header .site-name")).to_contain_text("Réseau Souffle")
    checklist = page.locator("#onboarding")
    expect(checklist).to_be_visible()
    expect(checklist.locator("[data-step]")).to_have_count(5)
    expect(checklist.locator(".is-done")).to_have_count(0)
    expect_no_problem_at_both_widths(page)
    checklist.locator("[data-step=charter] a").click()
    expect(page).to_have_url(site.url("souffle", "/association/reglages/#charter"))
