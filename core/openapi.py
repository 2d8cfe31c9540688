"""The responses every API view documents the same way in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

# Every refusal is the 404 of a missing address (the access modules' rule).
NOT_FOUND = OpenApiResponse(description="Not found, not signed in, or not allowed.")
# Bad input: 400 with the errors by field (members.api_errors, the one exception handler).
FIELD_ERRORS = OpenApiResponse(description="Field errors, by field name.")


# --- Authentication, in the schema's securitySchemes -------------------------------------
# Registered by being defined (drf-spectacular's extensions are subclass-registered); the
# classes are named by path, so this base layer imports nothing of the members' app.


class SessionScheme(OpenApiAuthenticationExtension):
    """The browser's session (tenant_apps.members.drf.SessionAuthentication)."""

    target_class = "tenant_apps.members.drf.SessionAuthentication"
    name = "sessionAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": (
                "The network site's session cookie, once signed in on its pages. Writes also "
                "need the CSRF token in the X-CSRFToken header. A session of one network is "
                "no session on another."
            ),
        }


class TokenScheme(OpenApiAuthenticationExtension):
    """An app's personal access token (tenant_apps.members.drf.TokenAuthentication)."""

    target_class = "tenant_apps.members.drf.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ent_…",
            "description": (
                'A personal access token, made on the network\'s "My account" page '
                "(/compte/acces-api/), sent as `Authorization: Bearer ent_…`. It belongs to "
                "one network and carries its member's rights; no CSRF token is needed. A "
                "token that is unknown to the network, revoked, or whose member is "
                "suspended answers 401. Requests are limited per member (reads and writes) "
                "and, signed out, per address: past the limit, 429 with Retry-After."
            ),
        }


# The answers of authentication and throttling, which no view writes itself: every operation
# may be limited (429), and one that takes a token answers 401 when the token is refused.
THROTTLED = {
    "description": "Too many requests: wait the Retry-After header's seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
}
# Every address may be missing, or refused like a missing one (DESIGN: "anything outside a
# member's reach answers 404"), a page past the last one included: views that say nothing
# of it get it too (the directory's, whose reads are public).
MISSING = {"description": "Not found, not signed in, or not allowed."}
# A body that does not parse, or a body or query that fails a field's check, is a 400 with
# the errors by field.
BAD_INPUT = {"description": "Field errors, by field name (or a body that does not parse)."}
TOKEN_REFUSED = {
    "description": "The bearer token is refused: unknown to this network, or revoked.",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
}


def document_auth_answers(result: dict, generator, request, public) -> dict:
    """drf-spectacular's postprocessing hook (SPECTACULAR_SETTINGS): 404 and 429 on every
    operation, 400 on those that take a body or a query, 401 on those that accept
    ``tokenAuth``."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if "requestBody" in operation or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            ):
                operation["responses"].setdefault("400", BAD_INPUT)
            operation["responses"].setdefault("404", MISSING)
            operation["responses"].setdefault("429", THROTTLED)
            if {"tokenAuth": []} in operation.get("security", []):
                operation["responses"].setdefault("401", TOKEN_REFUSED)
    return result
