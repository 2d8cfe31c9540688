"""Security headers on every kind of answer (docs/security-headers.md): a network's page, the
platform's home, the API, an error page and an unknown host; the palette's stylesheet that
replaced the one inline style; the CSP report endpoint; and ``check --deploy`` clean with the
production settings."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from provisioning import services
from tenants.colors import brand_palette
from tenants.theme import palette_css, palette_version
from tests.fixtures import host_of
from tests.tenants.test_icons import update_branding

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "report-uri": "/csp-report/",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in pairs}


def assert_security_headers(response) -> None:
    assert directives(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature


@pytest.fixture
def platform_client(db):
    services.platform_ensure()
    return Client(HTTP_HOST="localhost")


def test_a_network_page_has_every_header(client_as):
    response = client_as("member").get("/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert response["X-Frame-Options"] == "DENY"


def test_the_platform_home_has_every_header(platform_client):
    response = platform_client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_api_answer_has_every_header(client_as):
    response = client_as("member").get("/api/me/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_security_headers(response)


def test_an_error_page_has_every_header(client_as):
    response = client_as("member").get("/nulle-part/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_an_unknown_host_is_answered_with_the_headers_too(db):
    response = Client(HTTP_HOST="inconnu.example").get("/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_hsts_on_https_only_when_configured(client_as, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = client_as("member")
    assert "Strict-Transport-Security" not in client.get("/")
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_paying_may_redirect_to_stripe_only_while_billing_is_on(client_as, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert directives(client_as("member").get("/"))["form-action"] == "'self'"
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_REDIRECT_ORIGINS = ["https://checkout.stripe.com/c/pay", "not an address"]
    policy = directives(client_as("member").get("/"))
    assert policy["form-action"] == "'self' https://checkout.stripe.com"
    assert policy["script-src"] == "'self'"


def test_the_admin_alone_may_use_inline_styles_never_inline_scripts(platform_client):
    response = platform_client.get("/admin/login/")
    policy = directives(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert {**policy, "style-src": "'self'"} == POLICY
    # Every other page of the platform: the strict policy.
    assert directives(platform_client.get("/annuaire/carte/")) == POLICY


def test_the_session_and_csrf_cookies_are_same_site_and_the_session_http_only(client_as):
    response = client_as("anonymous").get("/comptes/login/")
    assert response.cookies["csrftoken"]["samesite"] == "Lax"

    def writes_the_session(request):
        request.session["seen"] = True
        return HttpResponse()

    response = SessionMiddleware(writes_the_session)(RequestFactory().get("/"))
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert (session["samesite"], session["httponly"]) == ("Lax", True)
    # Both are Secure without DEBUG: check --deploy below fails on security.W012 and W016.


# --- The palette's stylesheet ---------------------------------------------------------------


def test_pages_link_the_palette_stylesheet_and_carry_no_inline_style(tenant, client_as):
    update_branding(tenant, primary_color="#ffff00")
    page = client_as("anonymous").get("/").content.decode()
    css = palette_css(brand_palette("#ffff00", tenant.branding.accent_color))
    assert f'<link rel="stylesheet" href="/couleurs/{palette_version(css)}.css">' in page
    assert "<style" not in page
    assert " style=" not in page


def test_the_palette_stylesheet_is_kept_a_year_under_its_version(tenant, client_as):
    update_branding(tenant, primary_color="#ffff00")
    css = palette_css(brand_palette("#ffff00", tenant.branding.accent_color))
    version = palette_version(css)
    client = client_as("anonymous")
    response = client.get(f"/couleurs/{version}.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response.content.decode() == css
    assert "--brand: #ffff00;" in css
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    again = client.get(f"/couleurs/{version}.css", HTTP_IF_NONE_MATCH=f'"{version}"')
    assert again.status_code == 304

    # A new colour is a new address; the old one answers today's colours, not kept.
    update_branding(tenant, primary_color="#1f5f8b")
    stale = client.get(f"/couleurs/{version}.css")
    assert stale.status_code == 200
    assert "--brand: #1f5f8b;" in stale.content.decode()
    assert "no-cache" in stale["Cache-Control"] and "immutable" not in stale["Cache-Control"]


# --- Violation reports ----------------------------------------------------------------------


def report(host: str, path: str = "/membres/Paula/?q=douleur") -> dict:
    """A violation as Chromium reports it to ``report-uri``."""
    return {
        "csp-report": {
            "document-uri": f"http://{host}{path}",
            "referrer": f"http://{host}/forums/",
            "violated-directive": "style-src-elem",
            "effective-directive": "style-src-elem",
            "original-policy": "default-src 'self'",
            "disposition": "enforce",
            "blocked-uri": "inline",
            "line-number": 12,
            "source-file": f"http://{host}{path}",
            "script-sample": "body { color: red } /* Paula */",
            "status-code": 200,
        }
    }


def _post_report(client, body, content_type="application/csp-report"):
    return client.post("/csp-report/", data=json.dumps(body), content_type=content_type)


def test_a_violation_is_logged_without_the_page_address_or_a_sample(tenant, client_as, caplog):
    host = host_of(tenant)
    with caplog.at_level(logging.WARNING, logger="entraide.csp"):
        response = _post_report(client_as("anonymous", enforce_csrf_checks=True), report(host))
    assert response.status_code == 204
    [record] = caplog.records
    message = record.getMessage()
    assert message == "CSP violation: style-src-elem blocked inline on profile"
    assert (record.csp_directive, record.csp_blocked, record.csp_page, record.csp_source) == (
        "style-src-elem", "inline", "profile", f"http://{host}"
    )  # fmt: skip
    everything = message + " " + " ".join(str(value) for value in vars(record).values())
    for personal in ("Paula", "douleur", "color: red"):
        assert personal not in everything


def test_reporting_api_reports_are_read_too(tenant, client_as, caplog):
    host = host_of(tenant)
    body = [
        {
            "type": "csp-violation",
            "url": f"http://{host}/forums/",
            "body": {
                "documentURL": f"http://{host}/forums/",
                "effectiveDirective": "script-src-elem",
                "blockedURL": "https://evil.example/x.js?member=Paula",
                "disposition": "enforce",
            },
        },
        {"type": "deprecation", "body": {"id": "x"}},
    ]
    with caplog.at_level(logging.WARNING, logger="entraide.csp"):
        response = _post_report(client_as("anonymous"), body, "application/reports+json")
    assert response.status_code == 204
    assert [record.getMessage() for record in caplog.records] == [
        "CSP violation: script-src-elem blocked https://evil.example on forums:index"
    ]


def test_the_platform_domain_takes_reports_too(platform_client, caplog):
    with caplog.at_level(logging.WARNING, logger="entraide.csp"):
        page = report("localhost", "/annuaire/carte/")
        assert _post_report(platform_client, page).status_code == 204
    [record] = caplog.records
    assert record.getMessage() == (
        "CSP violation: style-src-elem blocked inline on directory_map:map"
    )


def test_garbage_oversized_and_flooding_reports_log_nothing_more(
    tenant, client_as, caplog, settings
):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "csp.report": "2/min"}
    client = client_as("anonymous", REMOTE_ADDR="203.0.113.9")
    with caplog.at_level(logging.WARNING, logger="entraide.csp"):
        garbage = client.post("/csp-report/", data="{not", content_type="application/json")
        assert garbage.status_code == 204
        big = report(host_of(tenant))
        big["csp-report"]["script-sample"] = "x" * 20_000
        assert _post_report(client, big).status_code == 204
        for _ in range(3):
            assert _post_report(client, report(host_of(tenant))).status_code == 204
    # The garbage counted against the address, the oversized one did not: one logged.
    assert len(caplog.records) == 1
    assert client.get("/csp-report/").status_code == 405


# --- check --deploy -------------------------------------------------------------------------


def test_check_deploy_with_the_production_settings_gives_no_warning():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "PYTEST_VERSION", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER")
    }
    env.update(
        SECRET_KEY="k" * 20 + "-production-like-key-" + "q7Zr9xW2" * 4,
        ALLOWED_HOSTS="entraide.example",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
