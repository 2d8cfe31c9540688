import functools
import operator

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member

# What a case is about: exactly one of these foreign keys of Case (a check constraint). An app
# that lets members report something else adds a nullable foreign key to Case, its name here,
# and gets the constraints from its own migration.
CASE_TARGETS = ("post", "experience", "experience_comment", "message")


def exactly_one(fields: tuple[str, ...]) -> models.Q:
    """A filter true when exactly one of these nullable fields is set."""
    return functools.reduce(
        operator.or_,
        (
            models.Q(**{f"{field}__isnull": False})
            & models.Q(**{f"{other}__isnull": True for other in fields if other != field})
            for field in fields
        ),
    )


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


class Case(models.Model):
    """One reason something a member wrote (a post, an experience, a comment…) is in the
    moderators' queue, open until a moderator acts on it."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", _("Possible crisis")
        REPORT = "report", _("Reported")
        HELD = "held", _("Awaiting approval")
        FLAGGED = "flagged", _("Watched word")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Resolution(models.TextChoices):
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Restored")
        EDITED = "edited", _("Edited")

    # Lower is more urgent: the queue's order after crises is by number of reports.
    PRIORITY = {Kind.CRISIS: 0, Kind.REPORT: 1, Kind.HELD: 2, Kind.FLAGGED: 3}

    TARGETS = CASE_TARGETS

    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True,
        related_name="moderation_cases",
    )  # fmt: skip
    experience = models.ForeignKey(
        "social.Experience", on_delete=models.CASCADE, null=True, blank=True,
        related_name="moderation_cases",
    )  # fmt: skip
    experience_comment = models.ForeignKey(
        "social.ExperienceComment", on_delete=models.CASCADE, null=True, blank=True,
        related_name="moderation_cases",
    )  # fmt: skip
    # A private message reaches moderators only this way: reported, or signs of a crisis;
    # the queue shows that message alone (messaging.access).
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, null=True, blank=True,
        related_name="moderation_cases",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(_("priority"))
    # Why it was held or flagged: the watched words, or that the author is new.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True
    )
    # Set by the crisis alert job once the moderators are emailed: it runs at most once.
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(CASE_TARGETS), name="moderation_case_target"
            ),
            # One open case of each kind per target (the post's keeps its first name).
            models.UniqueConstraint(
                fields=["post", "kind"],
                condition=models.Q(status="open"),
                name="moderation_one_open_case_per_kind",
            ),
            *(
                models.UniqueConstraint(
                    fields=[target, "kind"],
                    condition=models.Q(status="open"),
                    name=f"moderation_one_open_{target}_case",
                )
                for target in CASE_TARGETS[1:]
            ),
        ]
        indexes = [
            models.Index(
                fields=["priority", "created"],
                condition=models.Q(status="open"),
                name="moderation_open_cases",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} case on {self.target_name} {self.target_id}"

    @property
    def target_name(self) -> str:
        """Which of TARGETS the case is about."""
        return next(name for name in self.TARGETS if getattr(self, f"{name}_id") is not None)

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.target_name}_id")


class Report(models.Model):
    """A member's report of what another wrote; one open report per member and case."""

    class Reason(models.TextChoices):
        HURTFUL = "hurtful", _("Hurtful or disrespectful")
        MEDICAL = "medical", _("False medical information")
        ADVERTISING = "advertising", _("Advertising")
        PERSONAL_DATA = "personal_data", _("Personal data")
        OTHER = "other", _("Something else")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    # Set for a post's reports, as before cases had other targets; what a report is about is
    # its case's target, and one open report per member and case is the general rule.
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reporter = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    detail = models.CharField(_("details"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Mirrors the case, so the one-open-report rule is a constraint.
    open = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(open=True),
                name="moderation_one_open_report",
            ),
            models.UniqueConstraint(
                fields=["case", "reporter"],
                condition=models.Q(open=True),
                name="moderation_one_open_report_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} in case {self.case_id}"


class OnDuty(models.Model):
    """A moderator on duty: emailed at once when a post may signal a crisis."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="on_duty")
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderator on duty")
        verbose_name_plural = _("moderators on duty")

    def __str__(self) -> str:
        return f"on duty: {self.member_id}"
