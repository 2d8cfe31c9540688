"""What writes the platform directory, from wherever it is called: a network's job (inside
its schema) or provisioning (in the public one). Each service switches to the public schema
itself, so the caller never joins across schemas."""

import hashlib
import html
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.jobs import defer_on_commit
from core.markup import render_markdown
from shared_apps.directory import search
from shared_apps.directory.models import (
    Association,
    AssociationNetwork,
    DirectoryEvent,
    Initiative,
    Listed,
    Resource,
    Review,
)
from tenants.links import tenant_base_url
from tenants.models import Organization, Tenant
from tenants.services import audit

SUMMARY_LENGTH = 300


@dataclass(frozen=True)
class Listing:
    """What an event shows of itself in the directory (nothing about any member)."""

    event_id: int
    title: str
    description_html: str
    format: str
    starts_at: datetime
    ends_at: datetime
    online: bool
    place: str
    network_name: str
    url: str


def summary_plain(description_html: str) -> str:
    """The description as one short line of plain text: no tag, no entity, no line break."""
    text = " ".join(html.unescape(strip_tags(description_html)).split())
    # Unescaping may reveal text that reads as a tag (``&lt;b&gt;``): strip it again.
    text = " ".join(strip_tags(text).split())
    return Truncator(text).chars(SUMMARY_LENGTH)


def directory_event_upsert(*, tenant_id: int, listing: Listing) -> DirectoryEvent:
    """Create or refresh a network's event in the directory; idempotent."""
    with schema_context("public"), transaction.atomic():
        copied = {
            "title": listing.title.strip()[:200],
            "summary": summary_plain(listing.description_html),
            "format": listing.format,
            "starts_at": listing.starts_at,
            "ends_at": listing.ends_at,
            "online": listing.online,
            "place": listing.place.strip()[:300],
            "network_name": listing.network_name[:200],
            "url": listing.url,
            "review": Review.PUBLISHED,
        }
        row, _created = DirectoryEvent.objects.update_or_create(
            tenant_id=tenant_id,
            event_id=listing.event_id,
            defaults=copied,
            # Published once: a later copy keeps the date of the first.
            create_defaults={**copied, "published_at": timezone.now()},
        )
        # Found by the directory's search like a submitted event.
        _reindex(DirectoryEvent, [row.pk])
    return row


def directory_event_remove(*, tenant_id: int, event_id: int) -> int:
    """Take a network's event out of the directory; how many rows went (0 or 1)."""
    with schema_context("public"):
        deleted, _rows = DirectoryEvent.objects.filter(
            tenant_id=tenant_id, event_id=event_id
        ).delete()
    return deleted


def directory_network_remove(*, tenant: Tenant) -> int:
    """Take every event of a network out of the directory (suspended or deleted), and the
    network out of its association's listing; how many events went."""
    with schema_context("public"):
        deleted, _rows = DirectoryEvent.objects.filter(tenant_id=tenant.pk).delete()
        AssociationNetwork.objects.filter(tenant_id=tenant.pk).delete()
    return deleted


# --- Contributions, review, claims and customers (the platform's domain) --------------------
#
# Every write below runs in the public schema (it switches there itself when called from a
# network's job or from provisioning), rewrites the search documents of what it touched and
# defers its emails on commit. An operator's decision is audited; a proposer's address is
# kept only until the decision is sent.

KINDS: dict[str, type[Listed]] = {
    "association": Association,
    "initiative": Initiative,
    "event": DirectoryEvent,
}
# How long a claim link works once emailed.
CLAIM_MAX_AGE = timedelta(days=7)
CLAIM_SALT = "directory.claim"
# One claim link per listing in this time, however many addresses ask: the contact address
# cannot be flooded through the platform's sender.
CLAIM_RESEND = timedelta(minutes=15)
# A proposal sent twice (a double click, a reload) is recognised by its form's token for as
# long as the form itself is accepted.
SUBMISSION_TTL = 3 * 3600
# The yearly reminder to confirm a listing.
REMINDER_EVERY = timedelta(days=365)


def kind_of(listing: Listed) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(listing, model))


def _reindex(model: type[models.Model], ids: list[int]) -> None:
    """The search documents of rows just written (dir-browse's search module)."""
    search.reindex(model, ids)


