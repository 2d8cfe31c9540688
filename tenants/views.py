from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.views.static import serve
from django_tenants.utils import get_public_schema_name

from tenants import icons, theme
from tenants.models import Branding

# Where the tenant storage keeps what anyone may fetch: logos (Branding.logo).
PUBLIC_MEDIA_PREFIX = "branding/"


def tenant_media(request: HttpRequest, path: str) -> HttpResponse:
    """A public file of the current tenant (its branding); another tenant's files are out
    of reach by construction. Members' files have their own views, which check who asks."""
    parts = path.split("/")
    if ".." in parts:
        raise SuspiciousFileOperation("A media path climbs out of the network's files.")
    if f"{parts[0]}/" != PUBLIC_MEDIA_PREFIX or "." in parts or "" in parts:
        raise Http404
    return serve(request, path, document_root=default_storage.location)


def _branding(request: HttpRequest) -> Branding:
    """The network's branding; on the platform's own domain, the platform's name in the
    default colours (an unsaved row: the platform has no branding of its own)."""
    if request.tenant.schema_name == get_public_schema_name():
        return Branding(display_name=settings.PLATFORM_NAME)
    return request.tenant.branding


def brand_icon(request: HttpRequest, size: int) -> HttpResponse:
    """The network's icon (or the platform's, on its domain) at one of
    ``icons.ICON_SIZES``: public, like its logo."""
    if size not in icons.ICON_SIZES:
        raise Http404
    branding = _branding(request)
    etag = f'"{icons.icon_version(branding)}-{size}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(icons.brand_icon_png(branding, size), content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for by themselves: the 32 px icon (a PNG)."""
    return brand_icon(request, 32)


def apple_touch_icon(request: HttpRequest) -> HttpResponse:
    """/apple-touch-icon.png, which phones ask for by themselves: the 180 px icon."""
    return brand_icon(request, 180)


# A year: the address changes with the colours (tenants.theme).
STYLESHEET_MAX_AGE = 365 * 24 * 3600


def brand_stylesheet(request: HttpRequest, version: str) -> HttpResponse:
    """The network's palette as a stylesheet (``tenants.theme``), linked from every page.

    Kept for a year under its current version; an older version's address (a page still
    cached somewhere) gets today's colours, revalidated on every use.
    """
    css = theme.branding_css(request.tenant.branding)
    current = theme.palette_version(css)
    etag = f'"{current}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    if version == current:
        patch_cache_control(response, public=True, max_age=STYLESHEET_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    return response
