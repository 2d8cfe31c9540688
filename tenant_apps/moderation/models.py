from django.db import models
from django.utils.translation import gettext_lazy as _


class CrisisResource(models.Model):
    """A help line shown to members in distress (e.g. 3114, SAMU 15)."""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=30)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("crisis resource")
        verbose_name_plural = _("crisis resources")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"
