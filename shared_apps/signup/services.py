"""Sign-up's writes: a representative's request for a network, its creation by a job, and
the one-time link that hands the representative over to the new network as its admin.

Every function here runs in the public schema (the views and jobs that call them are the
platform's). The network itself is made by ``provisioning.services.tenant_create``, the one
way a network is ever created.
"""

import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.jobs import defer_on_commit
from provisioning import services as provisioning
from provisioning import validation
from provisioning.services import ProvisioningError
from shared_apps.billing.limits import free_plan
from shared_apps.billing.models import Plan
from shared_apps.billing.services import (
    BillingError,
    checkout_session_create,
    subscription_start_free,
)
from shared_apps.signup import plans, selectors
from shared_apps.signup.models import SignupRequest
from tenants.links import tenant_base_url
from tenants.models import Domain, Organization, Tenant
from tenants.services import audit

logger = logging.getLogger(__name__)

PROVISION_JOB = "shared_apps.signup.jobs.network_create"
SPARES_JOB = "shared_apps.signup.jobs.spares_fill"
# The one-time link from the progress page to the new network's invitation: short-lived,
# since it is followed at once; the progress page shows a fresh one each time.
HANDOVER_SALT = "signup.handover"
HANDOVER_MAX_AGE = 10 * 60

# Networks one account may ask for in a day, whatever their organization.
REQUESTS_PER_DAY = 5

# ASCII letters and digits that read alike: a subdomain whose skeleton is an existing
# network's is refused, so nobody registers "p0umon" or "pournon" beside "poumon".
_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("5", "s"))


def subdomain_normalize(value: str) -> str:
    """What was typed, as an address: trimmed, in lower case. Letters from other alphabets
    are kept as they are, so that the check refuses them rather than silently turning a
    Cyrillic "о" into a Latin one."""
    return unicodedata.normalize("NFC", value or "").strip().lower()


def _skeleton(slug: str) -> str:
    skeleton = slug.replace("-", "")
    for pattern, replacement in _LOOKALIKES:
        skeleton = skeleton.replace(pattern, replacement)
    return skeleton


@dataclass(frozen=True)
class Availability:
    subdomain: str
    host: str
    available: bool
    message: str


def subdomain_check(*, subdomain: str, account_id: int | None = None) -> str:
    """The normalized subdomain if a new network may have it, else a ``ValidationError``
    saying why (invalid, reserved, taken, too close to another network's).

    A live request of ``account_id`` itself does not count as taken (the same form sent
    twice)."""
    slug = subdomain_normalize(subdomain)
    if not slug.isascii():
        raise ValidationError(
            _(
                "Use only the letters a to z without accents, digits and hyphens: other "
                "alphabets could imitate another network's address."
            ),
            code="not_ascii",
        )
    validation.validate_slug(slug)
    host = f"{slug}.{settings.PLATFORM_DOMAIN}"
    taken = (
        Tenant.objects.filter(
            Q(slug=slug) | Q(schema_name=validation.schema_name_for(slug))
        ).exists()
        or Domain.objects.filter(domain=host).exists()
    )
    live = SignupRequest.objects.exclude(status=SignupRequest.Status.FAILED).filter(subdomain=slug)
    if account_id is not None:
        live = live.exclude(account_id=account_id)
    if taken or live.exists():
        raise ValidationError(
            _("The address “%(host)s” is already taken; choose another one."),
            params={"host": host},
            code="taken",
        )
    skeleton = _skeleton(slug)
    existing = Tenant.objects.exclude(schema_name="public").values_list("slug", flat=True)
    pending = SignupRequest.objects.exclude(status=SignupRequest.Status.FAILED).values_list(
        "subdomain", flat=True
    )
    if account_id is not None:
        pending = pending.exclude(account_id=account_id)
    for other in (*existing, *pending):
        if other != slug and _skeleton(other) == skeleton:
            raise ValidationError(
                _(
                    "The address “%(host)s” looks too much like another network's; choose "
                    "one that cannot be mistaken for it."
                ),
                params={"host": host},
                code="lookalike",
            )
    return slug


def subdomain_availability(*, subdomain: str, account_id: int | None = None) -> Availability:
    """What the sign-up form says while the subdomain is typed."""
    slug = subdomain_normalize(subdomain)
    host = f"{slug}.{settings.PLATFORM_DOMAIN}"
    try:
        slug = subdomain_check(subdomain=slug, account_id=account_id)
    except ValidationError as error:
        return Availability(slug, host, False, " ".join(error.messages))
    return Availability(
        slug,
        host,
        True,
        _("“%(host)s” is available.") % {"host": host},
    )


