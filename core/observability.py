"""Error reporting: Sentry when a DSN is configured, with the tenant and without personal data."""

from typing import Any

# Request parts that may hold personal or health data; never sent with an error report.
_SCRUBBED_REQUEST_KEYS = ("data", "cookies", "query_string", "headers")


def tag_tenant_and_scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Attach the current schema to the report and drop what could identify a member."""
    from django.db import connection

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
