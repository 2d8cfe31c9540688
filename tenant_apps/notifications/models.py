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
        WARNING = "warning", _("Warning from the moderators")
        ANSWER = "answer", _("Answer to my question")
        SUPPORT = "support", _("A word from the moderation team")
        FOLLOW = "follow", _("A new follower")
        # The health professionals' app (tenant_apps.pro): a verification decided, an RCP
        # meeting lacking its quorum. Their subject is the whole sentence.
        PROFESSIONAL = "professional", _("Professional verification")
        RCP = "rcp", _("Multidisciplinary meeting")

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it is about (a topic or group title) and, for moderation, the reason given.
    subject = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300)
    # What it comes from ("forums.post:42") when a job tells many members at once: a member
    # is told once per source, so a job that runs again tells nobody twice.
    source = models.CharField(max_length=60, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The inbox, newest first, paged by id (keyset).
            models.Index(fields=["recipient", "-id"], name="notifications_inbox_id"),
            # What the digests still have to send.
            models.Index(
                fields=["recipient"],
                name="notifications_unemailed",
                condition=models.Q(emailed_at__isnull=True, read_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source"],
                name="notifications_once_per_source",
                condition=~models.Q(source=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationSettings(models.Model):
    """How often a member wants their notifications emailed; no row means the default."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately, one email per notification")
        DAILY = "daily", _("Once a day, in a digest")
        WEEKLY = "weekly", _("Once a week, in a digest")
        NEVER = "never", _("Never")

    DEFAULT_FREQUENCY = Frequency.DAILY

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="notification_settings"
    )
    frequency = models.CharField(
        _("email me my notifications"),
        max_length=12,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCY,
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.frequency} for {self.member_id}"
