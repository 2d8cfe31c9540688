"""Error reports reach Sentry with the network and the release, and without personal data.

A local HTTP server stands in for Sentry's endpoint (the SDK posts envelopes to
``/api/<project>/envelope/``); a member posts a new topic whose service is made to fail with
an exception quoting the form (an email address, another member's pseudonym, the post's
text) and the member's own pseudonym; none of it may be in what the server receives.
"""

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from core import observability
from core.observability import init_sentry, scrub_breadcrumb, tag_tenant_and_scrub
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category
from tenants.logging import JsonFormatter, TenantFilter

pytestmark = pytest.mark.django_db

EMAIL = "claire.dupont@example.org"
PSEUDONYM = "PapillonBleu"
TEXT = "Ma chimio reprend lundi, je suis terrifiee"


class _Sentry(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sentry)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    init_sentry(
        dsn=f"http://key@127.0.0.1:{server.server_port}/1",
        environment="test",
        release="entraide@test-release",
    )
    yield server
    sentry_sdk.get_client().close(timeout=2)
    # No DSN and no integrations: reporting off again for the rest of the run (a client with
    # the default integrations would still add trace variables to every subprocess).
    sentry_sdk.init(default_integrations=False)
    server.shutdown()
    server.server_close()


def test_an_error_report_has_the_network_and_none_of_the_request_s_personal_data(
    sentry_server, tenant, client_as, role_accounts, monkeypatch
):
    pseudonym_of_poster = role_accounts["member"].username
    category = Category.objects.order_by("pk").first()

    def failing_topic_create(*, author, title, body, **kwargs):
        secret_note = f"{author.user.username} {author.user.email}"  # a local variable
        raise RuntimeError(f"could not save {title!r} ({body}) for {secret_note}\nDETAIL: {body}")

    monkeypatch.setattr(forums, "topic_create", failing_topic_create)
    client = client_as("member", raise_request_exception=False)
    response = client.post(
        f"/forums/{category.slug}/nouveau/",
        {"title": f"Pour {PSEUDONYM}", "body": f"{TEXT}, ecrivez-moi a {EMAIL}"},
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)

    assert sentry_server.received, "no report reached the stand-in"
    assert {path for path, _body in sentry_server.received} == {"/api/1/envelope/"}
    sent = b"\n".join(body for _path, body in sentry_server.received)
    events = [
        json.loads(line)
        for line in sent.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert events, sent[:500]
    for event in events:
        assert event["tags"]["tenant"] == "alpha"
        assert event["release"] == "entraide@test-release"
        assert "RuntimeError" in json.dumps(event["exception"])
    for secret in (EMAIL, PSEUDONYM, TEXT, "terrifiee", pseudonym_of_poster,
                   client.cookies["sessionid"].value, "csrftoken"):  # fmt: skip
        assert secret.encode() not in sent, secret
    assert b'"vars"' not in sent  # no local variables
    # The message's first line only: what follows it (a database error's DETAIL) is cut.
    values = [v["value"] for e in events for v in e["exception"]["values"]]
    assert values and all("\n" not in value for value in values), values
    assert any(value.startswith("could not save '[redacted]'") for value in values), values


def test_outside_a_request_emails_and_database_details_are_taken_out():
    """A job's error: no request to take values from; addresses and DETAIL still go."""
    event = {
        "exception": {"values": [{
            "type": "IntegrityError",
            "value": "duplicate key for jean@example.org\nDETAIL:  Key (email)=(jean@example.org)",
            "stacktrace": {"frames": [{"function": "run", "vars": {"email": "jean@example.org"}}]},
        }]},
        "request": {"data": "body", "cookies": {"sessionid": "x"}, "headers": {"Cookie": "x"},
                    "url": "http://alpha.localhost/"},
        "user": {"email": "jean@example.org"},
        "breadcrumbs": {"values": [{"message": "sent to jean@example.org"}]},
    }  # fmt: skip
    scrubbed = tag_tenant_and_scrub(event, {})
    assert "jean@example.org" not in json.dumps(scrubbed)
    assert scrubbed["exception"]["values"][0]["value"] == "duplicate key for [email]"
    assert scrubbed["request"] == {"url": "http://alpha.localhost/"}
    assert "user" not in scrubbed
    assert scrubbed["tags"]["tenant"] == connection.schema_name
    crumb = scrub_breadcrumb(
        {"category": "query", "message": "SELECT 1 WHERE a = %s", "data": {"db.params": ["x"]}},
        {},
    )
    assert crumb == {"category": "query", "message": "SELECT 1 WHERE a = %s"}


def test_log_lines_carry_the_network_as_json(tenant):
    record = logging.LogRecord(
        "entraide", logging.WARNING, __file__, 1, "slow page %s", ("/",), None
    )
    TenantFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["tenant"] == "alpha"
    assert line["message"] == "slow page /"
    assert line["level"] == "WARNING"


def test_a_value_the_request_carried_never_garbles_the_event_s_structure(rf):
    """A year typed in a form is taken out of messages, not out of the event's timestamp."""
    request = rf.post("/evenements/nouveau/", {"year": "2026", "title": "Marche de Lorient"})
    request.POST  # noqa: B018 - the view read its form
    token = observability._current_request.set(request)
    try:
        event = tag_tenant_and_scrub(
            {
                "timestamp": "2026-12-06T21:00:00Z",
                "exception": {"values": [{"type": "ValueError",
                                          "value": "no room in 2026 for Marche de Lorient",
                                          "stacktrace": {"frames": [{"lineno": 2026}]}}]},
            },
            {},
        )  # fmt: skip
    finally:
        observability._current_request.reset(token)
    assert event["timestamp"] == "2026-12-06T21:00:00Z"
    assert event["exception"]["values"][0]["value"] == "no room in [redacted] for [redacted]"


def test_a_failed_job_s_report_names_the_job_s_network():
    """procrastinate logs a failure once the job has left its network: its own schema_name
    says which network it was."""
    record = logging.LogRecord(
        "procrastinate.worker", logging.ERROR, __file__, 1, "failed", (), None
    )
    record.job = {"task_name": "x", "task_kwargs": {"schema_name": "beta", "member_id": 4}}
    event = tag_tenant_and_scrub({"message": "Job x failed"}, {"log_record": record})
    assert event["tags"]["tenant"] == "beta"


def test_a_job_s_error_takes_out_the_network_s_pseudonyms_and_log_arguments(tenant, role_accounts):
    """No request in a job: a pseudonym its exception or log line names is found among the
    network's accounts (the worker is back in public when procrastinate logs the failure)."""
    pseudonym = role_accounts["member"].username
    record = logging.LogRecord(
        "procrastinate.worker",
        logging.ERROR,
        __file__,
        1,
        "digest failed for %s",
        (pseudonym,),
        None,
    )
    record.job = {"task_name": "digest", "task_kwargs": {"schema_name": "alpha", "member_id": 4}}
    event = {
        "exception": {"values": [{"type": "ValueError", "value": f"no digest for '{pseudonym}'."}]},
        "logentry": {"message": "digest failed for %s", "params": [pseudonym],
                     "formatted": f"digest failed for {pseudonym}"},
        "breadcrumbs": {"values": [{"type": "log", "message": f"sent to {pseudonym}"}]},
    }  # fmt: skip
    with schema_context("public"):
        scrubbed = tag_tenant_and_scrub(event, {"log_record": record})
    assert pseudonym not in json.dumps(scrubbed)
    assert scrubbed["exception"]["values"][0]["value"] == "no digest for '[redacted]'."
    assert scrubbed["logentry"] == {
        "message": "digest failed for %s",
        "formatted": "digest failed for %s",
    }
    crumb = scrub_breadcrumb(
        {"type": "log", "message": f"mail to {EMAIL} for {pseudonym}", "data": {"to": EMAIL}},
        {"log_record": logging.LogRecord("x", logging.INFO, __file__, 1, "mail to %s", (), None)},
    )
    assert crumb == {"type": "log", "message": "mail to %s"}


def test_when_names_cannot_be_looked_up_no_free_text_is_sent(tenant, role_accounts):
    """An error inside a transaction the database has aborted: no message leaves at all."""
    pseudonym = role_accounts["member"].username
    with transaction.atomic():
        with pytest.raises(DatabaseError):
            connection.cursor().execute("SELECT 1/0")  # the transaction is aborted from here
        scrubbed = tag_tenant_and_scrub(
            {"exception": {"values": [{"type": "ValueError", "value": f"for {pseudonym}"}]},
             "message": f"for {pseudonym}"},
            {},
        )  # fmt: skip
        transaction.set_rollback(True)
    assert scrubbed["exception"]["values"][0] == {"type": "ValueError", "value": "[redacted]"}
    assert scrubbed["message"] == "[redacted]"
