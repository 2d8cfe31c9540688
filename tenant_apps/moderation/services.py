from django.db.models import Max

from tenant_apps.moderation.models import CrisisResource


def crisis_resource_create(*, name: str, phone: str, description: str = "") -> CrisisResource:
    """Add a help line at the end of the network's list."""
    position = (CrisisResource.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    return CrisisResource.objects.create(
        name=name, phone=phone, description=description, position=position
    )
