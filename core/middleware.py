"""A NUL or another control character has no place in an address: no pseudonym, slug or id
holds one, and PostgreSQL refuses a NUL in a query (a 500 wherever a view looks the value
up). Such an address is one that does not exist: the product's own 404, before any view."""

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharactersNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL.search(request.path):
            raise Http404
        return self.get_response(request)
