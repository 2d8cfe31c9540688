"""The social layer's relations between members: who follows whom, who blocked whom, and
what each member chose about being found and written to.

Experiences, their comments and reactions live here too (added with their pages); private
messages have their own app (tenant_apps.messaging), which reads follows and blocks from
here.
"""

from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.forums.models import ContentWarning, Reaction
from tenant_apps.members.models import Member
from tenant_apps.social.access import CommentQuerySet, ExperienceQuerySet

if TYPE_CHECKING:
    from tenant_apps.moderation.screening import Screening


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

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


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

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


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

    def __str__(self) -> str:
        return f"social settings of {self.member_id}"


class Experience(models.Model):
    """A short experience a member publishes, for the whole network, their spaces or their
    followers (``access.py`` is the rule); screened like a forum post."""

    class Audience(models.TextChoices):
        NETWORK = "network", _("Everyone in the network")
        SPACES = "spaces", _("Members of my spaces")
        FOLLOWERS = "followers", _("My followers only")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Awaiting approval")
        HIDDEN = "hidden", _("Hidden by a moderator")

    # Not stored: what the screening found, for the page that follows a write.
    screening: "Screening | None"

    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="experiences")
    body = models.TextField(_("your experience"), max_length=5000)
    # body rendered by core.markup.render_markdown when written: never rendered per view.
    body_html = models.TextField(editable=False)
    image = models.ImageField(_("image"), upload_to="experiences/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.NETWORK
    )
    # The author's spaces when written (audience "spaces"): readers who enter one of them.
    space_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    warnings = models.ManyToManyField(
        ContentWarning, blank=True, related_name="+", verbose_name=_("content warnings")
    )
    warning_names = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(_("published"), auto_now_add=True, db_index=False)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    thanks_count = models.PositiveIntegerField(default=0, editable=False)
    support_count = models.PositiveIntegerField(default=0, editable=False)
    courage_count = models.PositiveIntegerField(default=0, editable=False)
    same_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        indexes = [
            # The network's list and the feed, newest first (keyset on created, id).
            models.Index(fields=["-created", "-id"], name="social_experience_recent"),
            models.Index(fields=["author", "-created", "-id"], name="social_experience_author"),
            GinIndex(fields=["space_ids"], name="social_experience_spaces"),
        ]

    def __str__(self) -> str:
        return f"experience {self.pk}"

    @staticmethod
    def count_field(kind: str) -> str:
        """The column that counts a reaction kind's reactions."""
        return f"{kind}_count"


class ExperienceComment(models.Model):
    """A comment on an experience, screened like a forum reply."""

    Status = Experience.Status
    screening: "Screening | None"

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"), max_length=2000)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Experience.Status.choices, default="published"
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created = models.DateTimeField(_("written"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["experience", "id"], name="social_comment_in_experience")]

    def __str__(self) -> str:
        return f"comment {self.pk}"


class ExperienceReaction(models.Model):
    """A member's reaction to an experience: the forums' four kinds."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Reaction.Kind.choices)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["experience", "member", "kind"], name="social_one_reaction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on experience {self.experience_id}"
