"""Writes to a network's public-schema rows asked for from inside the network."""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from PIL import Image, ImageOps, UnidentifiedImageError

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
LOGO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A decompression bomb is refused before it is decoded.
LOGO_MAX_PIXELS = 40_000_000


def logo_reencode(upload) -> ContentFile:
    """A PNG of at most 512 px, transparency kept, with no metadata (SVG is refused)."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("This image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": round(LOGO_MAX_BYTES / 1024 / 1024, 1),
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in LOGO_FORMATS:
                raise UnidentifiedImageError
            if probe.width * probe.height > LOGO_MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((LOGO_SIZE, LOGO_SIZE))
            # A fresh image carries pixels only: no EXIF, ICC, text chunks or comments.
            rgba = image.convert("RGBA")
            clean = Image.new("RGBA", rgba.size)
            clean.paste(rgba)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image we can use: choose a JPEG, PNG, WebP or GIF picture."),
            code="not_an_image",
        ) from error
    out = BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue())


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
