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


class WatchedWord(models.Model):
    """A word or phrase the network watches for in new posts, and what happens then."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Block the post")
        HOLD = "hold", _("Hold for approval")
        FLAG = "flag", _("Publish and flag for moderators")

    phrase = models.CharField(_("word or phrase"), max_length=100, unique=True)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class CrisisTerm(models.Model):
    """A word or phrase that may signal a suicidal crisis or self-harm (network's own list)."""

    phrase = models.CharField(_("word or phrase"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("crisis term")
        verbose_name_plural = _("crisis terms")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class ModerationSettings(models.Model):
    """The network's moderation policy (a single row)."""

    premoderated_posts = models.PositiveSmallIntegerField(
        _("posts held for approval for a new member"),
        default=2,
        help_text=_("A new member's first posts wait for a moderator. 0 turns this off."),
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return str(_("moderation settings"))