def _organization_slug(base: str) -> str:
    """A free organization slug starting with ``base``."""
    base = (slugify(base) or "association")[:40].strip("-") or "association"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _clean_name(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = " ".join((value or "").split())
    if not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > 200:
        errors.setdefault(field, []).append(_("Use at most 200 characters."))
    return value


def _live_request(subdomain: str) -> SignupRequest | None:
    return (
        SignupRequest.objects.exclude(status=SignupRequest.Status.FAILED)
        .filter(subdomain=subdomain)
        .first()
    )


def request_create(
    *,
    account,
    network_name: str,
    subdomain: str,
    organization_name: str = "",
    organization: Organization | None = None,
    plan: Plan | None = None,
) -> SignupRequest:
    """A representative asks for a network: a new organization with its first network
    (``organization_name``), or one more network of an organization of theirs
    (``organization``). A free plan's network is created at once by a job; a paid plan's
    once its payment is confirmed.

    The same form sent twice (a double click, two tabs) gives the same request; two people
    asking for one subdomain at the same moment get one request, and the other a
    ``ValidationError``.
    """
    try:
        return _request_create(
            account=account,
            network_name=network_name,
            subdomain=subdomain,
            organization_name=organization_name,
            organization=organization,
            plan=plan,
        )
    except IntegrityError:
        # Another request took the subdomain (or the organization's slug) between the check
        # and the insert: the same account's is this one again, anyone else's is taken.
        existing = _live_request(subdomain_normalize(subdomain))
        if existing is not None and existing.account_id == account.pk:
            return existing
        host = f"{subdomain_normalize(subdomain)}.{settings.PLATFORM_DOMAIN}"
        raise ValidationError(
            {
                "subdomain": [
                    _("The address “%(host)s” is already taken; choose another one.")
                    % {"host": host}
                ]
            }
        ) from None


@transaction.atomic(durable=True)
def _request_create(
    *,
    account,
    network_name: str,
    subdomain: str,
    organization_name: str,
    organization: Organization | None,
    plan: Plan | None,
) -> SignupRequest:
    errors: dict[str, list[str]] = {}
    network_name = _clean_name(network_name, "network_name", errors)
    if organization is None:
        organization_name = _clean_name(organization_name, "organization_name", errors)
    slug = subdomain_normalize(subdomain)
    mine = (
        SignupRequest.objects.exclude(status=SignupRequest.Status.FAILED)
        .filter(subdomain=slug, account=account)
        .first()
    )
    if mine is not None:
        return mine  # the same form again
    recent = SignupRequest.objects.filter(
        account=account, created__gte=timezone.now() - timedelta(days=1)
    ).count()
    if recent >= REQUESTS_PER_DAY:
        # Each free network costs a schema: one account does not fill the server.
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "You asked for %(count)d networks today: that is the most for one day. "
                        "Write to us if your association needs more."
                    )
                    % {"count": recent}
                ]
            }
        )
    try:
        slug = subdomain_check(subdomain=slug)
    except ValidationError as error:
        errors.setdefault("subdomain", []).extend(error.messages)
    if organization is None:
        plan = plan or free_plan()
        if plan not in plans.offered_plans():
            errors.setdefault("plan", []).append(_("Choose one of the plans offered."))
    else:
        plan = None  # a later network joins the organization's subscription
        # Locked: two networks added at once are counted one after the other.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        _network_limit_check(organization, errors)
    if errors:
        raise ValidationError(errors)

    if organization is None:
        organization = Organization.objects.create(
            name=organization_name, slug=_organization_slug(slug)
        )
        # On the free plan until a paid plan's payment is confirmed (billing's webhook).
        subscription_start_free(organization=organization)
    paid = plans.is_paid(plan)
    request = SignupRequest.objects.create(
        account=account,
        organization=organization,
        network_name=network_name,
        subdomain=slug,
        plan=plan,
        status=SignupRequest.Status.AWAITING_PAYMENT if paid else SignupRequest.Status.QUEUED,
    )
    if not paid:
        defer_on_commit(PROVISION_JOB, request_id=request.pk)
    return request


def _network_limit_check(organization: Organization, errors: dict[str, list[str]]) -> None:
    """One more network within the organization's plan, counting those being created."""
    used, allowed = selectors.network_usage(organization)
    if used >= allowed:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            ngettext(
                "Your plan allows %(max)d network and your organization has %(used)d. "
                "Choose a larger plan to add one.",
                "Your plan allows %(max)d networks and your organization has %(used)d. "
                "Choose a larger plan to add one.",
                allowed,
            )
            % {"max": allowed, "used": used}
        )


# --- Payment of a paid plan -----------------------------------------------------------------


