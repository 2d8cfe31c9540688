"""Sending schemathesis' generated requests to Django in-process, and counting what comes back.

One WSGI application, called in this thread and on this test's database connection: every
request runs in a savepoint that is rolled back after it (not an atomic block, which a
service's ``atomic(durable=True)`` would refuse to nest in), so each one starts from the same
world and a request that breaks the transaction breaks only itself.
"""

import contextlib
import fcntl
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

from tests.fixtures import host_of

# Requests drawn per operation and mode (valid, then invalid); more with the variable.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "2"))
NEGATIVE_EXAMPLES = int(os.environ.get("SCHEMATHESIS_NEGATIVE_EXAMPLES", "1"))
# What the answers must satisfy: no 5xx, and the schema's statuses, types, bodies, headers.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]
APP = WSGIHandler()
# What a server puts in every request's environment (the throttles count by address).
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


@dataclass
class Result:
    operations: int = 0
    examples: int = 0
    seconds: float = 0.0  # sending this identity's requests
    # The whole run (drawing and every identity's requests): wall clock, and this process's
    # CPU time, which the load of a shared machine inflates less.
    run_seconds: float = 0.0
    run_cpu_seconds: float = 0.0
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "operations": self.operations,
            "examples": self.examples,
            "server_errors": len(self.server_errors),
            "violations": len(self.violations),
            "sending_seconds": round(self.seconds, 1),
            "run_seconds": round(self.run_seconds, 1),
            "run_cpu_seconds": round(self.run_cpu_seconds, 1),
            "max_examples": MAX_EXAMPLES,
            "negative_examples": NEGATIVE_EXAMPLES,
        }

    @staticmethod
    def details(found: list[str]) -> str:
        return f"{len(found)} found:\n" + "\n\n".join(found[:10])


def network_schema(tenant) -> tuple:
    """A network's OpenAPI schema, as its host serves it, and that host."""
    with schema_context("public"):
        host = host_of(tenant)
    return _load(host, "/api/schema/"), host


def platform_schema() -> tuple:
    """The directory's OpenAPI schema on the platform's domain, and that host."""
    host = settings.PLATFORM_DOMAIN
    return _load(host, "/api/annuaire/schema/"), host


def _load(host: str, path: str):
    with _in_process():
        return schemathesis.openapi.from_wsgi(
            f"{path}?format=json", APP, headers={"Host": host}, environ_overrides=ENVIRON
        )


def fuzz_schema(
    schema,
    *,
    host: str,
    identities: dict[str, dict],
    skip: frozenset | set = frozenset(),
    known: dict[str, dict] | None = None,
) -> dict[str, Result]:
    """Every operation of ``schema`` but ``skip`` ("GET /path/"): the requests drawn for it,
    sent once as each identity (its name → what signs it in: ``{"headers": {...},
    "cookies": {...}}``, either left out; ``"limit"`` sends only its first requests).

    ``known`` gives a path's parameters that name something that exists ("/api/x/{id}/" →
    {"id": 3}): its valid requests use them, to reach past the 404 of a random id, and its
    invalid ones still draw their own."""
    known = known or {}
    started, cpu_started = time.perf_counter(), time.process_time()
    results = {name: Result() for name in identities}
    checks = [getattr(schemathesis.checks, name) for name in CHECKS]
    paths = set()
    for found in schema.get_all_operations():
        operation = found.ok()
        paths.add(operation.path)
        if operation.label in skip:
            continue
        # Invalid requests where there is input to get wrong: a body or a query (an invalid
        # id in a path is one more 404, and slow to draw).
        negative = NEGATIVE_EXAMPLES if _takes_input(operation) else 0
        cases = [
            (mode, case)
            for mode, count in (
                (GenerationMode.POSITIVE, MAX_EXAMPLES),
                (GenerationMode.NEGATIVE, negative),
            )
            for case in draw(
                operation,
                mode,
                count,
                known.get(operation.path) if mode is GenerationMode.POSITIVE else None,
            )
        ]
        for name, identity in identities.items():
            result = results[name]
            sending = time.perf_counter()
            result.operations += 1
            for mode, case in cases[: identity.get("limit")]:
                send(case, mode, host=host, identity=identity, checks=checks, result=result)
            result.seconds += time.perf_counter() - sending
    if unknown := set(known) - paths:
        raise ValueError(f"no such paths in the schema: {sorted(unknown)}")
    for result in results.values():
        result.run_seconds = time.perf_counter() - started
        result.run_cpu_seconds = time.process_time() - cpu_started
    return results


