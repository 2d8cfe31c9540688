"""What an organization's plan allows, how much of it is used, and the checks that refuse
going over it with a clear message (never an error page).

Members are counted by the members app, above this one: it passes its count to the checks
(under its own lock), and the admin pages' "48 of 50 members" reads its count through
``core.hooks`` (``tenant_apps.members.services.members_counted_for_plan``).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from core import emails
from core.hooks import tenant_app_hooks
from shared_apps.billing.models import Plan, Subscription
from tenants.models import Organization, Tenant

FREE_PLAN_CODE = "gratuit"
# The members' and storage counts shown to admins are at most this old; checks recount.
USAGE_CACHE_SECONDS = 300
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    plan_code: str
    plan_name: str
    max_networks: int
    max_members: int
    max_storage_mb: int
    white_label: bool

    @classmethod
    def of(cls, plan: Plan) -> "Limits":
        return cls(
            plan_code=plan.code,
            plan_name=plan.name,
            max_networks=plan.max_networks,
            max_members=plan.max_members,
            max_storage_mb=plan.max_storage_mb,
            white_label=plan.white_label,
        )


# The free plan as billing's migration 0003 seeds it, should its row be missing (a test
# database flushed after a test that commits).
FREE_PLAN_DEFAULTS = {
    "name": "Gratuit",
    "interval": Plan.Interval.FREE,
    "price_cents": 0,
    "max_networks": 1,
    "max_members": 50,
    "max_storage_mb": 500,
    "white_label": False,
}


def free_plan() -> Plan:
    """The free plan (seeded by billing's migration 0003; created again if missing),
    cached a few minutes: every network's admin pages ask for it."""
    plan = cache.get("billing:free-plan")
    if plan is not None:
        return plan
    with schema_context("public"):
        plan = Plan.objects.filter(code=FREE_PLAN_CODE).first()
        if plan is None:
            plan, _created = Plan.objects.get_or_create(
                code=FREE_PLAN_CODE, defaults=FREE_PLAN_DEFAULTS
            )
    cache.set("billing:free-plan", plan, USAGE_CACHE_SECONDS)
    return plan


def _subscription_of(organization: Organization) -> Subscription | None:
    # The host middleware loads a network's organization with its subscription and plan:
    # on a network's pages this costs no query (tenants.hosts).
    try:
        cached = organization._state.fields_cache["subscription"]
    except KeyError:
        with schema_context("public"):
            cached = (
                Subscription.objects.select_related("plan")
                .filter(organization_id=organization.pk)
                .first()
            )
    return cached


def limits_for(organization: Organization | None) -> Limits:
    """The limits of the organization's plan; the free plan's without a subscription."""
    subscription = _subscription_of(organization) if organization is not None else None
    return Limits.of(subscription.plan if subscription is not None else free_plan())


def white_label(tenant: Tenant | None) -> bool:
    """Whether the network's pages and emails carry no platform mark (paid plans); the one
    rule is ``core.emails.white_label``, which the emails read too."""
    return emails.white_label(tenant)


# --- Networks per organization ------------------------------------------------------------


def network_limit_status(organization: Organization) -> tuple[int, int]:
    """(networks the organization has, networks its plan allows)."""
    with schema_context("public"):
        used = (
            Tenant.objects.filter(organization_id=organization.pk)
            .exclude(status=Tenant.Status.ARCHIVED)
            .count()
        )
    return used, limits_for(organization).max_networks


def network_limit_check(organization: Organization) -> None:
    """Refuse one more network beyond the plan's (ValidationError on ``plan``)."""
    used, allowed = network_limit_status(organization)
    if used >= allowed:
        raise ValidationError(
            {
                "plan": ngettext(
                    "Your plan allows %(max)d network and your organization has "
                    "%(used)d. Choose a larger plan to add one.",
                    "Your plan allows %(max)d networks and your organization has "
                    "%(used)d. Choose a larger plan to add one.",
                    allowed,
                )
                % {"max": allowed, "used": used}
            },
            code="network_limit",
        )


# --- Members per network ------------------------------------------------------------------


def _members_counted() -> int:
    [(_app, count)] = tenant_app_hooks("services", "members_counted_for_plan")
    return count()


def member_limit_status(tenant: Tenant, *, used: int | None = None) -> tuple[int, int]:
    """(members the current network counts, members its plan allows), for "48 of 50
    members"; run inside the network. The count is cached a few minutes unless given."""
    if used is None:
        used = cache.get("billing:members")
        if used is None:
            used = _members_counted()
            cache.set("billing:members", used, USAGE_CACHE_SECONDS)
    return used, limits_for(tenant.organization).max_members


def member_usage_forget() -> None:
    """The current network's member count changed: the admins' figure is counted again."""
    cache.delete("billing:members")


def member_limit_check(tenant: Tenant, *, used: int, joining: int = 1) -> None:
    """Refuse ``joining`` more members beyond the plan's: the members app calls this under
    its lock, with its fresh count."""
    allowed = limits_for(tenant.organization).max_members
    if used + joining > allowed:
        raise ValidationError(
            _(
                "This network has reached the %(max)d members its plan allows: it cannot "
                "welcome anyone else for now. The association has been told; please try "
                "again later."
            )
            % {"max": allowed},
            code="member_limit",
        )


# --- Storage per network ------------------------------------------------------------------


def _files_root(tenant: Tenant) -> Path:
    return Path(settings.MEDIA_ROOT) / tenant.schema_name


def storage_used_bytes(tenant: Tenant, *, fresh: bool = False) -> int:
    """Bytes of the network's files (everything under its prefix of the tenant storage);
    measured at most every few minutes unless ``fresh``."""
    key = f"billing:storage:{tenant.schema_name}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    total = 0
    for folder, _dirs, files in os.walk(_files_root(tenant)):
        for name in files:
            try:
                total += os.stat(os.path.join(folder, name)).st_size
            except FileNotFoundError:
                continue  # deleted while we walked
    cache.set(key, total, USAGE_CACHE_SECONDS)
    return total


def storage_limit_status(tenant: Tenant) -> tuple[int, int]:
    """(megabytes the network's files take, rounded up; megabytes its plan allows)."""
    used = storage_used_bytes(tenant)
    return -(-used // MB), limits_for(tenant.organization).max_storage_mb


def storage_amount(used_bytes: int, allowed_mb: int) -> str:
    """ "1.8 of 2 GB used": both sizes in the plan's unit (GB from 1 GB up, else MB), the used
    one with one decimal in the active language's format."""
    if allowed_mb >= 1024:
        unit, scale, allowed = _("GB"), 1024 * MB, allowed_mb / 1024
    else:
        unit, scale, allowed = _("MB"), MB, allowed_mb
    return _("%(used)s of %(allowed)s %(unit)s used") % {
        "used": number_format(round(used_bytes / scale, 1), 1),
        "allowed": number_format(allowed, 0 if float(allowed).is_integer() else 1),
        "unit": unit,
    }


def storage_limit_check(tenant: Tenant, *, adding_bytes: int) -> None:
    """Refuse a file that would take the network over its plan's storage; the message says
    how much is used ("1.8 of 2 GB used")."""
    allowed = limits_for(tenant.organization).max_storage_mb
    used = storage_used_bytes(tenant, fresh=True)
    if used + adding_bytes > allowed * MB:
        raise ValidationError(
            _(
                "This network's files take %(amount)s: this file (%(size)s) does not fit. "
                "The association can free space or choose a larger plan."
            )
            % {
                "amount": storage_amount(used, allowed),
                "size": filesizeformat(adding_bytes),
            },
            code="storage_limit",
        )


def upload_check(*, adding_bytes: int, field: str = NON_FIELD_ERRORS) -> None:
    """The one check of every file stored in a network (avatars, logos, event covers,
    experiences' images, verification documents…): inside a network, refuse a file that
    would take it over its plan's storage, as a ``ValidationError`` on ``field``. Outside
    a network (the platform's schema) there is no limit. Call it before storing the file."""
    tenant = current_tenant()
    if tenant is None:
        return
    try:
        storage_limit_check(tenant, adding_bytes=adding_bytes)
    except ValidationError as error:
        raise ValidationError({field: error.messages}, code="storage_limit") from None


def current_tenant() -> Tenant | None:
    """The network the connection is in (None on the platform's schema)."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return None
    if not isinstance(tenant, Tenant):
        # Entered by schema name (django-tenants' FakeTenant): the row is looked up.
        with schema_context("public"):
            return (
                Tenant.objects.select_related("organization")
                .filter(schema_name=tenant.schema_name)
                .first()
            )
    return tenant
