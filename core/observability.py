"""Error reporting: Sentry when a DSN is configured, tagged with the network and the release,
and without personal data.

What leaves the platform with an error report is the exception's type, its first line (any
DETAIL a database error adds is cut, it quotes the row's values), the stack's files, functions
and line numbers, the network's schema and the release. Never sent: the request's body,
cookies, headers and query string, the user, local variables, SQL parameters; every email
address is replaced, and so is every value the failing request carried (its form fields, its
JSON body, its query string, the signed-in person's pseudonym) wherever it shows up in the
event — an exception message that quotes a post's text or a pseudonym included. Log messages
go without their arguments (the template only). Any word of the report that is a username of
the report's network (a pseudonym named by a job's exception, where no request is) is
replaced too; if the database cannot say (an aborted transaction), no free text is sent.
"""

import json
import re
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpRequest
from django_tenants.utils import schema_context

# Request parts that may hold personal or health data; never sent with an error report.
_SCRUBBED_REQUEST_KEYS = ("data", "cookies", "query_string", "headers", "env")
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
REDACTED = "[redacted]"
# Values shorter than this are not searched for (a "1" or "on" would blank half the report).
_SHORTEST_SECRET = 3
# Words that could be a pseudonym (the characters a username may hold), looked up in the
# report's network; at most this many per report.
_WORD = re.compile(r"[\w.@+-]{3,150}", re.UNICODE)
_MOST_WORDS = 500

# The request being answered, for ``scrub_event`` to find the values it carried.
_current_request: ContextVar[HttpRequest | None] = ContextVar("report_request", default=None)


class ErrorReportRequestMiddleware:
    """Remember the request being answered while it is, so that an error report made during
    it can take out whatever the request carried. Reads nothing of the request itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def request_secrets(request: HttpRequest | None) -> set[str]:
    """Every value the request carried, as sent and as read: its query string, its form
    fields or JSON body (only if the body was read: a body nobody read reached no message),
    and the signed-in person's pseudonym."""
    if request is None:
        return set()
    found: set[str] = set()
    for values in request.GET.lists():
        found.update(values[1])
    post = request.__dict__.get("_post")
    if post is not None:
        for _name, values in post.lists():
            found.update(values)
    body = request.__dict__.get("_body")
    if body and post is not None and not post and request.content_type == "application/json":
        try:
            found.update(_strings(json.loads(body)))
        except (ValueError, UnicodeDecodeError):
            pass
    # The address's own values (a pseudonym in /membres/<pseudonym>/, a slug): the path is
    # in the report's URL and in Django's "Internal Server Error: <path>" log line.
    match = getattr(request, "resolver_match", None)
    if match is not None:
        found.update(str(value) for value in match.kwargs.values())
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        found.add(user.get_username())
    found.discard("csrfmiddlewaretoken")
    return {value for value in found if len(value) >= _SHORTEST_SECRET}


