import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Association admin")


class ProfileType(models.TextChoices):
    PATIENT = "patient", _("Patient")
    FORMER_PATIENT = "former_patient", _("Former patient")
    CAREGIVER = "caregiver", _("Caregiver")
    PROFESSIONAL = "professional", _("Health professional")
    VOLUNTEER = "volunteer", _("Association volunteer")


class Visibility(models.TextChoices):
    NETWORK = "network", _("Everyone in the network")
    SPACES = "spaces", _("Members of my spaces")
    NOBODY = "nobody", _("Nobody")


class Pathology(models.Model):
    """One entry of the network's own list of pathologies."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("pathology")
        verbose_name_plural = _("pathologies")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A user's place in this network: role, what they chose to state, and who sees it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="member",
    )
    # Stable and meaningless: what remains of an erased member ("Membre supprimé #…").
    anonymous_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateTimeField(_("joined"), auto_now_add=True)
    profile_type = models.CharField(
        _("profile"), max_length=20, choices=ProfileType.choices, default=ProfileType.PATIENT
    )
    pathologies = models.ManyToManyField(Pathology, blank=True, verbose_name=_("pathologies"))
    department = models.CharField(_("département"), max_length=3, blank=True)
    bio = models.TextField(_("short presentation"), max_length=600, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    visibility_profile_type = models.CharField(
        _("who sees my profile type"), max_length=10, choices=Visibility.choices,
        default=Visibility.NETWORK,
    )  # fmt: skip
    visibility_pathologies = models.CharField(
        _("who sees my pathologies"), max_length=10, choices=Visibility.choices,
        default=Visibility.SPACES,
    )  # fmt: skip
    visibility_region = models.CharField(
        _("who sees my region"), max_length=10, choices=Visibility.choices,
        default=Visibility.SPACES,
    )  # fmt: skip
    visibility_bio = models.CharField(
        _("who sees my presentation"), max_length=10, choices=Visibility.choices,
        default=Visibility.NETWORK,
    )  # fmt: skip
    visibility_avatar = models.CharField(
        _("who sees my avatar"), max_length=10, choices=Visibility.choices,
        default=Visibility.NETWORK,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=300, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    # When the visit before the current one ended (within the hour last_seen is kept to):
    # what the home page calls new. Written by services.member_seen.
    previous_visit = models.DateTimeField(_("previous visit"), null=True, blank=True)
    erased = models.DateTimeField(_("erased"), null=True, blank=True)
    # Denormalised from the professional's verification (tenant_apps.pro): the badge beside
    # the pseudonym, the profession it shows, and the real name only if they chose to show it.
    verified_professional = models.BooleanField(_("verified professional"), default=False)
    professional_title = models.CharField(_("profession shown"), max_length=150, blank=True)
    real_name_shown = models.CharField(_("real name shown"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is None:
            return _("Deleted member #%(id)s") % {"id": str(self.anonymous_id)[:8]}
        return self.user.username


class Consent(models.Model):
    """A consent a member gave (charter, health data), with its version and time."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Acceptance of the charter")
        HEALTH_DATA = "health_data", _("Processing of my health data")
        # Off by default; withdrawing it takes the member out of every later release.
        STATISTICS = "statistics", _("My activity counts in the association's anonymous statistics")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    given = models.DateTimeField(_("given"), auto_now_add=True)
    withdrawn = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given"]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class Space(models.Model):
    """An audience area of the network, e.g. patients apart from caregivers."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Profile types admitted; moderators and admins see every space.
    audience = ArrayField(
        models.CharField(max_length=20, choices=ProfileType.choices),
        default=list,
        blank=True,
        verbose_name=_("open to"),
    )
    # Only verified professionals reach it (with moderators and admins), whatever their profile.
    professionals_only = models.BooleanField(_("verified professionals only"), default=False)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Charter(models.Model):
    """One version of the network's charter; the newest published one is in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    published = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class NetworkAudience(models.TextChoices):
    PATIENTS = "patients", _("Patients and caregivers")
    PROFESSIONALS = "professionals", _("Health professionals")
    BOTH = "both", _("Patients, caregivers and professionals")


class NetworkSettings(models.Model):
    """Per-network member policies (a single row)."""

    inactive_retention_days = models.PositiveIntegerField(
        _("delete accounts inactive for (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep inactive accounts."),
    )
    audience = models.CharField(
        _("the network is for"), max_length=15, choices=NetworkAudience.choices,
        default=NetworkAudience.PATIENTS,
    )  # fmt: skip
    # A group tied to a place (tenant_apps.pro.LocalGroup) opens without an admin's approval.
    local_groups_open = models.BooleanField(_("local groups need no approval"), default=False)

    class Meta:
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return str(_("network settings"))


class AuditEntry(models.Model):
    """What an admin or moderator did to a member; nobody edits or deletes these."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=50)
    target = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Invitation(models.Model):
    """A one-time link that lets someone create their account with a given role."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.role})"


class ProfileTypeRequest(models.Model):
    """A member's change of profile type that would open a space to them: it waits for a
    moderator, since the spaces keep patients apart from caregivers on what they declare."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="profile_type_requests"
    )
    requested = models.CharField(_("requested profile"), max_length=20, choices=ProfileType.choices)
    previous = models.CharField(
        _("profile at the time"), max_length=20, choices=ProfileType.choices
    )
    created = models.DateTimeField(_("asked"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change of profile request")
        verbose_name_plural = _("change of profile requests")
        ordering = ["created"]
        constraints = [
            # A new request replaces the pending one; two could not be decided coherently.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="one_pending_profile_type_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.previous} → {self.requested} ({self.status})"


class ApiToken(models.Model):
    """A personal access token an app sends to the network's API (``Authorization: Bearer``).

    Only the SHA-256 of the secret is kept: it is shown once, when it is made. Revoking keeps
    the row (the member's list says when), and the token is refused from then on.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    # The first characters of the secret, shown in the list to tell tokens apart.
    prefix = models.CharField(_("start of the token"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
