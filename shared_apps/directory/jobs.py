"""The directory's jobs: the emails its writes leave to send once committed, the yearly
reminder to confirm a listing, and the customers' listings kept in step with their networks.

Everything here runs in the public schema: the emails' jobs are deferred from it (their
``schema_name`` is "public"), the periodic ones switch to it. Each email is claimed by a
conditional write inside the transaction that sends it, so a job run twice sends it once.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from procrastinate.contrib.django import app

from core.jobs import tenant_job
from shared_apps.directory import services
from shared_apps.directory.models import Association, Review
from tenants.links import tenant_base_url
from tenants.models import Tenant

logger = logging.getLogger(__name__)


def platform_url(name: str, *args: object) -> str:
    """A page of the directory on the platform's primary domain, never a request's Host."""
    public = Tenant.objects.filter(schema_name="public").first()
    base = (
        tenant_base_url(public)
        if public is not None and public.domains.filter(is_primary=True).exists()
        else tenant_base_url(Tenant(), domain=settings.PLATFORM_DOMAIN)
    )
    return base + reverse(name, args=args, urlconf="config.urls_public")


def listing_url(kind: str, listing) -> str:
    """A published listing's page in the directory."""
    if kind == "event":
        return platform_url("directory:event", listing.pk)
    return platform_url(f"directory:{kind}", listing.slug)


def _send(template: str, email: str, **context: object) -> None:
    with translation.override("fr"):
        context = {"platform": settings.PLATFORM_NAME, **context}
        subject = render_to_string(f"directory/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"directory/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


@tenant_job()
def decision_email(*, kind: str, listing_id: int) -> None:
    """Tell the proposer what became of their proposal, then forget their address."""
    with transaction.atomic():
        claimed = services.decision_claim(kind=kind, listing_id=listing_id)
        if claimed is None:
            return  # told already
        listing, email = claimed
        published = listing.review == Review.PUBLISHED
        _send(
            "published" if published else "refused",
            email,
            kind=kind,
            title=str(listing),
            reason=listing.refusal_reason,
            url=listing_url(kind, listing) if published else "",
            propose_url=platform_url("directory_contrib:propose"),
        )


@tenant_job()
def claim_email(*, association_id: int) -> None:
    """Send the claim link to the listing's own contact address."""
    association = Association.objects.filter(pk=association_id, review=Review.PUBLISHED).first()
    if association is None or not association.contact_email:
        return
    _send(
        "claim",
        association.contact_email,
        name=association.name,
        url=platform_url("directory_contrib:claim", services.claim_token(association)),
        days=services.CLAIM_MAX_AGE.days,
    )


def _remind(association_id: int) -> bool:
    with transaction.atomic():
        if not services.reminder_claim(association_id=association_id):
            return False  # confirmed or reminded since
        association = Association.objects.get(pk=association_id)
        _send(
            "reminder",
            association.contact_email,
            name=association.name,
            confirmed_at=association.confirmed_at,
            claimed=association.claimed_at is not None,
            manage_url=platform_url("directory_contrib:manage", association.slug),
            claim_url=platform_url("directory_contrib:claim_request", association.slug),
        )
    return True


def reminders_send() -> int:
    """Remind each published listing unconfirmed for a year, at most once a year; how many."""
    return sum(_remind(association_id) for association_id in services.reminders_due())


@app.periodic(cron="23 9 * * *")
@app.task(name="directory.reminders_sweep", queue="default")
def reminders_sweep(timestamp: int) -> int:
    """Every day, in the public schema: the yearly reminders that are due."""
    connection.set_schema_to_public()
    try:
        return reminders_send()
    finally:
        connection.close()  # the worker's thread gives its connection back


@tenant_job()
def customer_sync(*, organization_id: int) -> None:
    """Bring a customer association's listing in step with its organization and networks."""
    services.association_sync_customer(organization_id=organization_id)


def customers_sync_all() -> int:
    """Every customer's listing brought in step; how many."""
    organizations = services.customer_organizations()
    for organization_id in organizations:
        services.association_sync_customer(organization_id=organization_id)
    return len(organizations)


@app.periodic(cron="47 2 * * *")
@app.task(name="directory.customers_sweep", queue="default")
def customers_sweep(timestamp: int) -> int:
    """Every night, in the public schema: every customer's listing, in case a change was
    missed (a network listed or unlisted in the admin)."""
    connection.set_schema_to_public()
    try:
        return customers_sync_all()
    finally:
        connection.close()
