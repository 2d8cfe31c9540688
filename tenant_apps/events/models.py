"""Events of a network: webinars, walks in person, walking challenges, and who registered.

Who may see an event is decided in ``access.py`` alone (``Event.objects.visible_to``).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.events.access import EventQuerySet, QuestionQuerySet
from tenant_apps.members.models import Member, Space


class Organizer(models.Model):
    """A member an admin designated to write events (admins write them through their role)."""

    class Kind(models.TextChoices):
        ORGANIZER = "organizer", _("Event organizer")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="event_roles")
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices, default=Kind.ORGANIZER)
    granted_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    granted = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("event organizer")
        verbose_name_plural = _("event organizers")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="events_one_role_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id}"


class Event(models.Model):
    class Format(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        IN_PERSON = "in_person", _("In person")
        CHALLENGE = "challenge", _("Walking challenge")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), max_length=20000)
    # description rendered by core.markup.render_markdown when written, never per view.
    description_html = models.TextField(editable=False)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    # Aware datetimes, shown in the network's time zone.
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("address"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility notes"), max_length=1000, blank=True)
    # The webinar's link: registrants see it from 15 minutes before the start.
    join_url = models.URLField(_("link to join"), max_length=500, blank=True)
    # Empty: everyone in the network; otherwise only the members who see that space.
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
    )
    # Empty: no limit.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="events/", blank=True)
    # After a webinar: where to watch it again (a video's address or an uploaded file's link).
    replay_url = models.URLField(_("replay"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Shown in the platform directory while published, not cancelled and open to everyone
    # in the network (jobs.directory_sync keeps the public copy, without member data).
    in_directory = models.BooleanField(_("show in the platform directory"), default=False)
    # Continuing education for health professionals (tenant_apps.pro lists these).
    training = models.BooleanField(_("training for professionals"), default=False)
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # When the reminders went out: each is claimed by a conditional UPDATE (jobs.py), so it
    # goes once however often the job runs.
    reminded_24h = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_1h = models.DateTimeField(null=True, blank=True, editable=False)
    # The network's search document: title (A) and description (B), folded
    # (core.search.document), written by services with each change of either.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at", "id"], name="events_event_listing"),
            models.Index(fields=["status", "ends_at", "id"], name="events_event_past"),
            GinIndex(fields=["search_vector"], name="events_event_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="events_event_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """Who speaks at an event: a name and a role, optionally a member of the network."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A member's place at an event, or on its waiting list.

    Registrations are inserted while the event's row is locked (services.registration_create),
    so their ids are the order of arrival; the waiting list is served by id.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created = models.DateTimeField(_("registered"), auto_now_add=True)
    # When a waiting member got a place.
    promoted = models.DateTimeField(null=True, blank=True)
    # When the promoted member was emailed: the job claims it with a conditional UPDATE, so
    # the email goes once however often the job runs.
    promotion_emailed = models.DateTimeField(null=True, blank=True, editable=False)
    # When the registrant was told the event is cancelled (once, like the promotion).
    cancellation_emailed = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="events_register_once")
        ]
        indexes = [models.Index(fields=["event", "status", "id"], name="events_reg_queue")]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.event_id}: {self.status}"


