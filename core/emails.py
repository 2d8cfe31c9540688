"""Every email a network sends is built here: who it is from, and whether it carries the
platform's mark.

A network on a paid plan is white label (``Plan.white_label``, shared_apps.billing): its
emails come from its own name, at an address on its own verified domain when the mail relay
may send for it (``EMAIL_FROM_NETWORK_DOMAINS``), else at ``DEFAULT_FROM_EMAIL``; nothing in
them names the platform. A network on the free plan sends from its name at the platform's
address, and its emails end with the platform's mark, as its pages do ("Powered by").
Emails of the platform itself (no network entered) come from ``DEFAULT_FROM_EMAIL`` under
``PLATFORM_NAME``.

The jobs and services of every app, and allauth's adapter, call ``network_email``; nobody
builds a sender of their own.
"""

from email.headerregistry import Address

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils.html import escape
from django.utils.translation import gettext as _

from tenants.models import Tenant


def _tenant(tenant: Tenant | None) -> Tenant | None:
    if tenant is None:
        tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Tenant) or tenant.schema_name == "public":
        return None
    return tenant


def white_label(tenant: Tenant | None) -> bool:
    """Whether the network's pages and emails carry no platform mark (a paid plan).

    Read through the organization's subscription, which the host middleware loads with the
    network (no query on a page); a job's network costs a query or two."""
    if tenant is None or tenant.organization_id is None:
        return False
    try:
        subscription = tenant.organization.subscription
    except ObjectDoesNotExist:
        return False
    return bool(subscription.plan.white_label)


def _own_domain(tenant: Tenant) -> str | None:
    """The network's own verified domain (not a subdomain of the platform), primary first."""
    suffix = f".{settings.PLATFORM_DOMAIN}"
    for domain in (
        tenant.domains.filter(verified=True)
        .order_by("-is_primary", "pk")
        .values_list("domain", flat=True)
    ):
        if not domain.endswith(suffix) and domain != settings.PLATFORM_DOMAIN:
            return domain
    return None


def sender(tenant: Tenant | None = None) -> str:
    """The From of an email of ``tenant`` (by default the current network)."""
    tenant = _tenant(tenant)
    if tenant is None:
        return str(Address(settings.PLATFORM_NAME, addr_spec=settings.DEFAULT_FROM_EMAIL))
    address = settings.DEFAULT_FROM_EMAIL
    if white_label(tenant) and settings.EMAIL_FROM_NETWORK_DOMAINS:
        domain = _own_domain(tenant)
        if domain is not None:
            address = f"{settings.EMAIL_FROM_NETWORK_LOCAL_PART}@{domain}"
    name = tenant.branding.display_name
    return str(Address(name, addr_spec=address))


def mark(tenant: Tenant | None = None) -> str:
    """The platform's mark at the end of a free network's emails; empty on a paid plan."""
    tenant = _tenant(tenant)
    if tenant is None or white_label(tenant):
        return ""
    return _("%(network)s is powered by %(platform)s.") % {
        "network": tenant.branding.display_name,
        "platform": settings.PLATFORM_NAME,
    }


def network_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    tenant: Tenant | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
) -> EmailMultiAlternatives:
    """An email of ``tenant`` (by default the current network), from its sender, with the
    platform's mark at the end on a free plan; the caller sends it. ``html``, if given, is
    an alternative body (with the same mark)."""
    tenant = _tenant(tenant)
    footer = mark(tenant)
    if footer:
        body = f"{body.rstrip()}\n\n-- \n{footer}\n"
    message = EmailMultiAlternatives(subject, body, sender(tenant), to, headers=headers or None)
    if html is not None:
        if footer:
            closing = html.lower().rfind("</body>")
            paragraph = f"<p>{escape(footer)}</p>"
            html = (
                f"{html[:closing]}{paragraph}{html[closing:]}"
                if closing >= 0
                else f"{html}{paragraph}"
            )
        message.attach_alternative(html, "text/html")
    return message
