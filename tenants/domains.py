"""A network's custom domains: an association's own hostname, proven theirs by a DNS record.

An admin adds a hostname (``domain_add``); the platform gives it a token, which the admin
publishes as a TXT record at ``_entraide.<hostname>``, and points the hostname at the
platform (a CNAME to ``settings.CUSTOM_DOMAIN_CNAME_TARGET``). ``domain_verify`` looks the
record up: found, the domain is verified, and only then does it serve the network
(``tenants.hosts``) and get a certificate (``tenants.health.tls_ask``). The periodic job
(``tenants.jobs.domains_recheck``) looks again: a record removed makes the domain unverified
again, and it stops being served.

The network's subdomain of the platform (``<slug>.<PLATFORM_DOMAIN>``) needs no proof and
can never be removed. A verified custom domain may become the primary one, from which every
absolute link is built (``tenants.links``), once it points at the platform; if it loses its
verification, the platform subdomain is primary again.

Hostnames are stored in their ASCII (IDNA) form, which is what browsers send in the Host
header; a label mixing scripts, or written in another script only with letters that look
Latin (a Cyrillic "аррӏе"), is refused.
"""

import datetime
import logging
import secrets
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants import dns
from tenants.models import Domain, Tenant
from tenants.services import audit

logger = logging.getLogger(__name__)

RECORD_PREFIX = "_entraide"
# What a hostname typed in the form may be, before any work is done on it.
MAX_INPUT_LENGTH = 300
# Names the DNS reserves for special uses (RFC 6761, 6762, 7686, 9476): never on the web.
SPECIAL_USE_TLDS = frozenset(
    {"alt", "arpa", "example", "internal", "invalid", "local", "localhost", "onion", "test"}
)
# Scripts that may share a label (Japanese, Korean, Chinese writing), after Unicode TR 39's
# "highly restrictive" profile; any other mix in one label is refused.
SCRIPT_SETS = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)
# Letters of other scripts that, lowercase, look like Latin ones: a label written only with
# these (and digits or hyphens) reads as a Latin name that it is not.
LATIN_LOOKALIKES = frozenset("аеорсухіјѕԁӏһԛԝүɡοαντρικυχ")


# Networks whose domains are looked up again: those Caddy may serve (a suspended network's
# domain shows its "unavailable" page), and those read-only while unpaid.
SERVING = [Tenant.Status.ACTIVE, Tenant.Status.READ_ONLY, Tenant.Status.SUSPENDED]


class Lookup(Exception):
    """The DNS could not be asked: the domain's state is unchanged."""


@dataclass(frozen=True)
class Check:
    """What a look-up of a domain's records found."""

    proof: bool  # the TXT record holds the domain's token
    points_here: bool  # the hostname reaches the platform (CNAME or the same addresses)


@dataclass(frozen=True)
class DomainRow:
    """A domain as the admins' page shows it."""

    domain: Domain
    display: str  # the hostname as people write it (Unicode)
    is_platform: bool  # the network's subdomain of the platform
    record_name: str  # where the TXT record goes


# --- Hostnames -----------------------------------------------------------------------------


def hostname_display(hostname: str) -> str:
    """The Unicode form of a stored (ASCII) hostname, for people to read."""
    try:
        return idna.decode(hostname)
    except idna.IDNAError:
        return hostname


def is_platform_hostname(hostname: str) -> bool:
    """Whether ``hostname`` is the platform's own domain or under it."""
    platform = settings.PLATFORM_DOMAIN.lower()
    return hostname == platform or hostname.endswith("." + platform)


def record_name(hostname: str) -> str:
    """Where the admin publishes the domain's token."""
    return f"{RECORD_PREFIX}.{hostname}"


def _invalid(value: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(host)s” is not a domain name. Type it as in the address bar, for example "
            "reseau-poumon.fr or www.mon-association.org."
        ),
        params={"host": value},
        code="invalid_hostname",
    )


def _script(letter: str) -> str:
    name = unicodedata.name(letter, "")
    first = name.split(" ", 1)[0]
    if first == "CJK":
        return "HAN"
    if first == "KATAKANA-HIRAGANA":
        return "KATAKANA"
    return first or "UNKNOWN"


