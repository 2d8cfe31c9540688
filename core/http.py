"""What a view reads from a request's form, the same way in every app."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data when the form was sent, else None (the form is shown unbound).

    Not ``request.POST or None``: a form sent with nothing in it (every box unticked, every
    field left out) is an empty ``QueryDict``, which that reads as "not sent", and the page
    came back as if nothing had been posted, with no message and nothing saved."""
    return request.POST if request.method == "POST" else None


def local_path(request: HttpRequest, value: object) -> str:
    """``value`` when it is an address of this site to go back to (``/…``), else "".

    A relative word ("1756", "queue") is no address: ``redirect()`` would take it for a
    view's name and fail, and off-site addresses are never followed."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (``handler400``), in the visitor's language rather than Django's bare
    "Bad Request": a form larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or with too many
    fields says so, and how not to lose what was typed."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)
    context = {
        "too_large": too_large,
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
    }
    return render(request, "400.html", context, status=400)


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 page that says what was wrong: for a form whose buttons or hidden fields sent a
    value no page offers (a view with a page of its own shows its form again instead)."""
    return render(request, "400.html", {"message": message}, status=400)
