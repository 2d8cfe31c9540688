"""What the operators' console reads: networks with their plan and latest counts, a
network's history, the platform's activity over time. Counts and sizes only: nothing here
reads a network's schema (the nightly snapshots did that, see ``services.usage_take``)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from shared_apps.billing.models import Subscription
from shared_apps.console.models import UsageSnapshot
from shared_apps.directory.models import Review
from shared_apps.directory.services import KINDS
from tenants.models import AuditEntry, Tenant

PAGE_SIZE = 50
# A network or a member is active when seen in the 30 days before the day counted.
ACTIVE_DAYS = 30
# Audit actions that create a network: an association's own sign-up, an operator's command.
CREATION_ACTIONS = ("signup", "create")


@dataclass(frozen=True)
class NetworkFilters:
    query: str = ""
    status: str = ""
    plan: str = ""  # a plan's code
    after: int | None = None  # keyset: the last id of the previous page


def networks(filters: NetworkFilters) -> QuerySet[Tenant]:
    """Networks, newest first, with their organization, plan and latest snapshot's counts
    (one query whatever the page's size)."""
    latest = UsageSnapshot.objects.filter(tenant=OuterRef("pk")).order_by("-day")
    rows = (
        Tenant.objects.exclude(schema_name="public")
        .select_related("organization")
        .annotate(
            # A value, not a related object: most networks' organizations have none yet, and
            # the template would raise and catch a "does not exist" for each.
            plan_name=F("organization__subscription__plan__name"),
            usage_day=Subquery(latest.values("day")[:1]),
            usage_members=Subquery(latest.values("members")[:1]),
            usage_active=Subquery(latest.values("active_members")[:1]),
            usage_storage=Subquery(
                latest.annotate(total=F("files_bytes") + F("database_bytes")).values("total")[:1]
            ),
            usage_last_activity=Subquery(latest.values("last_activity")[:1]),
        )
        .order_by("-pk")
    )
    text = filters.query.strip()
    if text:
        rows = rows.filter(
            Q(name__icontains=text)
            | Q(slug__icontains=text)
            | Q(organization__name__icontains=text)
            | Q(organization__slug__icontains=text)
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.plan:
        rows = rows.filter(organization__subscription__plan__code=filters.plan)
    if filters.after is not None:
        rows = rows.filter(pk__lt=filters.after)
    return rows


def networks_page(
    filters: NetworkFilters, size: int = PAGE_SIZE
) -> tuple[list[Tenant], int | None]:
    """One page of ``networks`` and the keyset of the next page (None on the last)."""
    rows = list(networks(filters)[: size + 1])
    if len(rows) > size:
        return rows[:size], rows[size - 1].pk
    return rows, None


def subscription_of(tenant: Tenant) -> Subscription | None:
    """The network's organization's subscription, with its plan, if it has one."""
    return (
        Subscription.objects.select_related("plan")
        .filter(organization_id=tenant.organization_id)
        .first()
    )


def usage_history(tenant: Tenant, days: int = 90) -> list[UsageSnapshot]:
    """The network's daily snapshots over the last ``days`` days, oldest first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return list(UsageSnapshot.objects.filter(tenant=tenant, day__gte=since).order_by("day"))


def audit_of(slug: str, limit: int = 50) -> list[AuditEntry]:
    """The platform's audit entries about one network, newest first."""
    return list(AuditEntry.objects.filter(tenant_slug=slug).order_by("-at", "-pk")[:limit])


@dataclass(frozen=True)
class Week:
    start: datetime.date
    signups: int = 0  # networks created by an association's own sign-up
    created: int = 0  # networks created by an operator
    active_networks: int | None = None  # None: no snapshot that week
    active_members: int | None = None


def weekly_activity(weeks: int = 12, today: datetime.date | None = None) -> list[Week]:
    """The platform's last ``weeks`` weeks (Monday first), oldest first: networks created,
    and, from the week's last snapshot day, the networks and members active in the 30 days
    before it. Three grouped queries."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    starts = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    created: dict[datetime.date, dict[str, int]] = {}
    for row in (
        AuditEntry.objects.filter(action__in=CREATION_ACTIONS, at__gte=since)
        .annotate(week=TruncWeek("at", tzinfo=zone))
        .values("week", "action")
        .annotate(n=Count("pk"))
    ):
        created.setdefault(_as_date(row["week"]), {})[row["action"]] = row["n"]
    # The last day with snapshots in each week, then that day's totals.
    last_days = {
        _as_date(row["week"]): row["last"]
        for row in UsageSnapshot.objects.filter(day__gte=first)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(last=Max("day"))
    }
    totals = {
        row["day"]: row
        for row in UsageSnapshot.objects.filter(day__in=list(last_days.values()))
        .values("day")
        .annotate(
            networks=Count(
                "pk",
                filter=Q(last_activity__date__gt=F("day") - datetime.timedelta(days=ACTIVE_DAYS)),
            ),
            members=Sum("active_members"),
        )
    }
    result = []
    for start in starts:
        made = created.get(start, {})
        day = last_days.get(start)
        total = totals.get(day) if day is not None else None
        result.append(
            Week(
                start=start,
                signups=made.get("signup", 0),
                created=made.get("create", 0),
                active_networks=total["networks"] if total else None,
                active_members=(total["members"] or 0) if total else None,
            )
        )
    return result


def waiting_proposals() -> int:
    """How many directory proposals wait for an operator (the directory's queue)."""
    return sum(model.objects.filter(review=Review.PROPOSED).count() for model in KINDS.values())


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def weekly_usage(
    history: list[UsageSnapshot], weeks: int = 12, today: datetime.date | None = None
) -> list[tuple[datetime.date, UsageSnapshot | None]]:
    """A network's snapshots (oldest first) as its last ``weeks`` weeks: each week's first
    day and its last snapshot, or None for a week without one."""  # fmt: skip
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    last_of: dict[datetime.date, UsageSnapshot] = {}
    for snapshot in history:
        week = snapshot.day - datetime.timedelta(days=snapshot.day.weekday())
        last_of[week] = snapshot  # oldest first: the last one wins
    starts = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    return [(start, last_of.get(start)) for start in starts]