def _looks_alike(label: str) -> bool:
    """A label mixing scripts, or written in another script only with Latin look-alikes."""
    letters = [c for c in label if c.isalpha()]
    scripts = {_script(c) for c in letters}
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in SCRIPT_SETS):
        return True
    if scripts and scripts != {"LATIN"} and all(c in LATIN_LOOKALIKES for c in letters):
        return True
    return False


def hostname_clean(value: str) -> str:
    """The hostname an admin typed, checked and in its stored form (lowercase ASCII, IDNA),
    or ``ValidationError``.

    An address copied from the browser (``https://Example.org/``) and a final dot are
    accepted; the platform's own names, IP addresses, special-use names and look-alikes are
    not.
    """
    shown = value[:80] + ("…" if len(value) > 80 else "")
    if len(value) > MAX_INPUT_LENGTH:
        raise ValidationError(
            _("A domain name has at most 253 characters."), code="hostname_too_long"
        )
    text = value.strip()
    if "://" in text:
        try:
            text = urlsplit(text).hostname or ""
        except ValueError:
            raise _invalid(shown) from None
    text = text.removesuffix(".")
    if not text:
        raise _invalid(shown)
    try:
        hostname = idna.encode(text, uts46=True, transitional=False).decode("ascii")
        unicode_form = idna.decode(hostname)
    except (idna.IDNAError, UnicodeError):
        raise _invalid(shown) from None
    labels = hostname.split(".")
    tld = labels[-1]
    if len(hostname) > 253 or len(labels) < 2 or not (tld.isalpha() or tld.startswith("xn--")):
        raise _invalid(shown)
    if tld in SPECIAL_USE_TLDS:
        raise _invalid(shown)
    target = settings.CUSTOM_DOMAIN_CNAME_TARGET.lower().rstrip(".")
    if is_platform_hostname(hostname) or hostname == target:
        raise ValidationError(
            _(
                "%(host)s belongs to the platform. Add a domain of your association's own; "
                "the network's address on the platform is already listed above."
            ),
            params={"host": shown},
            code="platform_hostname",
        )
    if any(_looks_alike(label) for label in unicode_form.split(".")):
        raise ValidationError(
            _(
                "“%(host)s” mixes letters of different alphabets, or imitates a Latin name "
                "with letters of another alphabet. Such names are refused: they are used to "
                "impersonate other sites."
            ),
            params={"host": shown},
            code="lookalike_hostname",
        )
    return hostname


# --- Reads ---------------------------------------------------------------------------------


def domains_of(tenant: Tenant) -> list[DomainRow]:
    """The network's domains, the primary first, then the platform's, then by name."""
    with schema_context("public"):
        found = list(Domain.objects.filter(tenant_id=tenant.pk))
    rows = [
        DomainRow(
            domain=domain,
            display=hostname_display(domain.domain),
            is_platform=is_platform_hostname(domain.domain),
            record_name=record_name(domain.domain),
        )
        for domain in found
    ]
    rows.sort(key=lambda row: (not row.domain.is_primary, not row.is_platform, row.display))
    return rows


def access_domain(*, tenant: Tenant, pk: int) -> Domain:
    """A domain of this network, or 404: another network's domain is a domain that does
    not exist."""
    with schema_context("public"):
        domain = Domain.objects.filter(tenant_id=tenant.pk, pk=pk).first()
    if domain is None:
        raise Http404
    return domain


# --- Writes --------------------------------------------------------------------------------


def _actor(actor: object) -> str:
    # The platform's audit log names a network's admin by their member id, never by name.
    pk = getattr(actor, "pk", None)
    return f"member:{pk}" if pk is not None else str(actor)


def domain_add(*, tenant: Tenant, hostname: str, actor: object) -> Domain:
    """Add a custom domain to the network, unverified, with a fresh token; audited.

    A domain another network uses gets the same refusal as a taken one, whoever took it:
    nothing says which network.
    """
    try:
        hostname = hostname_clean(hostname)
    except ValidationError as error:
        raise ValidationError({"domain": [error]}) from None
    with schema_context("public"), transaction.atomic():
        # One add at a time per network: the count below stays true until commit.
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        existing = Domain.objects.filter(domain=hostname).values_list("tenant_id", flat=True)
        owner = existing.first()
        if owner == tenant.pk:
            raise _on_domain(
                _("This domain is already one of this network's addresses."), "duplicate"
            )
        if owner is not None:
            raise _taken()
        names = Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True)
        if sum(not is_platform_hostname(name) for name in names) >= settings.CUSTOM_DOMAINS_MAX:
            raise _on_domain(
                _("A network may have at most %(count)d custom domains.")
                % {"count": settings.CUSTOM_DOMAINS_MAX},
                "too_many",
            )
        try:
            with transaction.atomic():
                domain = Domain.objects.create(
                    domain=hostname,
                    tenant=tenant,
                    is_primary=False,
                    verified=False,
                    verification_token=secrets.token_hex(16),
                )
        except IntegrityError:
            # Another network added it between the look-up and the insert.
            raise _taken() from None
        audit(actor=_actor(actor), action="domain.add", tenant_slug=tenant.slug, domain=hostname)
    return domain