def _takes_input(operation) -> bool:
    return bool(list(operation.body)) or any(
        parameter.location == "query" for parameter in operation.iter_parameters()
    )


def draw(operation, mode: GenerationMode, count: int, path_parameters: dict | None) -> list:
    """``count`` requests for ``operation``, the same ones on every run (derandomized)."""
    if not count:
        return []
    # Apps send JSON; the form encodings' bodies are slower to draw and parse the same way.
    json_body = any(body.media_type == "application/json" for body in operation.body)
    strategy = operation.as_strategy(
        generation_mode=mode,
        media_type="application/json" if json_body else None,
        path_parameters=path_parameters,
    )
    drawn: list = []

    @hypothesis_settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def collect(case) -> None:
        drawn.append(case)

    collect()
    return drawn


def send(case, mode, *, host: str, identity: dict, checks: list, result: Result) -> None:
    """Send ``case`` and file its failed checks as server errors or schema violations."""
    result.examples += 1
    errors: list[str] = []
    with _in_process(errors), _rolled_back():
        cache.clear()  # the API's rate limits count per member: none is reached here
        headers = identity.get("headers", {})
        response = case.call(
            base_url=f"http://{host}",
            headers=headers,
            cookies=identity.get("cookies"),
            environ_overrides=ENVIRON,
        )
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Failure, FailureGroup) as failure:
            failures = failure.exceptions if isinstance(failure, FailureGroup) else [failure]
            for one in failures:
                found = result.server_errors if response.status_code >= 500 else result.violations
                found.append(_describe(mode, case, response, one, errors))


def _describe(mode, case, response, failure, errors) -> str:
    body = response.content[:300].decode(errors="replace")
    request = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.200}"
    return (
        f"[{mode.value}] {request}\n→ {response.status_code} {body}\n"
        f"{failure.title}: {failure.message[:500]}" + ("\n" + errors[0] if errors else "")
    )


@contextlib.contextmanager
def _in_process(errors: list[str] | None = None):
    """Django's handler on the test's connection, as the test client runs it: the request's
    end must not close the connection (that would end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def record(sender, request=None, **kwargs):
        if errors is not None:
            errors.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(record, weak=False)
    try:
        yield
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextlib.contextmanager
def _rolled_back():
    tenant = connection.tenant  # the host's middleware moves the connection to its network
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        connection.needs_rollback = False
        connection.set_tenant(tenant)


def report(name: str, result: Result) -> None:
    """Print one line and keep the counts in .data/schemathesis.json (one key per run), and
    the failed requests in .data/schemathesis-<name>.txt."""
    summary = result.summary()
    line = (
        f"schemathesis {name}: {summary['operations']} operations, {summary['examples']} "
        f"examples, {summary['server_errors']} server errors, {summary['violations']} "
        f"schema violations (sent in {summary['sending_seconds']} s; the run "
        f"{summary['run_seconds']} s, {summary['run_cpu_seconds']} s of CPU)"
    )
    print(line, file=sys.stderr)
    path = Path(settings.BASE_DIR) / ".data" / "schemathesis.json"
    path.parent.mkdir(exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            kept = json.loads(path.read_text())
        except (FileNotFoundError, ValueError):
            kept = {}
        kept[name] = summary
        path.write_text(json.dumps(kept, indent=2, sort_keys=True) + "\n")
    # What failed, request by request, beside it (none: no file).
    failures = path.with_name(f"schemathesis-{name.replace(' ', '-')}.txt")
    failures.unlink(missing_ok=True)
    if found := result.server_errors + result.violations:
        failures.write_text("\n\n".join(found) + "\n")


def assert_clean(api: str, results: dict[str, Result], *, operations_at_least: int) -> None:
    """Report each identity's run, then fail on a server error or a schema violation, or when
    fewer operations than expected were read (a schema that did not load whole)."""
    for role, result in results.items():
        report(f"{api} as {role}", result)
    for role, result in results.items():
        assert result.operations >= operations_at_least, role
        assert result.server_errors == [], (role, result.details(result.server_errors))
        assert result.violations == [], (role, result.details(result.violations))
