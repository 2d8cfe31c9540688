"""Health professionals in a network: their verification, working groups and their regional
guidelines, multidisciplinary meetings (RCP), the care offer by territory, local communities,
prevention campaigns and clinical trials.

Whether a member is a verified professional is denormalised on ``members.Member``
(``verified_professional``, ``professional_title``, ``real_name_shown``), so every page can
show the badge without a join; the requests that lead to it live here.
"""

import uuid

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.events.models import Event
from tenant_apps.forums.models import Group
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Member

rpps_format = RegexValidator(r"^\d{11}$", _("An RPPS number has exactly 11 digits."))


class Profession(models.TextChoices):
    """A professional's profession or medical specialty; RCP quorums are written in these."""

    GENERAL_PRACTITIONER = "general_practitioner", _("General practitioner")
    MEDICAL_ONCOLOGIST = "medical_oncologist", _("Medical oncologist")
    RADIATION_ONCOLOGIST = "radiation_oncologist", _("Radiation oncologist")
    SURGEON = "surgeon", _("Surgeon")
    PULMONOLOGIST = "pulmonologist", _("Pulmonologist")
    RADIOLOGIST = "radiologist", _("Radiologist")
    PATHOLOGIST = "pathologist", _("Pathologist")
    NUCLEAR_PHYSICIAN = "nuclear_physician", _("Nuclear medicine physician")
    CARDIOLOGIST = "cardiologist", _("Cardiologist")
    OTHER_PHYSICIAN = "other_physician", _("Other physician")
    PHARMACIST = "pharmacist", _("Pharmacist")
    NURSE = "nurse", _("Nurse")
    COORDINATING_NURSE = "coordinating_nurse", _("Coordinating nurse")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DIETITIAN = "dietitian", _("Dietitian")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    ADAPTED_ACTIVITY = "adapted_activity", _("Adapted physical activity teacher")
    OTHER = "other", _("Other health professional")


