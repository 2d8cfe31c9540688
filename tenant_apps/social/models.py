"""The social layer's relations between members: who follows whom, who blocked whom, and
what each member chose about being found and written to.

Experiences, their comments and reactions live here too (added with their pages); private
messages have their own app (tenant_apps.messaging), which reads follows and blocks from
here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member


class Follow(models.Model):
    """A member follows another: the followed member is told, and may remove the follower."""

    follower = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="followers")
    created = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="social_follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="social_follow_not_self"
            ),
        ]
        # The feed reads "whom do I follow", the follower list "who follows me".
        indexes = [models.Index(fields=["followed", "-created"], name="social_followers")]


class Block(models.Model):
    """A member blocked another. It hides both ways (experiences, suggestions, messages) and
    the blocked member is never told."""

    blocker = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="blocking")
    blocked = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="blocked_by")
    created = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="social_block_not_self"
            ),
        ]
        indexes = [models.Index(fields=["blocked"], name="social_blocked")]


class SocialSettings(models.Model):
    """What a member chose about the social layer; a member without a row has the defaults
    (not suggested to anyone, written to first by nobody)."""

    class FirstContact(models.TextChoices):
        NOBODY = "nobody", _("Nobody")
        FOLLOWED = "followed", _("People I follow")
        EVERYONE = "everyone", _("Every member")

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="social_settings", primary_key=True
    )
    # "People like me": off by default; opting out removes the member from every list.
    matching = models.BooleanField(
        _("suggest me to members who live the same thing"), default=False
    )
    # Whether a suggestion also needs the same région (both members must wish it).
    matching_same_region = models.BooleanField(_("only with members of my région"), default=False)
    first_contact = models.CharField(
        _("who may write to me first"),
        max_length=10,
        choices=FirstContact.choices,
        default=FirstContact.NOBODY,
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("social settings")
        verbose_name_plural = _("social settings")
        indexes = [
            models.Index(
                fields=["member"], condition=models.Q(matching=True), name="social_matching_on"
            )
        ]
