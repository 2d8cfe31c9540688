"""The production stack of deploy/, run for real: Caddy (on-demand TLS from its own CA,
asking the platform) → gunicorn with the production settings → PgBouncer in session mode →
PostgreSQL, and the procrastinate worker behind the same PgBouncer (tests/deploy/stack.py;
docs/production-stack.md).

One stack for the module (about 10 s to start); every process is stopped and the stack's
database dropped even when a test fails, and a failed test shows the processes' logs.
"""

import re
import ssl
import time

import pytest
from django.db import connections

from tests.deploy.stack import (
    ADMIN_EMAIL,
    NETWORK,
    NETWORK_HOST,
    PENDING_DOMAIN,
    PLATFORM_DOMAIN,
    VERIFIED_DOMAIN,
    Stack,
    missing_programs,
)

# The tests read nothing through Django, but pytest-django creates the test database only
# for a session whose tests ask for it, and the stack's database is a copy of that one.
pytestmark = pytest.mark.django_db

# Caddy's question to the platform, as gunicorn logs it.
ASK_ANSWERED = '"GET /internal/tls-ask HTTP/1.1" {status} '


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, stacks_to_clean_up):
    # Never skipped: CI installs both with scripts/system-deps.sh, as `make` does here.
    if missing := missing_programs():
        pytest.fail(f"{', '.join(missing)} not installed: run `bash scripts/system-deps.sh`")
    with django_db_blocker.unblock():
        settings_dict = dict(connections["default"].settings_dict)
        # The stack's database is a copy of this one: nobody may be connected to it.
        connections.close_all()
    running = Stack(settings_dict)
    stacks_to_clean_up.append(running)
    with running:
        yield running


def test_a_network_answers_over_https_with_hsts_and_secure_cookies(stack):
    page = stack.https(NETWORK_HOST, "/")
    sign_in = stack.https(NETWORK_HOST, "/comptes/login/")
    platform = stack.https(PLATFORM_DOMAIN, "/")

    assert page.status == 200
    html = page.body.decode()
    assert "Réseau poumon" in html
    hsts = re.match(r"max-age=(\d+)", page.headers["Strict-Transport-Security"])
    assert hsts and int(hsts[1]) >= 365 * 24 * 3600
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    # Django's full policy, not the Caddyfile's frame-ancestors-only default.
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "Server" not in page.headers
    # The certificate Caddy obtained on demand, for this host, from its own CA.
    assert ("DNS", NETWORK_HOST) in page.certificate["subjectAltName"]
    assert sign_in.status == 200
    cookies = sign_in.headers.get_all("Set-Cookie") or []
    assert cookies
    for cookie in cookies:
        assert re.search(r";\s*Secure", cookie, re.IGNORECASE), cookie
        assert re.search(r";\s*SameSite=Lax", cookie, re.IGNORECASE), cookie
    assert platform.status == 200
    # Static files, collected and served by WhiteNoise with DEBUG off, through Caddy.
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+)"', html)
    assert stylesheet, html[:2000]
    css = stack.https(NETWORK_HOST, stylesheet[1])
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")


def test_a_verified_custom_domain_gets_a_certificate(stack):
    response = stack.https(VERIFIED_DOMAIN, "/")

    assert response.status == 200
    assert "Réseau poumon" in response.body.decode()
    assert ("DNS", VERIFIED_DOMAIN) in response.certificate["subjectAltName"]
    # Caddy asked the platform first (gunicorn's access log leaves the query string out).
    assert _logged_by_gunicorn(stack, ASK_ANSWERED.format(status=200))


@pytest.mark.parametrize("hostname", [PENDING_DOMAIN, "inconnu.example.net"])
def test_an_unverified_or_unknown_domain_gets_no_certificate(stack, hostname):
    with pytest.raises(ssl.SSLError) as refused:
        stack.https(hostname, "/")

    # Caddy ended the handshake: no certificate at all, not one the client rejected.
    assert not isinstance(refused.value, ssl.SSLCertVerificationError), refused.value
    assert _logged_by_gunicorn(stack, ASK_ANSWERED.format(status=404))


def _logged_by_gunicorn(stack, text: str) -> bool:
    # gunicorn writes the access log line after the answer, which Caddy may act on first.
    deadline = time.monotonic() + 5
    while text not in stack.processes["gunicorn"].log.read_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_ask_endpoint_is_not_reachable_through_caddy(stack):
    response = stack.https(NETWORK_HOST, f"/internal/tls-ask?domain={VERIFIED_DOMAIN}")

    assert response.status == 404


def test_the_worker_runs_jobs_deferred_through_pgbouncer(stack):
    # Provisioning the network deferred the admin's invitation email while the worker was
    # starting; the worker sends it (EMAIL_URL writes messages to files).
    status = None
    deadline = time.monotonic() + 20
    with stack.connect() as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT status FROM procrastinate_jobs WHERE task_name = %s AND args->>%s = %s",
                ["tenant_apps.members.jobs.invitation_send", "schema_name", NETWORK],
            ).fetchone()
            status = row and row[0]
            if status in {"succeeded", "failed"}:
                break
            time.sleep(0.2)
    assert status == "succeeded"
    messages = [path.read_text() for path in stack.mail_dir.glob("*.log")]
    invitations = [message for message in messages if f"To: {ADMIN_EMAIL}" in message]
    assert len(invitations) == 1, messages
    link = re.search(
        rf"https://{re.escape(NETWORK_HOST)}:{stack.ports['https']}(/invitation/\S+/)",
        invitations[0],
    )
    assert link, invitations[0]
    # The emailed link opens, through Caddy.
    assert stack.https(NETWORK_HOST, link[1]).status == 200
    # gunicorn and the worker hold their connections through PgBouncer, in session mode.
    with stack.pgbouncer_admin() as console:
        cursor = console.execute("SHOW POOLS")
        columns = [column.name for column in cursor.description]
        pools = [dict(zip(columns, row, strict=True)) for row in cursor]
    pool = next(pool for pool in pools if pool["database"] == stack.db_name)
    assert pool["pool_mode"] == "session"
    # In session mode each client holds its server connection: the worker's, gunicorn's.
    assert pool["cl_active"] >= 2
    assert pool["sv_active"] == pool["cl_active"]
