from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from tenants import health, hosts


class TenantMiddleware(TenantMainMiddleware):
    """Resolve the host to a tenant through the per-process cache and enter its schema.

    Unknown hosts, and tenants that are not (or no longer) serving, answer the same 404
    page; a suspended tenant answers a translated 503 page. A read-only tenant (unpaid
    after its grace period, shared_apps.billing) answers every page but refuses writes with
    403: a translated page, or a JSON error from the API (docs/billing.md).
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        # The platform's own pages, and the status pages, show dates in the default zone.
        timezone.deactivate()
        # Caddy and container health checks call these by internal hostnames.
        if request.path_info in health.HOST_INDEPENDENT_PATHS:
            return health.HOST_INDEPENDENT_PATHS[request.path_info](request)
        hostname = request.get_host().split(":")[0].lower().rstrip(".")
        tenant = hosts.tenant_for_host(hostname)
        if tenant is None or tenant.status in (tenant.Status.PROVISIONING, tenant.Status.ARCHIVED):
            return _render_status_page(request, "404.html", 404)
        if tenant.status == tenant.Status.SUSPENDED:
            return _render_status_page(request, "tenants/unavailable.html", 503, tenant=tenant)
        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        if tenant.status == tenant.Status.READ_ONLY and not _read_only_allows(request):
            return _read_only_refusal(request, tenant)
        # Every date shown, and every date typed in a form, is in the network's time zone.
        branding = getattr(tenant, "branding", None)
        if branding is not None and tenant.schema_name != "public":
            timezone.activate(branding.zone)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The thread serves other networks next: nothing of this one's zone stays behind.
        timezone.deactivate()
        return response


def _render_status_page(
    request: HttpRequest, template: str, status: int, **context: object
) -> HttpResponse:
    # LocaleMiddleware has not run yet: pick the visitor's language here.
    with translation.override(translation.get_language_from_request(request)):
        response = render(request, template, context, status=status)
        response.headers["Content-Language"] = translation.get_language()
    if status == 503:
        response.headers["Retry-After"] = "3600"
    return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# What a read-only network still lets through: signing in and out (to read), a forgotten
# password (to sign in), the language, its admins' way to pay (shared_apps.billing), and a
# member's rights over their own data (GDPR: export, erasure, withdrawing a consent), which
# an unpaid bill does not suspend, and the emails' one-click unsubscribe (RFC 8058).
READ_ONLY_WRITES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_confirm_login_code",
        "account_reset_password",
        "account_reset_password_from_key",
        "mfa_authenticate",
        "gdpr_export",
        "gdpr_erase",
        "gdpr_consent_withdraw",
        "notifications:unsubscribe",
        "set_language",
        "billing_admin:checkout",
        "billing_admin:portal",
    }
)


def _read_only_allows(request: HttpRequest) -> bool:
    if request.method in SAFE_METHODS:
        return True
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return True  # the view layer answers its 404
    return match.view_name in READ_ONLY_WRITES


def _read_only_refusal(request: HttpRequest, tenant) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request)):
            detail = _("This network is read-only for now: nothing can be changed.")
        return JsonResponse({"detail": detail, "code": "read_only"}, status=403)
    return _render_status_page(request, "tenants/read_only.html", 403, tenant=tenant)
