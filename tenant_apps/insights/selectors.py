"""Reads of the anonymous statistics; who reads what comes from ``access.py`` alone.

Nothing here computes a figure: readers get the frozen ``Release.result``.
"""

import dataclasses
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from tenant_apps.insights import access, engine
from tenant_apps.insights.models import THRESHOLD_MIN, BudgetSpend, PrivacyBudget, Release
from tenant_apps.members.models import Member

RELEASES_PER_PAGE = 20
# The admins' page shows how many members consent rounded down to this step, never the exact
# number: watching an exact count move by one would say who just consented or withdrew.
CONSENTING_STEP = 10


def budget_default() -> Decimal:
    """The ε a new year's budget starts with (settings.INSIGHTS_BUDGET_PER_YEAR)."""
    return Decimal(str(settings.INSIGHTS_BUDGET_PER_YEAR)).quantize(Decimal("0.01"))


@dataclasses.dataclass(frozen=True)
class BudgetStatus:
    """A year's privacy budget as it stands (its row may not exist yet: nothing spent)."""

    year: int
    total: Decimal
    spent: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.total - self.spent, Decimal("0"))

    def allows(self, epsilon: Decimal) -> bool:
        return epsilon <= self.left

    # The model's names (PrivacyBudget), for templates that show either.
    @property
    def epsilon_total(self) -> Decimal:
        return self.total

    @property
    def epsilon_spent(self) -> Decimal:
        return self.spent

    @property
    def epsilon_left(self) -> Decimal:
        return self.left


def budget_year(now: datetime | None = None) -> int:
    """The budget a publication spends: the calendar year it happens in (network's zone)."""
    return timezone.localtime(now).year


def budget_status(*, year: int | None = None) -> BudgetStatus:
    """The year's budget (this year's by default), without creating its row."""
    year = budget_year() if year is None else year
    row = PrivacyBudget.objects.filter(year=year).first()
    if row is None:
        return BudgetStatus(year=year, total=budget_default(), spent=Decimal("0"))
    return BudgetStatus(year=year, total=row.epsilon_total, spent=row.epsilon_spent)


def budget_spends(*, year: int) -> QuerySet[BudgetSpend]:
    """What each release published in ``year`` spent, newest first, with its release."""
    return BudgetSpend.objects.filter(budget__year=year).select_related("release")


def releases_for(
    member: Member | None, *, status: str | None = None, before: tuple[datetime, int] | None = None
) -> list[Release]:
    """A page of the releases an admin reads, newest first; ``before`` is the (created, id)
    of the previous page's last release (keyset). Empty for anyone else."""
    releases = access.releases_visible_to(member).select_related("created_by__user")
    if status is not None:
        releases = releases.filter(status=status)
    if before is not None:
        created, pk = before
        releases = releases.filter(Q(created__lt=created) | Q(created=created, id__lt=pk))
    return list(releases.order_by("-created", "-id")[:RELEASES_PER_PAGE])


def release_by_token(token: str) -> Release:
    """The release a share link shows (published and shared), for anyone; 404 otherwise."""
    return access.shared_release_or_404(token)


def releases_listed() -> QuerySet[Release]:
    """The published releases the association lists in the platform directory."""
    return Release.objects.filter(status=Release.Status.PUBLISHED, listed_in_directory=True)


@dataclasses.dataclass(frozen=True)
class ConsentingShown:
    """How many members consent to statistics, as the admins may see it: ``below`` the
    default threshold (no number), or at least ``at_least`` (rounded down to the step)."""

    below: bool
    threshold: int
    at_least: int


def consenting_shown() -> ConsentingShown:
    """The consenting members' count, rounded so that one member's choice does not show."""
    threshold = max(settings.INSIGHTS_THRESHOLD, THRESHOLD_MIN)
    count = engine.consenting_members().values("pk").distinct().count()
    if count < threshold:
        return ConsentingShown(below=True, threshold=threshold, at_least=0)
    rounded = max(count // CONSENTING_STEP * CONSENTING_STEP, threshold)
    return ConsentingShown(below=False, threshold=threshold, at_least=rounded)