class CalendarFeed(models.Model):
    """A member's private calendar feed (the events they registered for), read by calendar
    apps through its secret token; renewing the token revokes the old address."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.member_id}"


class Question(models.Model):
    """A question written to a webinar's speakers, before or during it.

    Screened like a forum post (moderation.screening): refused when it holds a blocked word,
    held for the moderators when it holds a word to hold or signs of a crisis.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a moderator")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="event_questions")
    text = models.TextField(_("your question"), max_length=1000)
    # Shown to other members as "Anonymous" instead of the author's pseudonym.
    anonymous = models.BooleanField(_("ask anonymously"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    crisis = models.BooleanField(default=False, editable=False)
    pinned = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    # A duplicate a moderator merged into another question (then hidden, its votes moved).
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Denormalised from the votes, updated with F() in the vote's transaction.
    votes_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    # Bumped on every change: the live page asks whether anything changed since.
    updated = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webinar question")
        verbose_name_plural = _("webinar questions")
        ordering = ["-pinned", "answered_at", "-votes_count", "id"]
        indexes = [models.Index(fields=["event", "status"], name="events_question_event")]

    def __str__(self) -> str:
        return f"question {self.pk} at {self.event_id}"


class Vote(models.Model):
    """One member's vote for another member's question; one each."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "member"], name="events_vote_once")
        ]

    def __str__(self) -> str:
        return f"vote {self.member_id} for {self.question_id}"


class Chapter(models.Model):
    """A chapter of a webinar's replay: where it starts and what it is about, with the
    questions it answers. The first starts at 0:00; they follow in order."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="chapters")
    start = models.PositiveIntegerField(_("start (seconds)"))
    title = models.CharField(_("title"), max_length=200)
    questions = models.ManyToManyField(Question, blank=True, related_name="chapters")

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="events_chapter_start_once")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def timestamp(self) -> str:
        hours, rest = divmod(self.start, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


# --- walking challenges ----------------------------------------------------------------------

# What one day may hold: more is a typing mistake, not a walk.
MAX_STEPS_A_DAY = 100_000
MAX_MINUTES_A_DAY = 1440


class Challenge(models.Model):
    """The rules of a walking challenge (an event of that format): what is counted, the
    collective goal, teams or not, a leaderboard or none. Its period is the event's."""

    class Unit(models.TextChoices):
        STEPS = "steps", _("Steps")
        MINUTES = "minutes", _("Minutes of activity (accessible mode)")

    class Ranking(models.TextChoices):
        LEADERBOARD = "leaderboard", _("A leaderboard by pseudonym (members may leave it)")
        NONE = "none", _("No ranking: only the collective goal")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="challenge")
    unit = models.CharField(_("what is counted"), max_length=10, choices=Unit.choices,
                            default=Unit.STEPS)  # fmt: skip
    goal = models.PositiveBigIntegerField(_("collective goal"))
    team_mode = models.BooleanField(_("teams"), default=False)
    ranking = models.CharField(_("ranking"), max_length=12, choices=Ranking.choices,
                               default=Ranking.LEADERBOARD)  # fmt: skip

    class Meta:
        verbose_name = _("walking challenge")
        verbose_name_plural = _("walking challenges")
        constraints = [
            models.CheckConstraint(condition=Q(goal__gte=1), name="events_challenge_goal")
        ]

    def __str__(self) -> str:
        return f"challenge of {self.event_id}"

    @property
    def daily_max(self) -> int:
        return MAX_MINUTES_A_DAY if self.unit == self.Unit.MINUTES else MAX_STEPS_A_DAY


class Team(models.Model):
    """A team of a challenge; members join it with its code."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=60)
    code = models.CharField(_("code"), max_length=12)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "code"], name="events_team_code_once"),
            models.UniqueConstraint(fields=["challenge", "name"], name="events_team_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A registered member taking part in a challenge: their team, and whether they appear
    on the leaderboard."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="challenge_participations"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    on_leaderboard = models.BooleanField(_("show me on the leaderboard"), default=True)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("challenge participant")
        verbose_name_plural = _("challenge participants")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="events_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.challenge_id}"


class Entry(models.Model):
    """One participant's steps (or minutes) for one day: one row a day, corrected in place
    (an INSERT … ON CONFLICT DO UPDATE, services.entry_log)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField(_("day"))
    amount = models.PositiveIntegerField(_("amount"))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("challenge entry")
        verbose_name_plural = _("challenge entries")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="events_entry_one_a_day"),
            models.CheckConstraint(
                condition=Q(amount__lte=MAX_STEPS_A_DAY), name="events_entry_amount_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.day}: {self.amount}"


# --- webinars from the members' questions ----------------------------------------------------


class ThemeWebinar(models.Model):
    """A webinar an admin or organizer wrote from a knowledge-base theme, and the members
    whose question on that theme waited then: they are told once the webinar is published
    (a draft is out of their sight)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="theme_origin")
    category = models.ForeignKey(
        "knowledge.Category", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    askers = models.ManyToManyField(Member, blank=True, related_name="+")
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # When the askers were told (at the webinar's publication): each is told once.
    told_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("webinar from a theme")
        verbose_name_plural = _("webinars from themes")

    def __str__(self) -> str:
        return f"webinar {self.event_id} from theme {self.category_id}"
