"""Avatar images: checked for what they really are, and re-encoded without metadata."""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

AVATAR_SIZE = 512
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A decompression bomb is refused before it is decoded.
MAX_PIXELS = 40_000_000


def avatar_reencode(upload) -> ContentFile:
    """A square-ish JPEG of at most 512 px with no EXIF, GPS or other metadata."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            _("This image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": round(settings.AVATAR_MAX_BYTES / 1024 / 1024, 1),
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
            image.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
            clean = Image.new("RGB", image.size, (255, 255, 255))
            rgba = image.convert("RGBA")
            clean.paste(rgba, mask=rgba.split()[3])
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image we can use: choose a JPEG, PNG, WebP or GIF picture."),
            code="not_an_image",
        ) from error
    out = BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue())