def payment_checkout_url(*, request: SignupRequest, success_url: str, cancel_url: str) -> str:
    """Where to pay for a request's paid plan (Stripe Checkout, through billing)."""
    if request.status != SignupRequest.Status.AWAITING_PAYMENT or request.plan is None:
        raise ValidationError(_("This network needs no payment."))
    try:
        return checkout_session_create(
            organization=request.organization,
            plan=request.plan,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except BillingError as error:
        raise ValidationError(str(error)) from None


def payment_confirm(*, request_id: int) -> bool:
    """If billing recorded the payment of a request's plan, queue its network's creation;
    whether it did. Safe to call any number of times (return page, polling, job)."""
    with transaction.atomic():
        request = (
            SignupRequest.objects.select_for_update(of=("self",))
            .select_related("organization", "plan")
            .filter(pk=request_id, status=SignupRequest.Status.AWAITING_PAYMENT)
            .first()
        )
        if request is None or request.plan is None:
            return False
        if not plans.payment_confirmed(organization=request.organization, plan=request.plan):
            return False
        request.status = SignupRequest.Status.QUEUED
        request.save(update_fields=["status", "updated"])
        defer_on_commit(PROVISION_JOB, request_id=request.pk)
    return True


# How long a request waits for its payment before the polling job stops asking.
PAYMENT_WAIT = timedelta(days=2)


def payments_check() -> int:
    """Every request waiting for its payment, checked again; how many were queued."""
    since = timezone.now() - PAYMENT_WAIT
    waiting = SignupRequest.objects.filter(
        status=SignupRequest.Status.AWAITING_PAYMENT, created__gte=since
    ).values_list("pk", flat=True)
    return sum(payment_confirm(request_id=pk) for pk in list(waiting))


def request_retry(*, request: SignupRequest) -> SignupRequest:
    """A failed request tried again (its subdomain checked again first)."""
    with transaction.atomic(durable=True):
        locked = SignupRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != SignupRequest.Status.FAILED:
            return locked
        try:
            subdomain_check(subdomain=locked.subdomain, account_id=locked.account_id)
        except ValidationError as error:
            raise ValidationError({"subdomain": error.messages}) from None
        locked.status = SignupRequest.Status.QUEUED
        locked.error = ""
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "error", "updated"])
        except IntegrityError:
            raise ValidationError(
                {"subdomain": [_("This address was taken meanwhile; choose another one.")]}
            ) from None
        defer_on_commit(PROVISION_JOB, request_id=locked.pk)
    return locked


def _failed(request_id: int, message: str) -> None:
    SignupRequest.objects.filter(pk=request_id, status=SignupRequest.Status.QUEUED).update(
        status=SignupRequest.Status.FAILED, error=message, updated=timezone.now()
    )


def request_provision(*, request_id: int) -> SignupRequest | None:
    """Create the network of a queued request (the job's work); safe to run twice.

    The network, the request's update and the audit entry commit together: a failure leaves
    no network and a request marked failed, with what to tell the representative.
    """
    provisioning.template_ensure()
    try:
        with transaction.atomic(durable=True):
            request = (
                SignupRequest.objects.select_for_update(of=("self",))
                .select_related("account", "organization", "plan")
                .filter(pk=request_id, status=SignupRequest.Status.QUEUED)
                .first()
            )
            if request is None:
                return None  # done, failed, or waiting for its payment
            creation = provisioning.tenant_create(
                slug=request.subdomain,
                name=request.network_name,
                organization_slug=request.organization.slug,
                organization_name=request.organization.name,
                admin_email=request.account.email,
                actor=request.account.username,
            )
            request.tenant = creation.tenant
            request.invitation_url = urlsplit(creation.invitation_url).path
            request.handover_nonce = secrets.token_hex(16)
            request.status = SignupRequest.Status.READY
            request.ready_at = timezone.now()
            request.save()
            audit(
                actor=request.account.username,
                action="signup",
                tenant_slug=request.subdomain,
                organization=request.organization.slug,
                plan=request.plan.code if request.plan else "free",
                request=request.pk,
            )
            if settings.SIGNUP_SPARE_SCHEMAS > 0:
                # A spare clone for the next sign-up, made off its path (provisioning.cloning).
                defer_on_commit(SPARES_JOB)
        return request
    except ValidationError as error:
        _failed(request_id, " ".join(error.messages))
    except ProvisioningError as error:
        _failed(request_id, str(error))
    except IntegrityError:
        # An operator created a network with this address meanwhile.
        _failed(request_id, _("This address was taken meanwhile; choose another one."))
    except Exception:
        logger.exception("sign-up request %s: the network could not be created", request_id)
        _failed(
            request_id,
            _(
                "The network could not be created because of an error on our side. Our team "
                "has been told; you can try again."
            ),
        )
    return None


def handover_token(*, request: SignupRequest) -> str:
    """The signed, one-time, short-lived token of the link from the progress page to the
    new network's invitation (for its representative only; see ``handover_use``)."""
    return signing.dumps({"r": request.pk, "n": request.handover_nonce}, salt=HANDOVER_SALT)


def handover_use(*, request: SignupRequest, token: str) -> str | None:
    """The new network's invitation page, if ``token`` is this request's current one and
    fresh; the token then stops working (a new one is shown on the progress page)."""
    try:
        data = signing.loads(token, salt=HANDOVER_SALT, max_age=HANDOVER_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("r") != request.pk or not data.get("n"):
        return None
    used = SignupRequest.objects.filter(
        pk=request.pk,
        status=SignupRequest.Status.READY,
        handover_nonce=data["n"],
        tenant__isnull=False,
    ).update(handover_nonce=secrets.token_hex(16))
    if not used or not request.invitation_url or request.tenant is None:
        return None
    return f"{tenant_base_url(request.tenant)}{request.invitation_url}"
