"""Host → tenant resolution, cached per process.

Only verified domains serve: a custom domain an admin has added answers the unknown host's
404 until its DNS record is verified (tenants.domains), and again once it is no longer.

Each process keeps what it resolved for a few seconds (TENANT_HOST_CACHE_SECONDS) and
forgets everything as soon as a tenant, domain or branding changes in this process, and
again when that change commits. Other processes see a change once their entries expire,
so the bound on staleness across processes is the cache lifetime.
"""

import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save

from tenants.models import Branding, Domain, Tenant

# Unknown hosts are cached too (as None); this caps what a flood of random hosts can hold.
_MAX_ENTRIES = 10_000
_entries: dict[str, tuple[float, Tenant | None]] = {}
_lock = threading.Lock()


def tenant_for_host(hostname: str) -> Tenant | None:
    """The tenant this hostname serves (a verified domain), with its branding, its
    organization and its primary domain (``tenant.primary_domain``, for absolute links in
    every page's head), or None."""
    now = time.monotonic()
    hit = _entries.get(hostname)
    if hit is not None and hit[0] > now:
        return hit[1]
    primary = Domain.objects.filter(tenant=OuterRef("tenant"), is_primary=True).values("domain")
    domain = (
        # The organization's subscription and plan too (shared_apps.billing): white label
        # and the admins' billing banner cost no query; billing forgets hosts on a change.
        Domain.objects.select_related(
            "tenant__branding", "tenant__organization__subscription__plan"
        )
        .annotate(primary_domain=Subquery(primary[:1]))
        .filter(domain=hostname.lower(), verified=True)
        .first()
    )
    tenant = domain.tenant if domain else None
    if tenant is not None:
        tenant.primary_domain = domain.primary_domain
    with _lock:
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()
        _entries[hostname] = (now + settings.TENANT_HOST_CACHE_SECONDS, tenant)
    return tenant


def forget_hosts() -> None:
    """Drop every cached resolution in this process."""
    with _lock:
        _entries.clear()


def _on_change(**kwargs: object) -> None:
    forget_hosts()
    # A request resolving between this change and its commit caches the old row again.
    transaction.on_commit(forget_hosts)


def connect_invalidation() -> None:
    for model in (Tenant, Domain, Branding):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"hosts-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"hosts-del-{model.__name__}")