def _unique_slug(model: type[models.Model], text: str, *, exclude: int | None = None) -> str:
    base = slugify(text)[:70].strip("-") or "fiche"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _title_of(listing: models.Model) -> str:
    return str(getattr(listing, "name", None) or getattr(listing, "title", ""))


def _apply(listing: models.Model, values: dict[str, Any]) -> None:
    """Set plain fields and many-to-many relations (saved after the row is)."""
    relations = {}
    for name, value in values.items():
        field = listing._meta.get_field(name)
        if field.many_to_many:
            relations[name] = value
        else:
            setattr(listing, name, value)
    listing._pending_relations = relations  # type: ignore[attr-defined]


def _save(listing: models.Model) -> None:
    listing.full_clean(exclude=["slug", "search_vector", "logo"])
    listing.save()
    for name, value in getattr(listing, "_pending_relations", {}).items():
        getattr(listing, name).set(value)


def listing_propose(
    *, kind: str, values: dict[str, Any], proposer_email: str, submission: str
) -> tuple[Listed, bool]:
    """Record a proposal, waiting for review; the same form sent twice makes one proposal.

    ``submission`` is the form's own token: the first send claims it, a second send (a
    double click, a reload) gets the first send's proposal back. Returns (proposal, created).
    """
    model = KINDS[kind]
    key = f"directory:submission:{submission}"
    with schema_context("public"), transaction.atomic():
        if not cache.add(key, 0, timeout=SUBMISSION_TTL):
            existing = cache.get(key)
            found = model._default_manager.filter(pk=existing).first() if existing else None
            if found is not None:
                return found, False
            # The first send is still being written (or failed): nothing more to write.
            raise ValidationError(_("This proposal is already being sent."), code="duplicate")
        listing = model(review=Review.PROPOSED, proposer_email=proposer_email)
        _apply(listing, values)
        if isinstance(listing, (Association, Initiative)):
            listing.slug = _unique_slug(model, _title_of(listing))
        try:
            _save(listing)
        except ValidationError:
            cache.delete(key)
            raise
        cache.set(key, listing.pk, timeout=SUBMISSION_TTL)
        _reindex(model, [listing.pk])
    return listing, True


def listing_publish(
    *, listing: Listed, operator: Any, values: dict[str, Any] | None = None
) -> Listed:
    """Publish a proposal, with an operator's corrections if any; the proposer is told."""
    with schema_context("public"), transaction.atomic(durable=True):
        listing = _lock(listing)
        if values:
            _apply(listing, values)
        listing.review = Review.PUBLISHED
        listing.refusal_reason = ""
        listing.published_at = listing.published_at or timezone.now()
        _save(listing)
        _reindex(type(listing), [listing.pk])
        kind = kind_of(listing)
        audit(actor=str(operator), action="directory.publish", kind=kind, id=listing.pk)
        _decision_email_on_commit(kind, listing)
    return listing


def listing_refuse(*, listing: Listed, operator: Any, reason: str) -> Listed:
    """Refuse a proposal with a reason the proposer reads."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why, for the person who proposed it.")]})
    with schema_context("public"), transaction.atomic(durable=True):
        listing = _lock(listing)
        if listing.review == Review.PUBLISHED:
            raise ValidationError(_("This listing is published already."), code="published")
        listing.review = Review.REFUSED
        listing.refusal_reason = reason[:500]
        listing.save(update_fields=["review", "refusal_reason", "updated"])
        _reindex(type(listing), [listing.pk])
        kind = kind_of(listing)
        audit(actor=str(operator), action="directory.refuse", kind=kind, id=listing.pk)
        _decision_email_on_commit(kind, listing)
    return listing


def _lock(listing: Listed) -> Listed:
    return type(listing)._default_manager.select_for_update(of=("self",)).get(pk=listing.pk)


def _decision_email_on_commit(kind: str, listing: Listed) -> None:
    if listing.proposer_email:
        defer_on_commit(
            "shared_apps.directory.jobs.decision_email", kind=kind, listing_id=listing.pk
        )


def decision_claim(*, kind: str, listing_id: int) -> tuple[Listed, str] | None:
    """Take the proposer's address off a decided proposal, once: (proposal, address), or
    None when it was told already (or is still waiting). Inside the sender's transaction."""
    model = KINDS[kind]
    listing = (
        model._default_manager.select_for_update(of=("self",))
        .filter(pk=listing_id, review__in=[Review.PUBLISHED, Review.REFUSED])
        .exclude(proposer_email="")
        .first()
    )
    if listing is None:
        return None
    email = listing.proposer_email
    listing.proposer_email = ""
    listing.save(update_fields=["proposer_email"])
    return listing, email