class VerificationRequest(models.Model):
    """A member's request to be recognised as a health professional, and its decision.

    The supporting document is seen by admins only and deleted once the request is decided.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Verification withdrawn")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="verification_requests"
    )
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    rpps = models.CharField(_("RPPS number"), max_length=11, blank=True, validators=[rpps_format])
    other_identifier = models.CharField(
        _("other professional identifier"),
        max_length=40,
        blank=True,
        help_text=_("ADELI, order number… if you have no RPPS number."),
    )
    workplace = models.CharField(_("workplace"), max_length=200)
    # Under the tenant's private prefix, served only to admins; emptied at the decision.
    document = models.FileField(_("supporting document"), upload_to="pro-documents/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="pro_one_pending_request_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.profession} {self.status}"


class WorkingGroup(models.Model):
    """A multidisciplinary group that writes the network's regional guidelines."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # The organ or theme the group works on ("Thorax", "Soins de support").
    organ = models.CharField(_("organ or theme"), max_length=80)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(models.Model):
    """A member named to a working group by an admin; its coordinator validates versions."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="working_group_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    named_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    named = models.DateTimeField(_("named"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="pro_wg_member_once"),
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="coordinator"),
                name="pro_wg_one_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.member_id} {self.role}"


class Guideline(models.Model):
    """A regional diagnostic and therapeutic guideline (référentiel), in versions."""

    class Visibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone in the network")
        PROFESSIONALS = "professionals", _("Verified professionals")
        GROUP = "group", _("The working group only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being written")
        VALID = "valid", _("In force")
        REVISING = "revising", _("Being revised")

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="guidelines", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organ = models.CharField(_("organ or theme"), max_length=80)
    visibility = models.CharField(
        _("visible to"), max_length=15, choices=Visibility.choices, default=Visibility.PROFESSIONALS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The validated version in force, and until when; past it the guideline is "being revised".
    current_version = models.ForeignKey(
        "GuidelineVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # The current version's title, sections and organ, for the network's French search.
    search_document = models.TextField(default="", blank=True, editable=False)

    class Meta:
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        ordering = ["organ", "title"]

    def __str__(self) -> str:
        return self.title


class GuidelineVersion(models.Model):
    """One version of a guideline: its sections, authors, what changed, its validation."""

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_summary = models.TextField(_("what changed"), max_length=2000, blank=True)
    authors = models.ManyToManyField(
        Member, blank=True, related_name="guideline_versions", verbose_name=_("authors")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    validated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)

    class Meta:
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        ordering = ["guideline", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guideline", "number"], name="pro_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.guideline_id} v{self.number}"


class GuidelineSection(models.Model):
    """A section of one version; Markdown cleaned like posts."""

    version = models.ForeignKey(GuidelineVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=60000)
    body_html = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("guideline section")
        verbose_name_plural = _("guideline sections")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class RcpSeries(models.Model):
    """A recurring multidisciplinary team meeting (e.g. the thoracic RCP, Tuesdays 12:30)."""

    class Recurrence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    organ = models.CharField(_("organ or theme"), max_length=80)
    recurrence = models.CharField(
        _("recurrence"), max_length=12, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=300, blank=True)
    join_url = models.URLField(_("video link"), max_length=500, blank=True)
    # The professions that must be present for the meeting to decide (its quorum).
    quorum = models.JSONField(_("quorum"), default=list, blank=True)
    coordinator = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("RCP series")
        verbose_name_plural = _("RCP series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RcpMeeting(models.Model):
    """One meeting of a series."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    series = models.ForeignKey(RcpSeries, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    # This meeting's own place and video link; empty: the series'.
    place = models.CharField(_("place"), max_length=300, blank=True)
    join_url = models.URLField(_("video link"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # The series' instant this meeting stands for, kept when it is moved, so that the
    # generator does not make the moved meeting again (the ICS RECURRENCE-ID idea).
    slot = models.DateTimeField(null=True, blank=True, editable=False)
    # For the ICS invitation: stable across updates of the meeting.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("RCP meeting")
        verbose_name_plural = _("RCP meetings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="pro_rcp_meeting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def where(self) -> str:
        return self.place or self.series.place

    @property
    def video_link(self) -> str:
        return self.join_url or self.series.join_url


class RcpSeriesInvitee(models.Model):
    """A professional the coordinator invited to every meeting of a series: a participant of
    its planned meetings, and of those the generator makes later."""

    series = models.ForeignKey(RcpSeries, on_delete=models.CASCADE, related_name="invitees")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    profession = models.CharField(_("as"), max_length=30, choices=Profession.choices)
    invited_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("RCP series invitee")
        verbose_name_plural = _("RCP series invitees")
        constraints = [
            models.UniqueConstraint(fields=["series", "member"], name="pro_rcp_invitee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} {self.member_id}"


class RcpParticipant(models.Model):
    """A professional expected at a meeting, in a profession, and whether they attended."""

    class Attendance(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(RcpMeeting, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rcp_participations")
    profession = models.CharField(_("as"), max_length=30, choices=Profession.choices)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        verbose_name = _("RCP participant")
        verbose_name_plural = _("RCP participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="pro_rcp_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.profession}"


class RcpCase(models.Model):
    """A case on a meeting's agenda, known only by the hospital record system's reference:
    never a name, a birth date or a health detail (the record stays in the regional system)."""

    class Decision(models.TextChoices):
        SURGERY = "surgery", _("Surgery")
        CHEMOTHERAPY = "chemotherapy", _("Systemic treatment")
        RADIOTHERAPY = "radiotherapy", _("Radiotherapy")
        COMBINED = "combined", _("Combined treatment")
        MORE_TESTS = "more_tests", _("Further tests")
        SURVEILLANCE = "surveillance", _("Surveillance")
        SUPPORTIVE = "supportive", _("Supportive care only")
        TRIAL = "trial", _("Clinical trial proposed")
        REFERRAL = "referral", _("Referral to an expert RCP")
        POSTPONED = "postponed", _("Postponed")

    meeting = models.ForeignKey(RcpMeeting, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    reference = models.CharField(_("record reference"), max_length=40)
    presenter = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=15, choices=Decision.choices, blank=True)
    # The reference of the decision's record in the regional system (the RCP form).
    decision_reference = models.CharField(_("decision reference"), max_length=40, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("RCP case")
        verbose_name_plural = _("RCP cases")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "reference"], name="pro_rcp_case_once"),
        ]

    def __str__(self) -> str:
        return self.reference


class CareProvider(models.Model):
    """One entry of the care offer of the network's territory."""

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("Care establishment")
        SERVICE = "service", _("Hospital service")
        PATHWAY_CENTRE = "pathway_centre", _("Coordination centre (3C)")
        SUPPORTIVE_CARE = "supportive_care", _("Supportive care")
        INFORMATION_SPACE = "information_space", _("Patient information space")
        PRACTICE = "practice", _("Practice")
        HOME_CARE = "home_care", _("Home care and hospitalisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # For a service: the establishment it belongs to.
    establishment = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("establishment"),
    )
    description = models.TextField(_("description"), max_length=3000, blank=True)
    # What it treats or offers, as the network's pathologies and free keywords.
    specialties = models.CharField(_("specialties and offers"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100)
    department = models.CharField(_("département"), max_length=3)
    region = models.CharField(_("région"), max_length=3, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    search_document = models.TextField(default="", blank=True, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["department", "kind"], name="pro_care_dept_kind")]
        constraints = [
            # A provider is known by its name in its city, whatever the case: the form and
            # the import check it first; this stops two saves at the same instant.
            models.UniqueConstraint(
                Lower("name"),
                Lower("city"),
                name="pro_care_provider_once",
                violation_error_code="duplicate",
                violation_error_message=_(
                    "This provider is already in the care offer (same name and city)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None):
        """The identity constraint's error belongs to the name (the form shows it there)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for each in general:
                field = "name" if each.code == "duplicate" else NON_FIELD_ERRORS
                errors.setdefault(field, []).append(each)
            raise ValidationError(errors) from None


class CarePathway(models.Model):
    """A page describing the coordinated care pathway for a pathology in a territory
    ("Être soigné pour un cancer du poumon dans la Vienne"), with the providers involved."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    pathology = models.CharField(_("pathology"), max_length=120)
    department = models.CharField(_("département"), max_length=3, blank=True)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("steps (Markdown)"), max_length=60000)
    body_html = models.TextField(editable=False, default="")
    providers = models.ManyToManyField(
        CareProvider, blank=True, related_name="pathways", verbose_name=_("providers")
    )
    published = models.BooleanField(_("published"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("care pathway")
        verbose_name_plural = _("care pathways")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class LocalGroup(models.Model):
    """A forum group tied to a place: a département, a région or an establishment, so that
    members are offered the groups of their area."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="locality")
    department = models.CharField(_("département"), max_length=3, blank=True)
    region = models.CharField(_("région"), max_length=3, blank=True)
    establishment = models.ForeignKey(
        CareProvider,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="local_groups",
        verbose_name=_("establishment"),
    )

    class Meta:
        verbose_name = _("local group")
        verbose_name_plural = _("local groups")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(department="", region="", establishment__isnull=True),
                name="pro_local_group_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.department or self.region or self.establishment_id}"


class Campaign(models.Model):
    """A prevention or screening campaign, with its events and articles."""

    class Kind(models.TextChoices):
        PREVENTION = "prevention", _("Prevention")
        SCREENING = "screening", _("Screening")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("text (Markdown)"), max_length=20000, blank=True)
    body_html = models.TextField(editable=False, default="")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    events = models.ManyToManyField(
        Event, blank=True, related_name="campaigns", verbose_name=_("events")
    )
    articles = models.ManyToManyField(
        Article, blank=True, related_name="campaigns", verbose_name=_("articles")
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class ClinicalTrial(models.Model):
    """An open clinical trial the network keeps in its list."""

    class Phase(models.TextChoices):
        PHASE_1 = "1", _("Phase I")
        PHASE_1_2 = "1-2", _("Phase I/II")
        PHASE_2 = "2", _("Phase II")
        PHASE_3 = "3", _("Phase III")
        PHASE_4 = "4", _("Phase IV")
        OTHER = "other", _("Other (observational…)")

    class Status(models.TextChoices):
        NOT_YET = "not_yet", _("Not yet recruiting")
        RECRUITING = "recruiting", _("Recruiting")
        SUSPENDED = "suspended", _("Recruitment suspended")
        CLOSED = "closed", _("Recruitment closed")

    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    phase = models.CharField(_("phase"), max_length=6, choices=Phase.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECRUITING
    )
    conditions = models.CharField(_("conditions"), max_length=300)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    # NCT01234567 (ClinicalTrials.gov), 2024-512345-12-00 (EU CTR), or an ID-RCB.
    registry_number = models.CharField(_("registry number"), max_length=40, unique=True)
    contact = models.CharField(_("contact"), max_length=300)
    search_document = models.TextField(default="", blank=True, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("clinical trial")
        verbose_name_plural = _("clinical trials")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.acronym or self.title


class TrialCentre(models.Model):
    """A centre where a trial recruits."""

    trial = models.ForeignKey(ClinicalTrial, on_delete=models.CASCADE, related_name="centres")
    name = models.CharField(_("centre"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("région"), max_length=3)

    class Meta:
        verbose_name = _("trial centre")
        verbose_name_plural = _("trial centres")
        ordering = ["trial", "name"]

    def __str__(self) -> str:
        return self.name
