"""Browser fixtures: one Chromium for all the browser tests, a fresh French context per test.

Chromium is Debian's (/usr/bin/chromium); ``playwright install`` is never needed. Without it
the browser tests are skipped on a workstation, but they fail in CI (``CI`` set), where a
missing browser means the journeys below were never checked.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from provisioning import services
from provisioning.services import Creation
from tests import fixtures

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
# What document.activeElement looks like, to follow keyboard focus.
FOCUSED = """() => {
  const el = document.activeElement;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent || "").trim(),
    labels: el.labels ? Array.from(el.labels, (label) => label.textContent.trim()) : null,
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden",
    // Focus not obscured (WCAG 2.4.11): Chromium scrolls a focused control only until part
    // of it shows (a tall textarea at the bottom edge), so ask for 20 px of it, or all of it.
    inViewport: Math.min(rect.bottom, window.innerHeight) - Math.max(rect.top, 0)
        >= Math.min(rect.height, 20) - 1
      && Math.min(rect.right, window.innerWidth) - Math.max(rect.left, 0)
        >= Math.min(rect.width, 20) - 1,
    focusVisible: el.matches(":focus-visible")
      && (style.outlineStyle !== "none" || style.boxShadow !== "none"),
  };
}"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    missing = not CHROMIUM.exists() and not in_ci()
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"Chromium is not installed at {CHROMIUM} "
                    "(apt-get install -y chromium); with CI set this is a failure"
                )
            )


# Package scope, not session: Chromium starts once for this package (tests/browser is one,
# with its __init__.py) and stops as soon as its last test is done. Playwright's sync API
# keeps an asyncio loop running on the main thread while it lives; left running for the
# rest of the session, it breaks every later test that calls asyncio.run() (procrastinate's
# worker does) and every ORM call (see below).
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci():
            raise
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")

    # With Playwright's loop running on this thread, Django takes every ORM call of the tests
    # for one made from async code and refuses it. Nothing here is async: the tests call the
    # ORM synchronously and the live server answers from its own threads.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser):
    """A page in a new context (no cookies), as a French-speaking visitor sees it."""
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@dataclass
class Site:
    port: int

    def url(self, slug: str, path: str = "/") -> str:
        return f"http://{slug}.localhost:{self.port}{path}"

    def create(self, slug: str, **overrides) -> Creation:
        return services.tenant_create(
            slug=slug,
            name=overrides.pop("name", f"Réseau {slug}"),
            organization_slug=f"asso-{slug}",
            admin_email=f"admin@{slug}.example",
            actor="test",
            **overrides,
        )


@pytest.fixture
def site(transactional_db, drop_tenant_schemas, live_server, settings):
    """The live server, with links and cookies that work over plain http on its port.

    Every network is created for real (committed) and its schema dropped afterwards. Tenant
    hosts are ``<slug>.localhost``, which Chromium resolves to the loopback address.
    """
    port = urlsplit(live_server.url).port
    settings.PLATFORM_URL_SCHEME = "http"
    settings.PLATFORM_URL_PORT = str(port)
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    services.platform_ensure()
    last_job = _last_job_id()
    yield Site(port=port)
    # Creating a network commits its invitation job; the flush that ends a transactional
    # test leaves procrastinate's (unmanaged) tables alone, so take the jobs out here.
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job])


def _last_job_id() -> int:
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        return cursor.fetchone()[0]


# The code an authenticator app shows now (kept here for the browser tests' imports).
totp_code = fixtures.totp_code


@pytest.fixture
def activate_totp():
    """Set up the authenticator app on allauth's activation page, as a user would."""

    def activate(page) -> str:
        from playwright.sync_api import expect

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Activer l'application d'authentification"
        )
        secret = page.get_by_label("Secret d'authentification").input_value()
        assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
        page.get_by_label("Code de l'authentificateur").fill(totp_code(secret))
        page.get_by_role("button", name="Activer").click()
        return secret

    return activate


def _press_tab(page) -> dict:
    """Move focus forward once; the newly focused element must be visible and labelled."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "Tab left the page instead of reaching the next control"
    assert focused["visible"] and focused["inViewport"], f"focus is out of sight: {focused}"
    assert focused["focusVisible"], f"no focus indicator: {focused}"
    if focused["tag"] in ("input", "select", "textarea"):
        assert focused["labels"] and all(focused["labels"]), f"control without label: {focused}"
    return focused


@pytest.fixture
def press_tab():
    """Tab once; the focused control must be visible, show its focus and have a label."""
    return _press_tab
