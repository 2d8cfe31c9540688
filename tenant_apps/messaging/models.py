"""Private messages: a conversation between exactly two members of one network, its messages,
and each member's side of it (what they read, whether they hid it).

Who may read what is decided in ``access.py`` alone: a conversation and its messages are
readable by its two members, nobody else (moderators see a message only through a queue case
about it, in the moderation app). Networks never meet: each has its own schema.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member

# A private message is plain text (shown with its line breaks, autoescaped), not Markdown:
# nothing to clean, nothing a link preview or an image could leak.
BODY_MAX = 5000


class Conversation(models.Model):
    """Two members' conversation; one per pair, stored with the smaller member id first."""

    member_low = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    member_high = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(_("started"), auto_now_add=True)
    # Who wrote first: the first-contact rule and its rate limit are about starting one.
    started_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["member_low", "member_high"], name="messaging_one_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(member_low__lt=F("member_high")), name="messaging_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def other_id(self, member_id: int) -> int:
        return self.member_high_id if member_id == self.member_low_id else self.member_low_id


class Participation(models.Model):
    """One member's side of a conversation: their inbox row (ordered by the last message),
    unread count and whether they hid it (a new message shows it again)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participations"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    # Copied from the conversation so that the inbox is one index scan (keyset).
    last_message_at = models.DateTimeField(null=True, blank=True)
    unread = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    # Set once the member is emailed about unread messages here; cleared when they read
    # them: one email per conversation until read, whatever the number of messages.
    noticed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="messaging_one_side"),
        ]
        indexes = [
            models.Index(
                fields=["member", "-last_message_at", "-id"],
                condition=Q(hidden=False),
                name="messaging_inbox",
            ),
            models.Index(fields=["member"], condition=Q(unread__gt=0), name="messaging_unread"),
        ]

    def __str__(self) -> str:
        return f"participation {self.member_id} in {self.conversation_id}"


class Message(models.Model):
    """A message of a conversation. Its author's erasure blanks ``body`` and sets ``erased``;
    the row stays so that the other member's side still reads in order. Moderators may hide
    a message reported to them (through the moderation queue): both members then read that it
    was hidden."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by the moderators")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created = models.DateTimeField(_("sent"), auto_now_add=True)
    erased = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )

    class Meta:
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        indexes = [
            models.Index(fields=["conversation", "-id"], name="messaging_thread"),
            models.Index(fields=["author"], name="messaging_author"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def body_html(self) -> str:
        """The plain text as escaped paragraphs (the moderation queue shows a case's target
        through ``body_html``)."""
        return linebreaks(self.body, autoescape=True)
