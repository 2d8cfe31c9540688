"""Security headers (docs/security-headers.md): the Content-Security-Policy as it varies per
response, the Permissions-Policy, and the address browsers report CSP violations to.

The policy itself is ``settings.CONTENT_SECURITY_POLICY`` (django-csp): our own origin only,
no inline script or style. A violation report is logged without anything personal: the
directive, what was blocked reduced to its origin (or ``inline``, ``eval``…), and the page as
its route's name, never its address (``/membres/<pseudonym>/`` names a person).
"""

import json
import logging
from urllib.parse import urlsplit

from allauth.core.internal.ratelimit import get_ip
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from core.throttle import throttle_address_hit

logger = logging.getLogger("entraide.csp")

# A report is a few hundred bytes; anything much larger is not a browser's.
REPORT_MAX_BYTES = 16 * 1024
# The keywords browsers write in ``blocked-uri`` for what has no address.
_BLOCKED_KEYWORDS = frozenset({"inline", "eval", "wasm-eval", "trusted-types-policy",
                               "trusted-types-sink", "self", "data", "blob"})  # fmt: skip


# The operators' Django admin, on the platform's domain (config/urls_public.py).
ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with Stripe's pages in ``form-action`` while billing is on
    (paying is a form whose answer redirects to Stripe Checkout or its portal, and Chromium
    applies ``form-action`` to the redirect), and inline styles allowed in the operators'
    Django admin only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.update is not None:
            return parts
        update: dict[str, list[str]] = {}
        if settings.STRIPE_SECRET_KEY:
            origins = [_origin(url) for url in settings.STRIPE_REDIRECT_ORIGINS]
            update["form-action"] = [origin for origin in origins if origin]
        if request.path_info.startswith(ADMIN_PREFIX):
            # Django's admin writes inline styles (its templates' style attributes and
            # <style>, its scripts' style attributes): styles only, scripts stay 'self'.
            update["style-src"] = ["'unsafe-inline'"]
        parts.update = update or None
        return parts


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the browser features in ``settings.PERMISSIONS_POLICY``
    (camera, microphone, geolocation, payment…) refused to our pages and any frame in them;
    a feature with origins is allowed to those only."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(_allow(origin) for origin in origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _allow(origin: str) -> str:
    return origin if origin == "self" else f'"{origin}"'


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of an address; empty for something else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _blocked(value: object) -> str:
    """What was blocked, with nothing of its path or query: a keyword, a scheme, or an
    origin."""
    text = str(value or "")[:200]
    if text in _BLOCKED_KEYWORDS:
        return text
    origin = _origin(text)
    if origin:
        return origin
    scheme = text.split(":", 1)[0]
    return f"{scheme}:" if scheme.isalpha() and ":" in text else "other"


def _page(request: HttpRequest, url: object) -> str:
    """The route's name of the page the violation happened on (its address may name a
    member); ``other`` for a page of another site or an address no route answers."""
    parts = urlsplit(str(url or ""))
    if parts.netloc and parts.netloc != request.get_host():
        return "other"
    try:
        match = resolve(parts.path or "/", urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return "unknown"
    return match.view_name or "unknown"


# The Reporting API's names for report-uri's fields.
_REPORTING_KEYS = {
    "documentURL": "document-uri",
    "effectiveDirective": "effective-directive",
    "blockedURL": "blocked-uri",
    "sourceFile": "source-file",
}


def _reports(body: object) -> list[dict]:
    """The violations of a report: ``report-uri``'s ``{"csp-report": {...}}``, or the
    Reporting API's list of ``{"type": "csp-violation", "body": {...}}``."""
    if isinstance(body, dict) and isinstance(body.get("csp-report"), dict):
        return [body["csp-report"]]
    if isinstance(body, list):
        return [
            {_REPORTING_KEYS.get(key, key): value for key, value in item["body"].items()}
            for item in body[:10]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def _directive(report: dict) -> str:
    directive = report.get("effective-directive") or report.get("violated-directive") or ""
    directive = str(directive).split(" ", 1)[0][:40]
    return directive if directive.replace("-", "").isalpha() else "unknown"


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Where browsers send the violations of our Content-Security-Policy: each is logged
    (warning ``entraide.csp``) without the page's address or anything typed in it. Always
    204: a browser does nothing with the answer. At most ``THROTTLE_RATES["csp.report"]``
    reports an address are logged."""
    if len(request.body) > REPORT_MAX_BYTES:
        return HttpResponse(status=204)
    try:
        throttle_address_hit(action="csp.report", address=get_ip(request))
    except Throttled:
        return HttpResponse(status=204)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=204)
    for report in _reports(body):
        logger.warning(
            "CSP violation: %s blocked %s on %s",
            _directive(report),
            _blocked(report.get("blocked-uri")),
            _page(request, report.get("document-uri")),
            extra={
                "csp_directive": _directive(report),
                "csp_blocked": _blocked(report.get("blocked-uri")),
                "csp_page": _page(request, report.get("document-uri")),
                "csp_source": _blocked(report.get("source-file")),
                "csp_disposition": "report" if report.get("disposition") == "report" else "enforce",
            },
        )
    return HttpResponse(status=204)
