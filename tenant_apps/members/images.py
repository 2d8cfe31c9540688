from django.conf import settings
from django.core.files.base import ContentFile

from core.images import image_reencode

AVATAR_SIZE = 512
LOGO_SIZE = 512
LOGO_MAX_BYTES = 2 * 1024 * 1024


def avatar_reencode(upload) -> ContentFile:
    """A JPEG of at most 512 px with no EXIF, GPS or other metadata."""
    return image_reencode(
        upload, max_bytes=settings.AVATAR_MAX_BYTES, size=AVATAR_SIZE, keep_transparency=False
    )


def logo_reencode(upload) -> ContentFile:
    """A PNG of at most 512 px, transparency kept, with no metadata (SVG is refused)."""
    return image_reencode(upload, max_bytes=LOGO_MAX_BYTES, size=LOGO_SIZE, keep_transparency=True)
