from django.conf import settings
from django.core.files.base import ContentFile

from core.images import image_reencode

AVATAR_SIZE = 512


def avatar_reencode(upload) -> ContentFile:
    """A JPEG of at most 512 px with no EXIF, GPS or other metadata."""
    return image_reencode(
        upload, max_bytes=settings.AVATAR_MAX_BYTES, size=AVATAR_SIZE, keep_transparency=False
    )
