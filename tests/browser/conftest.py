"""Browser fixtures: one Chromium for all the browser tests, a fresh French context per test.

Chromium is Debian's (/usr/bin/chromium); ``playwright install`` is never needed. Without it
the browser tests are skipped on a workstation, but they fail in CI (``CI`` set), where a
missing browser means the journeys below were never checked.
"""

import os
from pathlib import Path

import pytest

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
