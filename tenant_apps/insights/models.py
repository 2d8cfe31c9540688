"""Anonymous statistics of a network: frozen releases and the privacy budget they spend.

A release counts distinct consenting members (``Consent.Kind.STATISTICS``) along one or two
coarse dimensions, hides every cell under its threshold (and the cells that would let one be
recomputed), adds calibrated noise (opendp) and freezes the result. Nothing is ever computed
again for a reader: pages, the CSV, the shared link and the directory read ``Release.result``.
How the numbers are made: ``tenant_apps/insights/engine.py`` and docs/insights.md.
"""

import secrets
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member

# Never below: a cell of fewer members than this is never published, whatever an admin asks.
THRESHOLD_MIN = 5
THRESHOLD_DEFAULT = 10
EPSILON_MIN = Decimal("0.1")
EPSILON_MAX = Decimal("5")


class Measure(models.TextChoices):
    """What a release counts: always distinct consenting members."""

    MEMBERS = "members", _("Members")
    TOPICS = "topics", _("Members who opened a discussion")
    WARNINGS = "warnings", _("Members who wrote about a sensitive subject")
    QUESTIONS = "questions", _("Members who asked the association a question")
    EVENTS = "events", _("Members who attended an event")


class Dimension(models.TextChoices):
    """What a release is broken down by: never finer than a région and a month."""

    PATHOLOGY = "pathology", _("Pathology")
    REGION = "region", _("Région")
    PROFILE_TYPE = "profile_type", _("Profile type")
    MONTH = "month", _("Month")
    THEME = "theme", _("Theme")


def share_token() -> str:
    return secrets.token_urlsafe(24)


class Release(models.Model):
    """A report of anonymous statistics; once published its result never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    measure = models.CharField(_("what is counted"), max_length=20, choices=Measure.choices)
    dimensions = ArrayField(
        models.CharField(max_length=20, choices=Dimension.choices),
        size=2,
        verbose_name=_("broken down by"),
    )
    # Month granularity: both are the first day of a month; the period covers both months.
    period_start = models.DateField(_("from the month of"))
    period_end = models.DateField(_("to the month of"))
    threshold = models.PositiveSmallIntegerField(
        _("smallest published count"),
        default=THRESHOLD_DEFAULT,
        validators=[MinValueValidator(THRESHOLD_MIN)],
    )
    epsilon = models.DecimalField(
        _("privacy budget spent (ε)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(EPSILON_MIN), MaxValueValidator(EPSILON_MAX)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The frozen tables (engine.Result.as_json): suppressed cells are null, never a count.
    result = models.JSONField(_("result"), default=dict, blank=True, editable=False)
    # Everything the result was made with: contribution bound, sensitivity, noise scale,
    # library and version (engine.Result.parameters).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True, editable=False)
    # The signed-out link's secret; it works only while ``shared`` is on.
    share_token = models.CharField(max_length=64, unique=True, default=share_token, editable=False)
    shared = models.BooleanField(_("shared by a link"), default=False)
    listed_in_directory = models.BooleanField(_("listed in the platform directory"), default=False)

    class Meta:
        verbose_name = _("statistics release")
        verbose_name_plural = _("statistics releases")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=THRESHOLD_MIN), name="insights_threshold_min"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="insights_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="insights_published_dated",
            ),
            # Only a published release leaves the network.
            models.CheckConstraint(
                condition=models.Q(status="published")
                | models.Q(shared=False, listed_in_directory=False),
                name="insights_only_published_leave",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PrivacyBudget(models.Model):
    """The ε a network may spend on releases published in one calendar year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    epsilon_total = models.DecimalField(_("budget (ε)"), max_digits=6, decimal_places=2)
    epsilon_spent = models.DecimalField(
        _("spent (ε)"), max_digits=6, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("privacy budget")
        verbose_name_plural = _("privacy budgets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(epsilon_spent__lte=models.F("epsilon_total")),
                name="insights_budget_not_overspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.epsilon_spent}/{self.epsilon_total}"

    @property
    def epsilon_left(self) -> Decimal:
        return self.epsilon_total - self.epsilon_spent


class BudgetSpend(models.Model):
    """What one published release took from its year's budget."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="spends")
    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="spend")
    epsilon = models.DecimalField(_("ε"), max_digits=5, decimal_places=2)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget spend")
        verbose_name_plural = _("budget spends")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.epsilon} for release {self.release_id}"
