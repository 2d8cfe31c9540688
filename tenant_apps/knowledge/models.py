from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.knowledge.access import ArticleQuerySet
from tenant_apps.members.models import Member, Space


class Category(models.Model):
    """A theme of the knowledge base, set by the network (immunothérapie, droits…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Editors chose this theme for a future webinar (from the members' questions).
    webinar_planned = models.DateTimeField(_("planned for a webinar"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EditorialRole(models.Model):
    """A member an admin designated to write articles (editor) or verify them (reviewer).

    Association admins hold both rights through their role; this adds them to a member, for
    example a health professional who reviews without administering the network.
    """

    class Kind(models.TextChoices):
        EDITOR = "editor", _("Editor")
        REVIEWER = "reviewer", _("Reviewer (health professional)")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="editorial_roles")
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    granted_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    granted = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("editorial role")
        verbose_name_plural = _("editorial roles")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="knowledge_one_role_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id}"


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("body (Markdown)"), max_length=60000)
    # body rendered by core.markup.render_markdown when written: never rendered per view.
    body_html = models.TextField(editable=False)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="articles", verbose_name=_("themes")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    # Empty: everyone in the network; otherwise only the members who see that space.
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audience"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    reviewer = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # Continuing education for health professionals (tenant_apps.pro lists these).
    training = models.BooleanField(_("training for professionals"), default=False)
    # When editors were last told the review date had passed (the alert is sent once).
    review_alerted = models.DateTimeField(null=True, blank=True, editable=False)
    # Title (A), summary and body (B), accent-folded: see config/search.py.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="knowledge_article_search"),
            models.Index(fields=["status", "-published", "-id"], name="knowledge_article_listing"),
            models.Index(fields=["status", "next_review_on"], name="knowledge_article_review"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def review_overdue(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.next_review_on is not None
            and self.next_review_on < timezone.localdate()
        )


class Source(models.Model):
    """Where an article's information comes from (HAS, INCa, a journal…)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500)
    published_on = models.DateField(_("publication date"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """An article as it was after one change: who changed it, what, and the full content."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    changed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20)
    # Names of the fields this change touched, e.g. ["title", "sources"].
    changes = models.JSONField(default=list)
    # title, summary, body, status, space, categories, tags, sources: enough to restore.
    content = models.JSONField()

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class Question(models.Model):
    """A member's question to the association, when search did not answer it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered with an article")
        WEBINAR = "webinar", _("Kept for a webinar")

    asker = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="knowledge_questions"
    )
    text = models.TextField(_("your question"), max_length=2000)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("theme"),
    )
    created = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "category"], name="knowledge_question_theme")]

    def __str__(self) -> str:
        return f"question {self.pk}"


class MissedSearch(models.Model):
    """How often a search found nothing, per day: the folded query only, never who asked."""

    query = models.CharField(max_length=200)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search without result")
        verbose_name_plural = _("searches without result")
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="knowledge_missed_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.day})"


class ArticleCard(models.Model):
    """A forum reply in which a moderator pointed to a knowledge-base article."""

    post = models.OneToOneField(
        "forums.Post", on_delete=models.CASCADE, related_name="article_card"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cards")

    class Meta:
        verbose_name = _("article card")
        verbose_name_plural = _("article cards")

    def __str__(self) -> str:
        return f"card {self.article_id} in post {self.post_id}"
