from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member


class Notification(models.Model):
    """Something a member should know about: shown in the site and, per their choice, emailed."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("Reply to a followed topic")
        MODERATION = "moderation", _("Moderation decision")
        GROUP = "group", _("Group")

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it is about (a topic or group title) and, for moderation, the reason given.
    subject = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created"], name="notifications_inbox")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