def _on_domain(message: str, code: str) -> ValidationError:
    return ValidationError({"domain": [ValidationError(message, code=code)]})


def _taken() -> ValidationError:
    return _on_domain(
        _(
            "This domain is already used on the platform. If it is your association's, "
            "write to the platform's support."
        ),
        "taken",
    )


def _token_ensure(domain: Domain) -> None:
    # A custom domain an operator or provisioning created has no token yet: give it one.
    if not domain.verification_token and not is_platform_hostname(domain.domain):
        domain.verification_token = secrets.token_hex(16)
        Domain.objects.filter(pk=domain.pk, verification_token="").update(
            verification_token=domain.verification_token
        )


def domain_check(domain: Domain, *, pointing: bool = True) -> Check:
    """Look the domain's records up (no write); ``Lookup`` when the DNS does not answer.
    Without ``pointing``, only the proof is looked up (``points_here`` is then False)."""
    try:
        values = dns.txt_values(record_name(domain.domain))
        target = settings.CUSTOM_DOMAIN_CNAME_TARGET
        points = pointing and dns.points_to(domain.domain, target)
    except dns.LookupFailed as error:
        raise Lookup(str(error)) from error
    token = domain.verification_token
    # The token anywhere in a value: some DNS hosts' forms add quotes or a prefix.
    return Check(proof=bool(token) and any(token in value for value in values), points_here=points)


def domain_verify(*, domain: Domain, actor: object) -> Check:
    """Look the domain's proof up now and record what was found: verified when the token is
    there, no longer verified when it is gone; audited when the state changes.

    The look-up happens before the transaction, so that no row stays locked while the DNS
    answers. ``Lookup`` (nothing changed) when the DNS does not answer.
    """
    if is_platform_hostname(domain.domain):
        raise ValidationError(_("The platform's address needs no verification."), code="platform")
    with schema_context("public"):
        _token_ensure(domain)
        check = domain_check(domain)
        with transaction.atomic():
            _record(domain_pk=domain.pk, proof=check.proof, actor=_actor(actor))
        domain.refresh_from_db()
    return check


def _record(*, domain_pk: int, proof: bool, actor: str, reason: str = "") -> None:
    """Write what a look-up found, on the locked row; inside the caller's transaction."""
    domain = Domain.objects.select_for_update().select_related("tenant").filter(pk=domain_pk)
    found = domain.first()
    if found is None:
        return  # removed while the DNS answered
    now = timezone.now()
    found.checked_at = now
    fields = ["checked_at"]
    if proof and not found.verified:
        found.verified, found.verified_at = True, now
        fields += ["verified", "verified_at"]
        audit(actor=actor, action="domain.verify", tenant_slug=found.tenant.slug,
              domain=found.domain)  # fmt: skip
    elif not proof and found.verified:
        found.verified, found.verified_at = False, None
        fields += ["verified", "verified_at"]
        detail = {"domain": found.domain, **({"reason": reason} if reason else {})}
        audit(actor=actor, action="domain.unverify", tenant_slug=found.tenant.slug, **detail)
        if found.is_primary and _primary_back_to_platform(found):
            fields.append("is_primary")
    # save(), not update(): its signal forgets the cached host resolution (tenants.hosts).
    found.save(update_fields=fields)


def _primary_back_to_platform(domain: Domain) -> bool:
    """A primary custom domain that stops serving hands the role back to the network's
    platform subdomain, so that links keep working; whether it could (``domain`` is left for
    the caller to save)."""
    platform = [
        d
        for d in Domain.objects.select_for_update().filter(tenant_id=domain.tenant_id)
        if is_platform_hostname(d.domain)
    ]
    if not platform:
        logger.warning("network %s has no platform subdomain to fall back to", domain.tenant_id)
        return False
    domain.is_primary = False
    fallback = min(platform, key=lambda d: d.pk)
    fallback.is_primary = True
    fallback.save(update_fields=["is_primary"])
    return True