# --- Claims, a manager's edits, confirmations, reminders ------------------------------------


def _contact_digest(association: Association) -> str:
    # A new contact address makes the links sent to the former one useless; so does a claim
    # (``claimed_at`` changes), so that a link works once: replayed by whoever else holds it
    # (a forwarded email), it claims nothing.
    claimed = association.claimed_at.isoformat() if association.claimed_at else ""
    state = f"{association.contact_email.lower()}|{claimed}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def claim_token(association: Association) -> str:
    """The signed, expiring token of a claim link (no address in it, only a digest)."""
    return signing.dumps(
        {"a": association.pk, "c": _contact_digest(association)}, salt=CLAIM_SALT, compress=True
    )


def claim_request(*, association: Association) -> bool:
    """Email the listing's contact address a link to claim it; False when it has none."""
    if not association.contact_email or association.review != Review.PUBLISHED:
        return False
    recent = f"directory:claim-sent:{association.pk}"
    if cache.add(recent, True, timeout=int(CLAIM_RESEND.total_seconds())):
        defer_on_commit("shared_apps.directory.jobs.claim_email", association_id=association.pk)
    # Sent now or a moment ago: the asker reads the same either way.
    return True


def claim_check(*, token: str) -> Association | None:
    """The published association a claim link names, or None when the link is forged, too
    old or was sent to a contact address the listing no longer has."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    with schema_context("public"):
        association = Association.objects.filter(pk=data["a"], review=Review.PUBLISHED).first()
    if association is None or _contact_digest(association) != data.get("c"):
        return None
    return association


def association_claim(*, token: str, user: Any) -> Association | None:
    """Make a signed-in platform account a manager of the listing a valid link names."""
    association = claim_check(token=token)
    if association is None:
        return None
    with schema_context("public"), transaction.atomic(durable=True):
        association = Association.objects.select_for_update(of=("self",)).get(pk=association.pk)
        association.managers.add(user)
        association.claimed_at = timezone.now()
        association.save(update_fields=["claimed_at", "updated"])
    return association


def association_manage(
    *, association: Association, user: Any, values: dict[str, Any]
) -> Association:
    """A manager's changes to their listing (re-checked like any proposal); the logo, when
    given, is already re-encoded (``ContentFile``), or ``False`` to remove it."""
    logo = values.pop("logo", None)
    with schema_context("public"), transaction.atomic(durable=True):
        association = Association.objects.select_for_update(of=("self",)).get(pk=association.pk)
        if not association.managers.filter(pk=user.pk).exists():
            raise PermissionDenied
        _apply(association, values)
        old_logo = association.logo.name if logo is not None else ""
        storage = association.logo.storage
        _save(association)
        if logo is False:
            association.logo = ""
        elif logo is not None:
            association.logo.save(f"{uuid.uuid4().hex}.png", logo, save=False)
        if logo is not None:
            association.save(update_fields=["logo"])
        if old_logo:
            transaction.on_commit(lambda: storage.delete(old_logo))
        _reindex(Association, [association.pk])
    return association


def association_confirm(*, association: Association, user: Any) -> Association:
    """A manager says the listing is up to date."""
    with schema_context("public"), transaction.atomic():
        if not association.managers.filter(pk=user.pk).exists():
            raise PermissionDenied
        association.confirmed_at = timezone.now()
        association.save(update_fields=["confirmed_at", "updated"])
    return association


def reminders_due(now: datetime | None = None) -> list[int]:
    """Published listings with a contact, unconfirmed and not reminded for a year."""
    year_ago = (now or timezone.now()) - REMINDER_EVERY
    with schema_context("public"):
        return list(
            Association.objects.filter(review=Review.PUBLISHED)
            .exclude(contact_email="")
            .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=year_ago))
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=year_ago))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def reminder_claim(*, association_id: int, now: datetime | None = None) -> bool:
    """Mark a reminder as sent, once a year however often the job runs: True when this run
    took it (inside the sender's transaction)."""
    now = now or timezone.now()
    year_ago = now - REMINDER_EVERY
    return bool(
        Association.objects.filter(pk=association_id)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=year_ago))
        .filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=year_ago))
        .update(reminded_at=now)
    )


