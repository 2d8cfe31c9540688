"""The API's one exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

A service refuses with Django's ``ValidationError``; the API answers it as DRF's 400 with
errors by field, so views call services without a try/except of their own (the HackSoft
Django Styleguide's ``api/exception_handlers.py``). Not being signed in answers the 404 of
a missing page, like every other refusal.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def service_errors(error: DjangoValidationError, fields_by_code: dict | None = None) -> dict:
    """A service's refusal as errors by field, with DRF's key for those about the whole
    request. ``fields_by_code`` puts an error about the whole request with that code on a
    field instead: the one whose value lifts it."""
    if not hasattr(error, "error_dict"):
        field = (fields_by_code or {}).get(getattr(error, "code", None))
        if field is not None:
            return {field: [serializers.ErrorDetail(m, error.code) for m in error.messages]}
    errors = serializers.as_serializer_error(error)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def exception_handler(exc: Exception, context: dict):
    if isinstance(exc, DjangoValidationError):
        view = context.get("view")
        fields_by_code = getattr(view, "service_error_fields", None)
        exc = exceptions.ValidationError(service_errors(exc, fields_by_code))
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
