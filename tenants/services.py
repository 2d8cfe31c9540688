"""Writes to a network's public-schema rows asked for from inside the network."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django_tenants.utils import schema_context

from tenants.models import AuditEntry, Branding, Tenant

BRANDING_FIELDS = (
    "display_name",
    "tagline",
    "primary_color",
    "accent_color",
    "contact_email",
    "legal_notice",
    "time_zone",
)


def audit(*, actor: str, action: str, tenant_slug: str = "", **detail: object) -> AuditEntry:
    """The platform's audit log: what an operator or the platform did (to a network, or to
    the directory, whose entries name no network)."""
    return AuditEntry.objects.create(
        actor=actor, action=action, tenant_slug=tenant_slug, detail=detail
    )


def branding_update(
    *,
    tenant: Tenant,
    logo: ContentFile | None = None,
    logo_errors: list[str] | None = None,
    remove_logo: bool = False,
    **fields: str,
) -> list[str]:
    """Change how a network looks and introduces itself; the names of what changed.

    Called from inside the tenant, through the members' ``branding_update``, which re-encodes
    the logo (``logo_errors`` are its refusals, reported with the fields' own) and audits:
    the logo file goes under the tenant's own prefix, the row is written in the public schema.
    """
    unknown = set(fields) - set(BRANDING_FIELDS)
    if unknown:
        raise ValueError(f"not branding fields: {sorted(unknown)}")
    with schema_context("public"):
        branding = Branding.objects.get(tenant_id=tenant.pk)
    for name, value in fields.items():
        setattr(branding, name, value)
    # Everything is checked before a file is written: a refused change leaves no orphan.
    errors: dict[str, list[str]] = {"logo": logo_errors} if logo_errors else {}
    content = logo
    try:
        branding.full_clean(exclude=["tenant", "logo"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    old_logo = branding.logo.name if (content is not None or remove_logo) else ""
    storage = branding.logo.storage
    if content is not None:
        # Inside the tenant's context: the default storage files it under the tenant.
        branding.logo.save(f"{uuid.uuid4().hex}.png", content, save=False)
    elif remove_logo:
        branding.logo = ""
    with schema_context("public"):
        branding.save()
    if old_logo:
        transaction.on_commit(lambda: storage.delete(old_logo))
    return sorted(fields) + (["logo"] if content is not None or remove_logo else [])
