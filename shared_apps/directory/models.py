"""The platform directory, on the platform's own domain: associations, patient initiatives,
events across associations and resources for associations.

Public-schema tables. What comes from a network is written only by the sync jobs through
``shared_apps.directory.services`` (no query ever joins a network's schema); it copies what
a network or an event says about itself and never anything about a member: no author,
speaker, registrant nor count.

Geography is stored as INSEE codes (``core.geo``): régions as their 2-digit codes,
départements as 2 or 3 characters ("2A", "971"). An empty list means "the whole country".
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Organization, Tenant

# A listing its association has not confirmed for this long may be out of date.
OUTDATED_AFTER = timedelta(days=365)


class Pathology(models.Model):
    """The directory's own list of pathologies, shared by every kind of listing (a
    network's pathologies are its own, in its schema, and never read from here)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("pathology")
        verbose_name_plural = _("pathologies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """What an initiative or a resource is about (information, prevention, research…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Review(models.TextChoices):
    """Where a listing stands: proposed by anyone, then published or refused by an
    operator. Only published listings are ever shown or counted."""

    PROPOSED = "proposed", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REFUSED = "refused", _("Refused")


class Listed(models.Model):
    """What associations, initiatives and submitted events share: their review, who
    proposed them (an address kept only until the decision is emailed) and their search
    document."""

    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PROPOSED
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    # The proposer's address, to tell them the decision; emptied once they are told.
    proposer_email = models.EmailField(_("proposer's email"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # The ids of its pathologies, written with the search document (search.reindex, which
    # every writer calls): what the facets count in one pass over the matched rows, without
    # a join. The link table stays what the filters read.
    pathology_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)

    class Meta:
        abstract = True


class Association(Listed):
    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association (loi 1901)")
        FEDERATION = "federation", _("Federation or union of associations")
        FOUNDATION = "foundation", _("Foundation or endowment fund")
        COLLECTIVE = "collective", _("Informal collective")
        OTHER = "other", _("Other")

    class Approval(models.TextChoices):
        NONE = "", _("No approval")
        NATIONAL = "national", _("National approval")
        REGIONAL = "regional", _("Regional approval")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=5000)
    pathologies = models.ManyToManyField(
        Pathology, related_name="associations", blank=True, verbose_name=_("pathologies")
    )
    regions = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("régions")
    )
    departments = ArrayField(
        models.CharField(max_length=3), default=list, blank=True, verbose_name=_("départements")
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    # The association's own public contact, never a person's: the claim and the yearly
    # reminder are sent there; it is not shown on the page.
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Re-encoded on upload (core.images): a PNG without metadata.
    logo = models.ImageField(_("logo"), upload_to="directory/logos/", blank=True)
    legal_form = models.CharField(
        _("legal form"), max_length=12, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    # The RNA number of the Répertoire national des associations: W and 9 digits.
    rna = models.CharField(_("RNA number"), max_length=10, blank=True)
    approval = models.CharField(
        _("approval (agrément)"), max_length=10, choices=Approval.choices, blank=True
    )
    approval_ends = models.DateField(_("approval ends"), null=True, blank=True)
    # A customer association: kept in step with its organization by a job.
    organization = models.OneToOneField(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_listing",
        verbose_name=_("Entraide organization"),
    )
    # Platform accounts that claimed the listing and may edit it.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="directory_associations", blank=True
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # When the association last said its listing is right; a year without it and the
    # listing says it may be out of date.
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="directory_association_search"),
            GinIndex(fields=["regions"], name="directory_association_regions"),
            GinIndex(fields=["departments"], name="directory_association_deps"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_outdated(self, now: datetime | None = None) -> bool:
        """Unconfirmed for a year (or never confirmed since it was listed a year ago): the
        page says the listing may be out of date."""
        now = now or timezone.now()
        last = self.confirmed_at or self.published_at or self.created
        return last is None or last <= now - OUTDATED_AFTER

    @property
    def possibly_outdated(self) -> bool:
        return self.is_outdated()


class AssociationNetwork(models.Model):
    """A customer association's network as the directory shows it, copied by the sync job
    from the tenant's row and branding (name, colour, address), never read across schemas."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="networks")
    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="directory_network"
    )
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    primary_color = models.CharField(_("primary colour"), max_length=7, blank=True)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("association's network")
        verbose_name_plural = _("associations' networks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Initiative(Listed):
    class Carrier(models.TextChoices):
        PATIENT = "patient", _("A patient")
        FORMER_PATIENT = "former", _("A former patient")
        CAREGIVER = "caregiver", _("A caregiver")
        PROFESSIONAL = "professional", _("A professional with patients")

    class Form(models.TextChoices):
        ASSOCIATIVE = "associative", _("Associative")
        ENTREPRENEURIAL = "entrepreneurial", _("Entrepreneurial")
        SALARIED = "salaried", _("Salaried")
        VOLUNTEER = "volunteer", _("Volunteer")

    class PatientRole(models.TextChoices):
        EXPERT = "expert", _("Patient expert")
        TRAINER = "trainer", _("Trainer")
        BLOGGER = "blogger", _("Blogger or author")
        REPRESENTATIVE = "representative", _("Representative in institutions")
        RESEARCHER = "researcher", _("Co-researcher")
        PARTNER = "partner", _("Patient partner in care")
        PEER = "peer", _("Peer helper")

    class Activity(models.TextChoices):
        PROJECT = "project", _("Project")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class SuccessFactor(models.TextChoices):
        PEERS = "peers", _("Support from other patients")
        PROFESSIONALS = "professionals", _("Support from health professionals")
        ASSOCIATION = "association", _("Support from an association")
        FUNDING = "funding", _("Funding")
        TRAINING = "training", _("Training")
        INSTITUTIONS = "institutions", _("Recognition by institutions")
        NETWORK = "network", _("A network of partners")
        PERSEVERANCE = "perseverance", _("Perseverance")
        DIGITAL = "digital", _("Digital tools")
        MEDIA = "media", _("Media coverage")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=5000)
    carrier = models.CharField(_("carried by"), max_length=12, choices=Carrier.choices)
    form = models.CharField(_("form"), max_length=15, choices=Form.choices)
    roles = ArrayField(
        models.CharField(max_length=15, choices=PatientRole.choices),
        default=list,
        blank=True,
        verbose_name=_("patient roles"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="initiatives", blank=True, verbose_name=_("themes")
    )
    # The ids of its themes, as ``pathology_ids``.
    theme_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    pathologies = models.ManyToManyField(
        Pathology, related_name="initiatives", blank=True, verbose_name=_("pathologies")
    )
    # Empty: national or online.
    region = models.CharField(_("région"), max_length=2, blank=True, db_index=True)
    department = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    activity = models.CharField(
        _("status"), max_length=10, choices=Activity.choices, default=Activity.ACTIVE
    )
    motivation = models.TextField(_("what motivated it"), max_length=3000)
    success_factors = ArrayField(
        models.CharField(max_length=15, choices=SuccessFactor.choices),
        default=list,
        blank=True,
        verbose_name=_("what made it succeed"),
    )
    success_text = models.TextField(_("what made it succeed, in your words"), max_length=3000)
    website = models.URLField(_("website"), max_length=300, blank=True)
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("association"),
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title", "id"]
        indexes = [GinIndex(fields=["search_vector"], name="directory_initiative_search")]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    """An article for associations written by the platform's operators (how to run a
    webinar, moderate a forum, find funding, handle the GDPR…)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"), max_length=50000)
    # Rendered and cleaned by core.markup, as posts are.
    body_html = models.TextField(editable=False)
    themes = models.ManyToManyField(
        Theme, related_name="resources", blank=True, verbose_name=_("themes")
    )
    # The ids of its themes, written with its search document (search.reindex).
    theme_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-published_at", "-id"]
        indexes = [GinIndex(fields=["search_vector"], name="directory_resource_search")]

    def __str__(self) -> str:
        return self.title


class DirectoryEvent(Listed):
    """An event in the calendar across associations: either copied from a network that
    marked it for the directory (``tenant`` and ``event_id`` set, published as long as the
    network keeps it so) or submitted directly through the form and reviewed."""

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directory_events",
        verbose_name=_("network"),
    )
    # The event's id in its network's schema (no foreign key can cross schemas).
    event_id = models.PositiveIntegerField(_("event"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    # Plain text, cut short: the description without its Markdown or HTML.
    summary = models.CharField(_("short description"), max_length=300, blank=True)
    # One of tenant_apps.events.models.Event.Format, stored as its code.
    format = models.CharField(_("format"), max_length=10)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Empty for an online or national event.
    region = models.CharField(_("région"), max_length=2, blank=True)
    pathologies = models.ManyToManyField(
        Pathology, related_name="events", blank=True, verbose_name=_("pathologies")
    )
    # Who runs it: the network's name, or the organiser a submitter named.
    network_name = models.CharField(_("organiser"), max_length=200)
    # The event's page: on its network's primary domain, or the organiser's own.
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("directory event")
        verbose_name_plural = _("directory events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event_id"], name="directory_one_per_event"),
            models.CheckConstraint(
                condition=models.Q(tenant__isnull=True, event_id__isnull=True)
                | models.Q(tenant__isnull=False, event_id__isnull=False),
                name="directory_event_source",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="directory_event_listing"),
            GinIndex(fields=["search_vector"], name="directory_event_search"),
        ]

    def __str__(self) -> str:
        return self.title


# The statistics releases associations list (their own module, imported so Django finds it).
from shared_apps.directory.models_insights import InsightListing  # noqa: E402, F401
