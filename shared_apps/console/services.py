"""What operators do from the console, through the services that own each change.

Suspending, resuming, exporting and deleting are provisioning's; the plan and the grace
period are billing's. This module adds what a console needs around them: a row lock so that
a double submit or two operators at once change things once, the typed confirmation of a
deletion, and the export run as a job. Every change is audited by the service that makes it
(``tenants.services.audit``).

``usage_take`` is the nightly job's: it counts one network from inside its schema and
writes the counts, and only counts, to the public schema.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from procrastinate.exceptions import AlreadyEnqueued

from core.jobs import job_named
from provisioning import services as provisioning
from shared_apps.billing import services as billing
from shared_apps.billing.models import Plan, Subscription
from shared_apps.console.models import UsageSnapshot
from shared_apps.console.selectors import ACTIVE_DAYS
from tenant_apps.members.models import Member
from tenants.models import Tenant

EXPORT_JOB = "shared_apps.console.jobs.network_export"
# A subscription whose payments are late, which a grace period applies to.
LATE = (
    Subscription.Status.PAST_DUE,
    Subscription.Status.UNPAID,
    Subscription.Status.CANCELED,
)


# --- Usage ---------------------------------------------------------------------------------


def usage_take(*, day: datetime.date | None = None) -> UsageSnapshot:
    """Count the current network (members, those active in the last 30 days, its last
    activity, its files and tables) and keep the counts as its snapshot of ``day``; taking
    it again the same day replaces it."""
    tenant = connection.tenant  # type: ignore[attr-defined]  # django-tenants sets it
    day = day or timezone.localdate()
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    people = Member.objects.filter(erased__isnull=True, joined__lt=end)
    counts = people.aggregate(
        last=Max("last_seen", filter=Q(last_seen__lt=end)),
    )
    members = people.count()
    active = people.filter(
        last_seen__gte=end - datetime.timedelta(days=ACTIVE_DAYS), last_seen__lt=end
    ).count()
    schema = tenant.schema_name
    with schema_context("public"):
        snapshot, _created = UsageSnapshot.objects.update_or_create(
            tenant_id=tenant.pk,
            day=day,
            defaults={
                "members": members,
                "active_members": active,
                "last_activity": counts["last"],
                "files_bytes": _files_bytes(schema),
                "database_bytes": _database_bytes(schema),
            },
        )
    return snapshot


def _files_bytes(schema: str) -> int:
    root = Path(settings.MEDIA_ROOT) / schema
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += (Path(folder) / name).stat().st_size
            except OSError:  # removed while we walked
                continue
    return total


def _database_bytes(schema: str) -> int:
    """The schema's tables with their indexes and TOAST, read from the catalogue."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
            [schema],
        )
        return int(cursor.fetchone()[0])


# --- Lifecycle -----------------------------------------------------------------------------


def _locked(tenant: Tenant) -> Tenant:
    """The network's row, locked until the transaction ends: two submits take turns."""
    locked = Tenant.objects.select_for_update(of=("self",)).filter(pk=tenant.pk).first()
    if locked is None:
        raise ValidationError(_("This network no longer exists."), code="gone")
    return locked


def _refuse(error: provisioning.ProvisioningError) -> ValidationError:
    return ValidationError(str(error), code="refused")


@transaction.atomic
def network_suspend(*, tenant: Tenant, actor: str, reason: str = "") -> bool:
    """Take a network offline; False when it already was (nothing is written again)."""
    locked = _locked(tenant)
    if locked.status == Tenant.Status.SUSPENDED:
        return False
    try:
        provisioning.tenant_suspend(slug=locked.slug, actor=actor, reason=reason)
    except provisioning.ProvisioningError as error:
        raise _refuse(error) from error
    return True


@transaction.atomic
def network_resume(*, tenant: Tenant, actor: str) -> bool:
    """Put a suspended network back online; False when it was not suspended."""
    locked = _locked(tenant)
    if locked.status != Tenant.Status.SUSPENDED:
        return False
    try:
        provisioning.tenant_resume(slug=locked.slug, actor=actor)
    except provisioning.ProvisioningError as error:
        raise _refuse(error) from error
    return True


def network_export_request(*, tenant: Tenant, actor: str) -> bool:
    """Ask the worker for an archive of the network; False when one is already waiting.

    The archive (a dump of the schema and the files) may take minutes for a large network:
    a job makes it, audited by ``tenant_export`` once written. One waiting export per
    network (procrastinate's queueing lock), and one at a time (its lock).
    """
    job = job_named(EXPORT_JOB).configure(
        queueing_lock=f"console.export.{tenant.slug}", lock=f"console.export.{tenant.slug}"
    )
    try:
        # A savepoint: the refused insert must not break a surrounding transaction.
        with transaction.atomic():
            job.defer(schema_name="public", slug=tenant.slug, actor=actor)
    except AlreadyEnqueued:
        return False
    return True


def network_delete(*, tenant: Tenant, actor: str, confirmation: str) -> None:
    """Delete a network for good, once its slug is typed and an export of it exists."""
    if confirmation.strip() != tenant.slug:
        raise ValidationError(
            {"confirmation": _("Type the network's identifier, “%(slug)s”, to delete it.")
             % {"slug": tenant.slug}},
            code="confirmation",
        )  # fmt: skip
    with transaction.atomic():
        _locked(tenant)
        try:
            provisioning.tenant_delete(slug=tenant.slug, actor=actor)
        except provisioning.ProvisioningError as error:
            raise _refuse(error) from error


# --- Billing -------------------------------------------------------------------------------


def _subscription_locked(tenant: Tenant) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "organization")
        .filter(organization_id=tenant.organization_id)
        .first()
    )
    if subscription is None:
        raise ValidationError(_("This organization has no subscription."), code="none")
    return subscription


@transaction.atomic
def network_grace_extend(
    *, tenant: Tenant, actor: str, days: int, seen: datetime.datetime | None
) -> Subscription:
    """Give the network's organization ``days`` more before its networks turn read-only.

    ``seen`` is the grace period's end the operator saw: if it moved since (another operator,
    or the same form sent twice), nothing changes and the operator is asked to look again.
    """
    subscription = _subscription_locked(tenant)
    if subscription.status not in LATE:
        raise ValidationError(
            _("This organization's payments are not late: it has no grace period to extend."),
            code="not_late",
        )
    if subscription.grace_until != seen:
        raise ValidationError(
            _("The grace period changed meanwhile (another operator, or this form sent twice): "
              "look at it again, then retry."),
            code="stale",
        )  # fmt: skip
    return billing.subscription_extend_grace(
        organization=subscription.organization, days=days, actor=actor
    )


@transaction.atomic
def network_plan_change(*, tenant: Tenant, actor: str, plan: Plan) -> bool:
    """Move the network's organization to ``plan``; False when it already has it. An
    organization without a subscription gets one (billing starts it on the free plan)."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .filter(organization_id=tenant.organization_id)
        .first()
    )
    if subscription is not None and subscription.plan_id == plan.pk:
        return False
    if tenant.organization is None:
        raise ValidationError(_("This network belongs to no organization."), code="none")
    billing.subscription_plan_change(organization=tenant.organization, plan=plan, actor=actor)
    return True