# --- Customer associations ------------------------------------------------------------------


def association_for_organization(
    *, organization: Organization, description: str = ""
) -> Association:
    """Create a customer association's own listing (provisioning, when it opts in); the
    existing one when it has one already. Published: the operators created the customer."""
    with schema_context("public"), transaction.atomic():
        existing = Association.objects.filter(organization=organization).first()
        if existing is not None:
            return existing
        association = Association.objects.create(
            organization=organization,
            name=organization.name[:200],
            slug=_unique_slug(Association, organization.name),
            description=description[:5000],
            review=Review.PUBLISHED,
            published_at=timezone.now(),
        )
        association_sync_customer(organization_id=organization.pk)
    return association


def association_sync_customer(*, organization_id: int) -> Association | None:
    """Keep a customer association's listing in step with its organization: its name, and
    its listed active networks (name, tagline, colour, address on the primary domain); a
    network unlisted, suspended or deleted leaves the listing. Idempotent."""
    with schema_context("public"), transaction.atomic():
        association = (
            Association.objects.select_for_update(of=("self",))
            .select_related("organization")
            .filter(organization_id=organization_id)
            .first()
        )
        if association is None:
            return None
        organization = association.organization
        if organization is None:
            return None
        changed = association.name != organization.name[:200]
        if changed:
            association.name = organization.name[:200]
            association.save(update_fields=["name", "updated"])
        tenants = list(
            Tenant.objects.filter(
                organization_id=organization_id, listed=True, status=Tenant.Status.ACTIVE
            )
            .exclude(schema_name="public")
            .select_related("branding")
            .prefetch_related("domains")
        )
        AssociationNetwork.objects.filter(association=association).exclude(
            tenant__in=tenants
        ).delete()
        for tenant in tenants:
            primary = next((d.domain for d in tenant.domains.all() if d.is_primary), None)
            if primary is None:
                continue
            branding = tenant.branding
            AssociationNetwork.objects.update_or_create(
                tenant=tenant,
                defaults={
                    "association": association,
                    "name": branding.display_name[:200],
                    "tagline": branding.tagline[:300],
                    "primary_color": branding.primary_color,
                    "url": tenant_base_url(tenant, domain=primary) + "/",
                },
            )
        if changed:
            _reindex(Association, [association.pk])
    return association


def customer_organizations() -> list[int]:
    """The organizations that have a listing (the nightly sync walks them)."""
    with schema_context("public"):
        return list(
            Association.objects.filter(organization__isnull=False)
            .order_by("pk")
            .values_list("organization_id", flat=True)
        )


def customer_sync_on_commit(*, organization_id: int) -> None:
    """Ask for a customer's listing to be brought in step once the change commits."""
    defer_on_commit("shared_apps.directory.jobs.customer_sync", organization_id=organization_id)


# --- Resources, by operators ----------------------------------------------------------------


def resource_save(
    *,
    operator: Any,
    title: str,
    summary: str,
    body: str,
    themes: Any = (),
    resource: Resource | None = None,
) -> Resource:
    """Write or rewrite an article for associations; its Markdown is cleaned like a post's."""
    with schema_context("public"), transaction.atomic(durable=True):
        resource = resource or Resource()
        resource.title = title.strip()
        resource.summary = summary.strip()
        resource.body = body
        resource.body_html = str(render_markdown(body, top_heading=2))
        if not resource.slug:
            resource.slug = _unique_slug(Resource, resource.title)
        resource.full_clean(exclude=["search_vector", "body_html"])
        resource.save()
        resource.themes.set(themes)
        _reindex(Resource, [resource.pk])
        audit(
            actor=str(operator), action="directory.resource_save", kind="resource", id=resource.pk
        )
    return resource


def resource_publish(*, resource: Resource, operator: Any, published: bool) -> Resource:
    """Show a resource on the directory, or take it back."""
    with schema_context("public"), transaction.atomic(durable=True):
        resource.published = published
        if published and resource.published_at is None:
            resource.published_at = timezone.now()
        resource.save(update_fields=["published", "published_at", "updated"])
        _reindex(Resource, [resource.pk])
        action = "directory.resource_publish" if published else "directory.resource_unpublish"
        audit(actor=str(operator), action=action, kind="resource", id=resource.pk)
    return resource
