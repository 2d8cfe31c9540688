from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.static import serve

from tenants import selectors

# Where the tenant storage keeps what anyone may fetch: logos (Branding.logo).
PUBLIC_MEDIA_PREFIX = "branding/"


def platform_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/platform_home.html", {"networks": selectors.listed_networks()})


def tenant_media(request: HttpRequest, path: str) -> HttpResponse:
    """A public file of the current tenant (its branding); another tenant's files are out
    of reach by construction. Members' files have their own views, which check who asks."""
    parts = path.split("/")
    if ".." in parts:
        raise SuspiciousFileOperation("A media path climbs out of the network's files.")
    if f"{parts[0]}/" != PUBLIC_MEDIA_PREFIX or "." in parts or "" in parts:
        raise Http404
    return serve(request, path, document_root=default_storage.location)
