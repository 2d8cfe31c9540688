"""Writes to a network's public-schema rows asked for from inside the network."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django_tenants.utils import schema_context

from core.images import image_reencode
from tenants.models import Branding, Tenant

BRANDING_FIELDS = (
    "display_name",
    "tagline",
    "primary_color",
    "accent_color",
    "contact_email",
    "legal_notice",
)
LOGO_SIZE = 512
LOGO_MAX_BYTES = 2 * 1024 * 1024


def logo_reencode(upload) -> ContentFile:
    """A PNG of at most 512 px, transparency kept, with no metadata (SVG is refused)."""
    return image_reencode(upload, max_bytes=LOGO_MAX_BYTES, size=LOGO_SIZE, keep_transparency=True)


def branding_update(
    *, tenant: Tenant, actor, logo=None, remove_logo: bool = False, **fields
) -> Branding:
    """Change how a network looks and introduces itself; a logo is re-encoded first.

    Called from inside the tenant: the logo file goes under the tenant's own prefix, the
    row is written in the public schema.
    """
    from tenant_apps.members.services import audit

    unknown = set(fields) - set(BRANDING_FIELDS)
    if unknown:
        raise ValueError(f"not branding fields: {sorted(unknown)}")
    with schema_context("public"):
        branding = Branding.objects.get(tenant_id=tenant.pk)
    for name, value in fields.items():
        setattr(branding, name, value)
    # Everything is checked before a file is written: a refused change leaves no orphan.
    errors: dict[str, list[str]] = {}
    content = None
    if logo is not None:
        try:
            content = logo_reencode(logo)
        except ValidationError as error:
            errors["logo"] = error.messages
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
    changed = sorted(fields) + (["logo"] if content is not None or remove_logo else [])
    audit(actor=actor, action="branding_update", fields=changed)
    return branding