def _scrub_text(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return EMAIL.sub("[email]", text)


# Parts of an event that say how and when, never who: left as they are, so that a value the
# request carried ("2026", a year typed in a form) cannot garble a timestamp or a file name.
_STRUCTURE = frozenset({
    "timestamp", "start_timestamp", "event_id", "release", "environment", "platform", "sdk",
    "level", "logger", "contexts", "modules", "tags", "filename", "abs_path", "module",
    "function", "package", "lineno", "colno", "in_app", "type", "category",
})  # fmt: skip


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, secrets)
    if isinstance(value, dict):
        return {
            key: item if key in _STRUCTURE else _scrub(item, secrets) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _schema_of(hint: dict[str, Any]) -> str:
    """The network the report is about: a failed job's own ``schema_name`` (procrastinate
    logs the failure after ``core.jobs.tenant_job`` has left the network), else the
    connection's schema."""
    job = getattr((hint or {}).get("log_record"), "job", None)
    if isinstance(job, dict):
        schema = (job.get("task_kwargs") or {}).get("schema_name")
        if isinstance(schema, str) and schema:
            return schema
    return getattr(connection, "schema_name", "public")


def _texts(value: Any) -> Iterator[str]:
    """The event's free texts (messages, exception values), not its structure."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _STRUCTURE:
                yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


class _LookupFailed(Exception):
    pass


def pseudonyms_in(event: dict[str, Any], schema: str) -> set[str]:
    """The network's usernames (pseudonyms) that the event's texts name: a job or a command
    has no request to take them from, and a message may name someone other than the person
    signed in. Raises ``_LookupFailed`` when the database cannot answer (an aborted
    transaction): the caller then keeps no free text at all."""
    words: set[str] = set()
    for text in _texts(event):
        for word in _WORD.findall(text):
            words.update({word, word.strip(".-+@")})
            if len(words) > _MOST_WORDS:
                break
    words = {word for word in list(words)[:_MOST_WORDS] if len(word) >= _SHORTEST_SECRET}
    if not words:
        return set()
    try:
        # The failed job's network (the worker may be back in public by now): a read of its
        # own accounts table, in a savepoint so that a failure here changes nothing after.
        with schema_context(schema), transaction.atomic():
            return set(
                get_user_model()
                .objects.filter(username__in=words)
                .values_list("username", flat=True)
            )
    except Exception as error:  # noqa: BLE001 - an error report must never fail
        raise _LookupFailed from error


def _blank_free_texts(event: dict[str, Any]) -> None:
    """What is left when names cannot be looked up: the types, the stack, no message."""
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = REDACTED
    for key in ("message", "logentry"):
        if key in event:
            event[key] = REDACTED if key == "message" else {"message": REDACTED}
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        crumb.pop("message", None)


def tag_tenant_and_scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Attach the current schema to the report and take out what could identify a member."""
    schema = _schema_of(hint)
    event.setdefault("tags", {})["tenant"] = schema
    request = event.get("request") or {}
    for key in _SCRUBBED_REQUEST_KEYS:
        request.pop(key, None)
    event.pop("user", None)
    event.pop("extra", None)
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = _first_line(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry") or {}
    logentry.pop("params", None)
    # The SDK's "formatted" is the message with its arguments in it: the template only.
    if "formatted" in logentry:
        logentry["formatted"] = logentry.get("message", "")
    found = request_secrets(_current_request.get())
    try:
        found |= pseudonyms_in(event, schema)
    except _LookupFailed:
        _blank_free_texts(event)
    # Longest first: a value that contains another is replaced whole.
    secrets = sorted(found, key=len, reverse=True)
    return _scrub(event, secrets)


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any] | None:
    """Breadcrumbs keep what happened, not with what: SQL without its parameters, log
    messages without their arguments (``tag_tenant_and_scrub`` scrubs the rest)."""
    if crumb.get("category") == "query":
        crumb.pop("data", None)
    if crumb.get("category") == "httplib":
        crumb.get("data", {}).pop("http.query", None)
    record = (hint or {}).get("log_record")
    if crumb.get("type") == "log" and record is not None:
        # The log line's template, not the line with its arguments (an email, a pseudonym).
        crumb["message"] = str(record.msg)
        crumb.pop("data", None)
    return crumb


def git_release(base_dir: Path) -> str:
    """The checkout's commit, read from ``.git`` without running git; "" outside a checkout
    (an image built without its history sets ``RELEASE`` instead)."""
    git = base_dir / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head.removeprefix("ref: ")
        loose = git / ref
        if loose.is_file():
            return loose.read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        pass
    return ""


def init_sentry(*, dsn: str, environment: str, release: str = "") -> None:
    """Switch Sentry on when a DSN is present; do nothing otherwise."""
    if not dsn:
        return
    # Imported only when reporting is on: the settings import this module in every process
    # (commands, workers, tests), and the SDK with its Django integration takes seconds.
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=tag_tenant_and_scrub,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0.0,
    )
