"""Uploaded pictures: checked for what they really are, then re-encoded from pixels only.

A fresh image carries no EXIF, GPS, ICC profile, text chunk or comment, whatever the upload
held. Used for avatars and network logos.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A decompression bomb is refused before it is decoded.
MAX_PIXELS = 40_000_000


def image_reencode(upload, *, max_bytes: int, size: int, keep_transparency: bool) -> ContentFile:
    """At most ``size`` px: a PNG when transparency is kept, otherwise a JPEG on white."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("This image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": round(max_bytes / 1024 / 1024, 1),
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise UnidentifiedImageError
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the EXIF
            image.thumbnail((size, size))
            rgba = image.convert("RGBA")
            if keep_transparency:
                clean = Image.new("RGBA", rgba.size)
                clean.paste(rgba)
            else:
                clean = Image.new("RGB", rgba.size, (255, 255, 255))
                clean.paste(rgba, mask=rgba.split()[3])
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image we can use: choose a JPEG, PNG, WebP or GIF picture."),
            code="not_an_image",
        ) from error
    out = BytesIO()
    if keep_transparency:
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue())
