"""Error reporting: Sentry when a DSN is configured, with the tenant and without personal data."""

from typing import Any

from django.db import connection

# Request parts that may hold personal or health data; never sent with an error report.
_SCRUBBED_REQUEST_KEYS = ("data", "cookies", "query_string", "headers")


def tag_tenant_and_scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Attach the current schema to the report and drop what could identify a member."""
    event.setdefault("tags", {})["tenant"] = getattr(connection, "schema_name", "public")
    request = event.get("request") or {}
    for key in _SCRUBBED_REQUEST_KEYS:
        request.pop(key, None)
    event.pop("user", None)
    return event


def init_sentry(*, dsn: str, environment: str) -> None:
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
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=tag_tenant_and_scrub,
        traces_sample_rate=0.0,
    )
