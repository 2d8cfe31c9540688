"""The Content-Security-Policy in a real browser (docs/security-headers.md).

A network's page and the platform's home load with the policy and give no console error:
the palette comes from its own stylesheet. An inline script or style on one of our pages is
refused, the refusal is a console error that the sweep's ``ConsoleErrors`` collects (so a
page that breaks the policy fails the sweep), and Chromium reports it to ``/csp-report/``,
which logs it.
"""

import logging

import pytest
from playwright.sync_api import expect

from tests.browser.checks import ConsoleErrors

pytestmark = pytest.mark.browser

INLINE = (
    '<!doctype html><html lang="fr"><head><title>Essai</title>'
    "<style>main { color: rgb(255, 0, 0) }</style></head><body><main>"
    '<h1 style="color: rgb(0, 128, 0)">Essai</h1>'
    '<p id="ran">non</p><script>document.getElementById("ran").textContent = "oui";</script>'
    "</main></body></html>"
)


def test_pages_load_under_the_policy_and_an_inline_script_or_style_is_refused_and_reported(
    site, page, caplog
):
    site.create("csp", primary_color="#8a3b12")
    errors = ConsoleErrors()
    errors.listen(page)

    # The platform's home and a network's page: the policy is there, nothing is refused.
    platform = page.goto(f"http://localhost:{site.port}/")
    assert "style-src 'self'" in platform.headers["content-security-policy"]
    response = page.goto(site.url("csp"))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    # The palette's stylesheet applied: the brand colour as chosen bands the header.
    expect(page.locator("header.site-header")).to_have_css("border-top-color", "rgb(138, 59, 18)")
    assert errors.take() == []

    # The same page given an inline style, an inline style attribute and an inline script.
    with caplog.at_level(logging.WARNING, logger="entraide.csp"):
        with page.expect_request("**/csp-report/") as reported:
            page.set_content(INLINE)
        assert reported.value.method == "POST"
        expect(page.locator("#ran")).to_have_text("non")  # the script never ran
        expect(page.locator("h1")).not_to_have_css("color", "rgb(0, 128, 0)")
        expect(page.locator("main")).not_to_have_css("color", "rgb(255, 0, 0)")
        # The reports are sent one by one, after the console's messages.
        for _ in range(50):
            logged = [record.getMessage() for record in caplog.records]
            if {"script-src-elem", "style-src-elem", "style-src-attr"} <= _directives(logged):
                break
            page.wait_for_timeout(100)
    refused = errors.take()
    assert any("Content Security Policy directive 'script-src 'self''" in error
               for error in refused), refused  # fmt: skip
    assert any("Content Security Policy directive 'style-src 'self''" in error
               for error in refused), refused  # fmt: skip
    # Each refusal reported and logged, with the page as its route's name.
    assert {"script-src-elem", "style-src-elem"} <= _directives(logged), logged
    assert all(message.endswith(" blocked inline on home") for message in logged), logged


def _directives(messages: list[str]) -> set[str]:
    """The directives of "CSP violation: <directive> blocked <what> on <page>" messages."""
    return {message.split()[2] for message in messages if message.startswith("CSP violation: ")}
