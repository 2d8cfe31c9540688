"""The supporting document of a verification request: checked, stored under the network's
own prefix (``pro-documents/``, never served by the public media view), read by admins only
through ``views.verification_document``, deleted once the request is decided.

A picture (JPEG, PNG, WebP, GIF) is re-encoded from its pixels like an avatar: no EXIF, GPS
or other metadata survives. A PDF is kept as it is (its metadata included): it is checked to
start like a PDF, never opened or rendered by the server, and served as an attachment.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from core.images import image_reencode

MAX_BYTES = 5 * 1024 * 1024
IMAGE_SIZE = 2000


def document_clean(upload: File) -> ContentFile:
    """A PDF as it is, or a picture re-encoded to JPEG; anything else is refused."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(_("This file is too large: the limit is 5 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.pdf")
    try:
        picture = image_reencode(
            upload, max_bytes=MAX_BYTES, size=IMAGE_SIZE, keep_transparency=False
        )
    except ValidationError as error:
        raise ValidationError(
            _("Choose a PDF or a picture (JPEG, PNG, WebP or GIF)."), code="not_a_document"
        ) from error
    picture.name = f"{uuid.uuid4().hex}.jpg"
    return picture


def document_delete_on_commit(name: str) -> None:
    """The file goes once the decision is committed (not if it rolls back)."""
    transaction.on_commit(lambda: default_storage.delete(name))
