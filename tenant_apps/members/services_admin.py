"""Network configuration by its admins, where ``services.py`` has no service yet."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenant_apps.members.models import Member, NetworkSettings, Pathology, ProfileType, Space
from tenant_apps.members.services import audit


def pathology_rename(*, actor: Member, pathology: Pathology, name: str) -> Pathology:
    """Rename an entry of the network's pathology list."""
    name = name.strip()
    if Pathology.objects.filter(name__iexact=name).exclude(pk=pathology.pk).exists():
        raise ValidationError({"name": _("This pathology is already in the list.")})
    previous = pathology.name
    pathology.name = name
    pathology.full_clean()
    pathology.save(update_fields=["name"])
    audit(actor=actor, action="pathology_rename", previous=previous, name=name)
    return pathology


def pathology_delete(*, actor: Member, pathology: Pathology) -> None:
    """Remove a pathology from the list; members who stated it simply no longer do."""
    name = pathology.name
    pathology.delete()
    audit(actor=actor, action="pathology_delete", name=name)


def space_update(
    *, actor: Member, space: Space, name: str, description: str, audience: list[str]
) -> Space:
    """Change a space's name, description and the profile types it is open to."""
    unknown = set(audience) - set(ProfileType.values)
    if unknown:
        raise ValidationError({"audience": _("Choose profile types from the list.")})
    space.name = name.strip()
    space.description = description
    space.audience = list(audience)
    space.full_clean()
    space.save(update_fields=["name", "description", "audience"])
    audit(actor=actor, action="space_update", space=space.slug, audience=list(audience))
    return space


def network_settings_update(*, actor: Member, inactive_retention_days: int | None) -> None:
    """Set how long inactive accounts are kept; ``None`` keeps them."""
    if inactive_retention_days is not None and inactive_retention_days < 1:
        raise ValidationError(
            {"inactive_retention_days": _("Enter a number of days of at least 1.")}
        )
    with transaction.atomic():
        policy = NetworkSettings.objects.select_for_update().first()
        if policy is None:
            policy = NetworkSettings()
        policy.inactive_retention_days = inactive_retention_days
        policy.save()
    audit(actor=actor, action="retention_change", days=inactive_retention_days)
