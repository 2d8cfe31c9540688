import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name

from tenants.colors import AA_NORMAL_TEXT, HEX_COLOR, LIGHT_TEXT, contrast_ratio

hex_color = RegexValidator(HEX_COLOR, _("Enter a colour as #RRGGBB."))

DEFAULT_TIME_ZONE = "Europe/Paris"
# The zones a network may live in: metropolitan France, the French overseas territories and
# the French-speaking neighbours; only those this system's time zone database knows.
TIME_ZONES = [
    (zone, label)
    for zone, label in (
        (DEFAULT_TIME_ZONE, _("Paris (metropolitan France)")),
        ("America/Guadeloupe", _("Guadeloupe")),
        ("America/Martinique", _("Martinique")),
        ("America/Cayenne", _("French Guiana")),
        ("Indian/Reunion", _("Réunion")),
        ("Indian/Mayotte", _("Mayotte")),
        ("Pacific/Noumea", _("New Caledonia")),
        ("Pacific/Tahiti", _("Tahiti (French Polynesia)")),
        ("America/Miquelon", _("Saint Pierre and Miquelon")),
        ("Pacific/Wallis", _("Wallis and Futuna")),
        ("Europe/Brussels", _("Brussels (Belgium)")),
        ("Europe/Zurich", _("Zurich (Switzerland)")),
        ("Europe/Luxembourg", _("Luxembourg")),
        ("America/Montreal", _("Montreal (Quebec)")),
    )
    if zone in zoneinfo.available_timezones()
]


def validate_readable_on_white(value: str) -> None:
    """Links and buttons use the colour on a white page: it must meet WCAG AA there."""
    if HEX_COLOR.match(value) and contrast_ratio(value, LIGHT_TEXT) < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "This colour is too light to read on a white page (contrast %(ratio).1f:1, "
                "at least 4.5:1 needed)."
            ),
            params={"ratio": contrast_ratio(value, LIGHT_TEXT)},
            code="contrast",
        )


class Organization(models.Model):
    """The customer: an association that may run several networks."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tenant(TenantMixin):
    """One network: one PostgreSQL schema, one branded site."""

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Provisioning")
        ACTIVE = "active", _("Active")
        # Unpaid after the grace period (shared_apps.billing): pages answer, writes do not.
        READ_ONLY = "read_only", _("Read-only")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    # Null only for the platform's own row, the public schema.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="tenants",
        null=True,
        blank=True,
        verbose_name=_("organization"),
    )
    # django-tenants' own field, named for the operators' admin.
    schema_name = models.CharField(
        _("schema name"),
        max_length=63,
        unique=True,
        db_index=True,
        validators=[_check_schema_name],
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONING
    )
    listed = models.BooleanField(
        _("listed on the platform home"),
        default=False,
        help_text=_("The association agreed to show this network on the platform's home page."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # Provisioning creates and drops schemas explicitly, inside its own transaction.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | models.Q(schema_name="public"),
                name="tenant_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Domain(DomainMixin):
    """A hostname that serves a tenant; custom domains get TLS only once verified."""

    # django-tenants' own fields, named for the operators' admin.
    domain = models.CharField(_("domain"), max_length=253, unique=True, db_index=True)
    tenant = models.ForeignKey(
        Tenant,
        db_index=True,
        related_name="domains",
        on_delete=models.CASCADE,
        verbose_name=_("network"),
    )
    is_primary = models.BooleanField(_("primary"), default=True, db_index=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The value of the TXT record an admin creates to prove the domain is theirs; empty for
    # the platform's own subdomains, which need no proof.
    verification_token = models.CharField(_("verification token"), max_length=64, blank=True)
    # The last time the verification job looked up the domain's records, and whether the
    # proof was still there: a removed record stops the domain being served.
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class Branding(models.Model):
    """How a network looks and introduces itself."""

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="branding", verbose_name=_("network")
    )
    display_name = models.CharField(_("display name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    # Stored under the tenant's own file prefix by the default tenant storage.
    logo = models.ImageField(_("logo"), upload_to="branding/", blank=True)
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1f5f8b",
        validators=[hex_color, validate_readable_on_white],
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#8a3b12",
        validators=[hex_color, validate_readable_on_white],
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    legal_notice = models.TextField(_("legal notice"), blank=True)
    # Dates are shown and typed in this zone on the network's site and in its emails.
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, default=DEFAULT_TIME_ZONE
    )

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("brandings")

    def __str__(self) -> str:
        return self.display_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The network's time zone, Paris for a name this system no longer knows."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


class Export(models.Model):
    """An archive of one tenant: its schema dump and its files."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="exports", verbose_name=_("network")
    )
    path = models.CharField(_("archive path"), max_length=500)
    size_bytes = models.BigIntegerField(_("size in bytes"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.tenant_id} {self.created:%Y-%m-%d %H:%M}"


# What each action of the platform's audit log means (tenants.services.audit); the
# admin shows these. tests/members/test_audit_labels.py fails on an action without one.
AUDIT_ACTION_LABELS = {
    "create": _("Network created"),
    "suspend": _("Network suspended"),
    "resume": _("Network resumed"),
    "export": _("Network exported"),
    "restore": _("Network restored"),
    "delete": _("Network deleted"),
    "read_only": _("Network made read-only"),
    "grace_extend": _("Grace period extended"),
    "plan_change": _("Plan changed"),
    "signup": _("Network created by sign-up"),
    "billing.reconcile": _("Subscription repaired from Stripe"),
    "domain.add": _("Custom domain added"),
    "domain.verify": _("Custom domain verified"),
    "domain.primary": _("Main address changed"),
    "domain.unverify": _("Custom domain no longer verified"),
    "domain.remove": _("Custom domain removed"),
    "directory.publish": _("Directory listing published"),
    "directory.refuse": _("Directory listing refused"),
    "directory.resource_save": _("Directory resource saved"),
    "directory.resource_publish": _("Directory resource published"),
    "directory.resource_unpublish": _("Directory resource unpublished"),
}


class AuditEntry(models.Model):
    """What an operator or the platform did to a tenant. Kept after the tenant is gone."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.CharField(_("actor"), max_length=200)
    action = models.CharField(_("action"), max_length=50)
    # A slug, not a foreign key: the entry outlives a deleted tenant.
    tenant_slug = models.CharField(_("network"), max_length=40, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.tenant_slug}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTION_LABELS.get(self.action, self.action))
