from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.static import serve

from tenants import selectors


def platform_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/platform_home.html", {"networks": selectors.listed_networks()})


def tenant_media(request: HttpRequest, path: str) -> HttpResponse:
    """A file of the current tenant; another tenant's files are out of reach by construction."""
    return serve(request, path, document_root=default_storage.location)
