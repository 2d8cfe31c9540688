from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.forums.access import CategoryQuerySet, PostQuerySet, TopicQuerySet
from tenant_apps.members.models import Member, Space

if TYPE_CHECKING:
    from tenant_apps.moderation.screening import Screening


class ContentWarning(models.Model):
    """A sensitive subject an author can tag a post with (décès, récidive, …)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("content warning")
        verbose_name_plural = _("content warnings")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A themed sub-group members propose ("stade 4", "Nouvelle-Aquitaine"), with its forum."""

    class Access(models.TextChoices):
        PUBLIC = "public", _("Open to the space")
        ON_REQUEST = "on_request", _("On request")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="groups", verbose_name=_("space")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), max_length=1000)
    access = models.CharField(
        _("who can join"), max_length=12, choices=Access.choices, default=Access.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member")
        PENDING = "pending", _("Request pending")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_memberships")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MEMBER
    )
    is_moderator = models.BooleanField(_("group moderator"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="forums_one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.group_id}"


class Category(models.Model):
    """A forum inside an audience space, or the forum of one group."""

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="categories", verbose_name=_("space")
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="category"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HELD = "held", _("Awaiting approval")
        HIDDEN = "hidden", _("Hidden by a moderator")

    # Not stored: what topic_create found, and the opening post, for the page that follows.
    screening: "Screening | None"
    opening_post: "Post"

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last message"))
    # Published replies, kept with F() updates.
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VISIBLE
    )
    # The topic's search document: its title (weight A) and its published posts (B),
    # accent-folded (config/search.py), kept by forums.services.topic_reindex.
    search_vector = SearchVectorField(null=True, editable=False)
    # How many characters of post text the document holds (it is capped).
    document_chars = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Bumped by every write that changes how the topic's messages read (lock, pin, move,
    # status): its messages' rendered HTML is cached per message and topic version.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            # The category page's keyset order.
            models.Index(
                fields=["category", "-pinned", "-last_post_at", "-id"], name="forums_topic_listing"
            ),
            GinIndex(fields=["search_vector"], name="forums_topic_search"),
            # The search's newest matching topics first, when a word is common.
            models.Index(fields=["-last_post_at", "-id"], name="forums_topic_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Awaiting approval")
        HIDDEN = "hidden", _("Hidden by a moderator")

    # Not stored: what post_create or an author's post_edit found, for the page that follows.
    screening: "Screening | None"

    # Indexed by forums_post_in_topic (topic, id), which also serves the keyset order.
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", db_index=False)
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="posts")
    is_opening = models.BooleanField(default=False, editable=False)
    body = models.TextField(_("message"), max_length=20000)
    # body rendered by core.markup.render_markdown when written: never rendered per view.
    body_html = models.TextField(editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    warnings = models.ManyToManyField(
        ContentWarning, blank=True, related_name="+", verbose_name=_("content warnings")
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # What the topic page shows, written when it changes rather than counted on every view:
    # the names of ``warnings`` in their order, and each kind's reaction count (F() updates).
    warning_names = ArrayField(
        models.CharField(max_length=60), default=list, db_default=[], blank=True, editable=False
    )
    thanks_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    support_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    courage_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    same_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Bumped by every write that changes how the message reads (text, status, warnings,
    # reactions): its rendered HTML is cached per version (forums.fragments).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["topic", "id"], name="forums_post_in_topic"),
            models.Index(fields=["author", "-created"], name="forums_post_by_author"),
            GinIndex(fields=["search_vector"], name="forums_post_search"),
        ]

    def __str__(self) -> str:
        return f"post {self.pk}"

    @staticmethod
    def count_field(kind: str) -> str:
        """The column that counts a reaction kind's reactions."""
        return f"{kind}_count"


class PostRevision(models.Model):
    """The text of a post before one edit, with who edited it and why."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"revision {self.pk} of post {self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thank you")
        SUPPORT = "support", _("I support you")
        COURAGE = "courage", _("Courage")
        SAME = "same", _("Me too")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="forums_one_reaction")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Subscription(models.Model):
    """A member follows a topic: replies notify them."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="subscriptions")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="forums_one_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.topic_id}"


class TopicRead(models.Model):
    """How far a member has read a topic: posts after ``last_post_id`` are unread."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    last_post_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "topic"], name="forums_one_read_mark")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.topic_id} to {self.last_post_id}"


class ReadingPreference(models.Model):
    """A reader's choices: which content warnings they want collapsed."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="reading")
    collapsed_warnings = models.ManyToManyField(
        ContentWarning, blank=True, related_name="+", verbose_name=_("collapse posts about")
    )

    def __str__(self) -> str:
        return f"reading preferences of {self.member_id}"