def domain_make_primary(*, domain: Domain, actor: object) -> Domain:
    """Make this domain the network's primary one, the address of every absolute link.

    The platform subdomain may always be primary again; a custom domain must be verified
    and point at the platform (or its links would lead nowhere). Audited as
    ``domain.primary``.
    """
    platform = is_platform_hostname(domain.domain)
    with schema_context("public"):
        if not platform:
            if not domain.verified:
                raise ValidationError(
                    _("Verify this domain before making it the main address."), code="unverified"
                )
            try:
                points = dns.points_to(domain.domain, settings.CUSTOM_DOMAIN_CNAME_TARGET)
            except dns.LookupFailed as error:
                raise Lookup(str(error)) from error
            if not points:
                raise ValidationError(
                    _(
                        "%(host)s does not lead to the platform yet: create the CNAME record "
                        "shown for it on this page, wait for it to spread, then try again."
                    )
                    % {"host": hostname_display(domain.domain)},
                    code="not_pointing",
                )
        with transaction.atomic():
            rows = list(
                Domain.objects.select_for_update()
                .select_related("tenant")
                .filter(tenant_id=domain.tenant_id)
                .order_by("pk")
            )
            target = next((d for d in rows if d.pk == domain.pk), None)
            if target is None or (not platform and not target.verified):
                raise ValidationError(
                    _("Verify this domain before making it the main address."), code="unverified"
                )
            if target.is_primary:
                return target
            # django-tenants' save() takes the role from the network's other domains.
            target.is_primary = True
            target.save(update_fields=["is_primary"])
            audit(actor=_actor(actor), action="domain.primary", tenant_slug=target.tenant.slug,
                  domain=target.domain)  # fmt: skip
    return target


def domain_remove(*, domain: Domain, actor: object) -> None:
    """Remove a custom domain: it stops serving the network at once; audited. The platform
    subdomain, and the primary domain, cannot be removed."""
    if is_platform_hostname(domain.domain):
        raise ValidationError(
            _("The network's address on the platform cannot be removed."), code="platform"
        )
    with schema_context("public"), transaction.atomic():
        found = (
            Domain.objects.select_for_update().select_related("tenant").filter(pk=domain.pk).first()
        )
        if found is None:
            return  # already removed (a double submit)
        if found.is_primary:
            raise ValidationError(
                _("Make another address the main one before removing this one."), code="primary"
            )
        found.delete()  # its signal forgets the cached host resolution
        audit(actor=_actor(actor), action="domain.remove", tenant_slug=found.tenant.slug,
              domain=found.domain)  # fmt: skip


def domains_recheck(*, limit: int = 500) -> dict[str, int]:
    """Look every custom domain of the serving networks up again (the least recently checked
    first): pending ones are verified when their record appears, verified ones lose their
    verification when it is gone. A DNS that does not answer changes nothing, unless a
    verified domain has not been confirmed for ``DNS_UNANSWERED_GRACE_HOURS``. Counts of
    what happened."""
    counts = {"checked": 0, "verified": 0, "unverified": 0, "unanswered": 0}
    grace = datetime.timedelta(hours=settings.DNS_UNANSWERED_GRACE_HOURS)
    with schema_context("public"):
        candidates = list(
            Domain.objects.exclude(verification_token="")
            .filter(tenant__status__in=SERVING)
            .order_by("checked_at", "pk")[:limit]
        )
        for domain in candidates:
            if is_platform_hostname(domain.domain):
                continue
            counts["checked"] += 1
            reason = ""
            try:
                proof = domain_check(domain, pointing=False).proof
            except Lookup:
                counts["unanswered"] += 1
                last = domain.checked_at or domain.verified_at
                if not domain.verified or (last is not None and timezone.now() - last < grace):
                    continue
                proof, reason = False, "unanswered"
            if proof != domain.verified:
                counts["verified" if proof else "unverified"] += 1
            with transaction.atomic():
                _record(domain_pk=domain.pk, proof=proof, actor="platform", reason=reason)
    return counts
