"""Events through the events services, and pictures to upload as their cover."""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tenant_apps.events import services
from tenant_apps.events.models import Event


def event_make(*, author, starts_in: datetime.timedelta = datetime.timedelta(days=7),
               hours: float = 1, **fields) -> Event:  # fmt: skip
    """A published online webinar a week from now, unless ``fields`` say otherwise."""
    starts_at = fields.pop("starts_at", None) or timezone.now() + starts_in
    values = {
        "title": "Immunothérapie : vos questions",
        "description": "Un pneumologue répond **en direct**.",
        "format": Event.Format.WEBINAR,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=hours),
        "online": True,
        "status": Event.Status.PUBLISHED,
        **fields,
    }
    return services.event_create(author=author, **values)


def picture(name: str = "couverture.jpg", *, exif: bool = True) -> SimpleUploadedFile:
    """A small JPEG, with a GPS position in its EXIF unless told otherwise."""
    image = Image.new("RGB", (320, 200), (30, 120, 200))
    out = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Appareil"  # Make
        data[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # GPS
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
