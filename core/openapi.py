"""The responses every API view documents the same way in the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse

# Every refusal is the 404 of a missing address (the access modules' rule).
NOT_FOUND = OpenApiResponse(description="Not found, not signed in, or not allowed.")
# Bad input: 400 with the errors by field (members.api_errors, the one exception handler).
FIELD_ERRORS = OpenApiResponse(description="Field errors, by field name.")
