"""Writes of the knowledge base: articles and their review workflow, versions, members'
questions, searches without result, article cards in the forums, review-due alerts."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.markup import render_markdown
from core.search import document, fold
from tenant_apps.forums import services as forums
from tenant_apps.knowledge import access, roles
from tenant_apps.knowledge.models import (
    Article,
    ArticleCard,
    ArticleVersion,
    Category,
    EditorialRole,
    MissedSearch,
    Question,
    Source,
    Tag,
)
from tenant_apps.members.models import Member, Role, Space
from tenant_apps.members.services import designation_grant, designation_revoke
from tenant_apps.moderation.screening import identifying_data
from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.services import notification_create

REVIEW_INTERVAL = datetime.timedelta(days=365)
SOURCE_FIELDS = ("title", "publisher", "url", "published_on")
TRACKED_FIELDS = ("title", "summary", "body", "space", "categories", "tags", "sources", "status")


@dataclass(frozen=True)
class SourceData:
    title: str
    publisher: str
    url: str
    published_on: datetime.date


_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The words of rendered HTML, for indexing and snippets.

    The HTML is core.markup's sanitized output (no comments, scripts or raw ``<``), so a
    tag is exactly ``<…>`` and a regular expression strips them, much faster than a parser.
    """
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def _index(article: Article) -> None:
    # The vector is computed by PostgreSQL from folded text, in the same write as the change.
    Article.objects.filter(pk=article.pk).update(
        search_vector=document(
            A=article.title, B=f"{article.summary} {plain_text(article.body_html)}"
        )
    )


def _content(article: Article) -> dict:
    return {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "space": article.space_id,
        "categories": sorted(article.categories.values_list("pk", flat=True)),
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "sources": [
            {
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published_on": s.published_on.isoformat(),
            }
            for s in article.sources.all()
        ],
    }


def _record_version(article: Article, *, by: Member | None, action: str) -> ArticleVersion:
    content = _content(article)
    last = article.versions.order_by("-number").first()
    previous = last.content if last else {}
    changes = [name for name in TRACKED_FIELDS if previous.get(name) != content[name]]
    return ArticleVersion.objects.create(
        article=article,
        number=(last.number + 1) if last else 1,
        changed_by=by,
        action=action,
        changes=changes,
        content=content,
    )


def _validate_sources(sources: list[SourceData]) -> list[Source]:
    rows: list[Source] = []
    errors: list[str] = []
    for position, data in enumerate(sources):
        row = Source(position=position, **{f: getattr(data, f) for f in SOURCE_FIELDS})
        try:
            row.full_clean(exclude=["article"])
        except ValidationError as error:
            errors.extend(f"{position + 1}: {m}" for m in error.messages)
        rows.append(row)
    if errors:
        raise ValidationError({"sources": errors})
    return rows


def _validate_text(*, title: str, summary: str, body: str) -> None:
    errors = {}
    for name, value in (("title", title), ("summary", summary), ("body", body)):
        if not value.strip():
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)


def _tags(names: list[str]) -> list[Tag]:
    tags = []
    for name in {n.strip()[:60] for n in names if n.strip()}:
        slug = slugify(name)[:60] or "tag"
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
        tags.append(tag or Tag.objects.create(name=name, slug=slug))
    return tags


def _require_writer(member: Member) -> None:
    if not roles.can_write(member):
        raise ValidationError(_("You may not write articles."))


@transaction.atomic
def article_create(
    *,
    author: Member,
    title: str,
    summary: str,
    body: str,
    categories: Sequence[Category] = (),
    tags: Sequence[str] = (),
    space: Space | None = None,
    sources: Sequence[SourceData] = (),
    training: bool = False,
) -> Article:
    """Start a draft article, with its first version."""
    _require_writer(author)
    _validate_text(title=title, summary=summary, body=body)
    source_rows = _validate_sources(list(sources))
    article = Article.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        body_html=str(render_markdown(body, top_heading=2)),
        space=space,
        author=author,
        training=training,
    )
    article.categories.set(categories)
    article.tags.set(_tags(list(tags)))
    for row in source_rows:
        row.article = article
    Source.objects.bulk_create(source_rows)
    _index(article)
    _record_version(article, by=author, action="create")
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: Member,
    title: str,
    summary: str,
    body: str,
    categories: list[Category],
    tags: list[str],
    space: Space | None,
    sources: list[SourceData],
    training: bool | None = None,
) -> Article:
    """Change an article's content; a published one stays published, and keeps at least one
    source. ``training`` unchanged when not given."""
    _require_writer(by)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError(_("An archived article cannot be changed; reopen it first."))
    _validate_text(title=title, summary=summary, body=body)
    source_rows = _validate_sources(list(sources))
    if article.status == Article.Status.PUBLISHED and not source_rows:
        raise ValidationError({"sources": [_("A published article needs at least one source.")]})
    article.title, article.summary, article.body = title.strip(), summary.strip(), body
    article.body_html = str(render_markdown(body, top_heading=2))
    article.space = space
    if training is not None:
        article.training = training
    article.updated = timezone.now()
    article.save()
    article.categories.set(categories)
    article.tags.set(_tags(list(tags)))
    article.sources.all().delete()
    for row in source_rows:
        row.article = article
    Source.objects.bulk_create(source_rows)
    _index(article)
    _record_version(article, by=by, action="update")
    return article


def _transition(article: Article, *, by: Member, allowed: set[str], to: str, action: str, **extra):
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("This article is %(status)s.") % {"status": article.get_status_display()}
                ]
            }
        )
    article.status = to
    article.updated = timezone.now()
    for name, value in extra.items():
        setattr(article, name, value)
    article.save()
    _record_version(article, by=by, action=action)
    return article


@transaction.atomic
def article_submit(*, article: Article, by: Member) -> Article:
    """Send a draft to the reviewers."""
    _require_writer(by)
    return _transition(
        article, by=by, allowed={Article.Status.DRAFT}, to=Article.Status.REVIEW, action="submit"
    )


@transaction.atomic
def article_send_back(*, article: Article, by: Member) -> Article:
    """A reviewer returns an article in review to its editors as a draft."""
    if not roles.can_review(by):
        raise ValidationError(_("Only a reviewer can do this."))
    return _transition(
        article, by=by, allowed={Article.Status.REVIEW}, to=Article.Status.DRAFT, action="send_back"
    )


@transaction.atomic
def article_publish(
    *, article: Article, reviewer: Member, next_review_on: datetime.date | None = None
) -> Article:
    """A reviewer verifies and publishes an article (or re-verifies a published one); it must
    list at least one source."""
    if not roles.can_review(reviewer):
        raise ValidationError(_("Only a reviewer can publish an article."))
    today = timezone.localdate()
    if next_review_on is None:
        next_review_on = today + REVIEW_INTERVAL
    if next_review_on <= today:
        raise ValidationError({"next_review_on": [_("The next review must be in the future.")]})
    if not article.sources.exists():
        raise ValidationError(
            {"sources": [_("An article cannot be published without at least one source.")]}
        )
    return _transition(
        article,
        by=reviewer,
        allowed={Article.Status.REVIEW, Article.Status.PUBLISHED},
        to=Article.Status.PUBLISHED,
        action="publish",
        reviewer=reviewer,
        reviewed_on=today,
        next_review_on=next_review_on,
        review_alerted=None,
        published=article.published or timezone.now(),
    )


@transaction.atomic
def article_archive(*, article: Article, by: Member) -> Article:
    """Take an article out of the knowledge base (and of search) without deleting it."""
    _require_writer(by)
    return _transition(
        article,
        by=by,
        allowed={Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED},
        to=Article.Status.ARCHIVED,
        action="archive",
    )


@transaction.atomic
def article_reopen(*, article: Article, by: Member) -> Article:
    """Bring an archived article back as a draft."""
    _require_writer(by)
    return _transition(
        article, by=by, allowed={Article.Status.ARCHIVED}, to=Article.Status.DRAFT, action="reopen"
    )


@transaction.atomic
def article_restore(*, article: Article, version: ArticleVersion, by: Member) -> Article:
    """Put an earlier version's content back (as a new version); the status does not change."""
    if version.article_id != article.pk:
        raise ValidationError(_("This version belongs to another article."))
    content = version.content
    spaces = {s.pk: s for s in Space.objects.filter(pk=content["space"])}
    article_update(
        article=article,
        by=by,
        title=content["title"],
        summary=content["summary"],
        body=content["body"],
        categories=list(Category.objects.filter(pk__in=content["categories"])),
        tags=content["tags"],
        space=spaces.get(content["space"]),
        sources=[
            SourceData(
                title=s["title"],
                publisher=s["publisher"],
                url=s["url"],
                published_on=datetime.date.fromisoformat(s["published_on"]),
            )
            for s in content["sources"]
        ],
    )
    last = article.versions.order_by("-number").first()
    if last is None:  # every article has had a version since article_create
        raise ValueError(f"article {article.pk} has no version")
    ArticleVersion.objects.filter(pk=last.pk).update(action=f"restore:{version.number}")
    return Article.objects.get(pk=article.pk)


# --- editorial roles --------------------------------------------------------------------------


@transaction.atomic
def editorial_role_grant(*, member: Member, kind: str, actor: Member) -> EditorialRole:
    """An admin makes a member an editor or a reviewer; idempotent, audited."""
    if kind not in EditorialRole.Kind.values:
        raise ValidationError({"kind": [_("Unknown role.")]})
    return designation_grant(
        model=EditorialRole, member=member, kind=kind, actor=actor,
        action="knowledge.role_grant",
    )  # fmt: skip


@transaction.atomic
def editorial_role_revoke(*, member: Member, kind: str, actor: Member) -> None:
    """An admin takes an editorial role back; audited."""
    designation_revoke(
        model=EditorialRole, member=member, kind=kind, actor=actor,
        action="knowledge.role_revoke",
    )  # fmt: skip


# --- questions and searches without result ----------------------------------------------------


def question_ask(*, asker: Member, text: str, category: Category | None = None) -> Question:
    """A member asks the association a question that search did not answer."""
    if not text.strip():
        raise ValidationError({"text": [_("This field is required.")]})
    return Question.objects.create(asker=asker, text=text.strip(), category=category)


@transaction.atomic
def question_answer(*, question: Question, article: Article, by: Member) -> Question:
    """Answer a question with a published article; the asker is notified."""
    if not roles.can_answer(by):
        raise ValidationError(_("You may not answer questions."))
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError({"article": [_("Choose a published article.")]})
    asker = question.asker
    if access.is_reader(asker) and not access.article_readable(asker, article):
        # The notification would show its title to a member who cannot open it.
        raise ValidationError({"article": [_("The member who asked cannot read this article.")]})
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.status = Question.Status.ANSWERED
    question.article = article
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save()
    if asker is not None and access.article_readable(asker, article):
        notification_create(
            recipient=asker,
            kind=Notification.Kind.ANSWER,
            actor=by,
            subject=article.title,
            url=reverse("knowledge:article", args=[article.pk]),
        )
    return question


@transaction.atomic
def theme_mark_for_webinar(*, category: Category, by: Member) -> Category:
    """Keep a theme for a future webinar; its open questions are set aside for it."""
    if not roles.can_answer(by):
        raise ValidationError(_("You may not answer questions."))
    Category.objects.filter(pk=category.pk).update(webinar_planned=timezone.now())
    Question.objects.filter(category=category, status=Question.Status.OPEN).update(
        status=Question.Status.WEBINAR, answered_by=by, answered_at=timezone.now()
    )
    category.refresh_from_db()
    return category


def missed_search_record(*, query: str) -> None:
    """Count a search that found nothing: the folded text and the day, never who searched;
    a query carrying identifying data (email, phone…) is not kept at all."""
    text = " ".join(fold(query).split())[:200]
    if not text or identifying_data(query):
        return
    day = timezone.localdate()
    try:
        with transaction.atomic():
            row, _created = MissedSearch.objects.get_or_create(query=text, day=day)
    except IntegrityError:
        row = MissedSearch.objects.get(query=text, day=day)
    MissedSearch.objects.filter(pk=row.pk).update(count=F("count") + 1)


# --- forums ----------------------------------------------------------------------------------


@transaction.atomic
def article_card_reply(*, topic, article: Article, moderator: Member, message: str = ""):
    """A moderator replies in a topic with a card pointing to a published article."""
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError({"article": [_("Choose a published article.")]})
    if article.space_id not in (None, topic.category.space_id):
        # Its readers could not open it: the article is for another space's audience.
        raise ValidationError({"article": [_("This article is meant for another space.")]})
    body = message.strip() or _("An article of the knowledge base answers this:")
    body = f"{body}\n\n[{article.title}]({reverse('knowledge:article', args=[article.pk])})"
    post = forums.post_create(author=moderator, topic=topic, body=body)
    ArticleCard.objects.create(post=post, article=article)
    return post


# --- review dates ----------------------------------------------------------------------------


def editors_to_alert() -> list[Member]:
    """Admins and designated editors with an account."""
    designated = EditorialRole.objects.filter(kind=EditorialRole.Kind.EDITOR).values("member")
    return list(
        Member.objects.filter(user__isnull=False, status=Member.Status.ACTIVE)
        .filter(Q(role=Role.ADMIN) | Q(pk__in=designated))
        .select_related("user")
    )


def review_due_articles() -> list[Article]:
    """Published articles past their review date that editors were not yet told about."""
    return list(
        Article.objects.filter(
            status=Article.Status.PUBLISHED,
            next_review_on__lt=timezone.localdate(),
            review_alerted__isnull=True,
        ).order_by("next_review_on", "pk")
    )


def review_due_mark_alerted(*, article_ids: list[int]) -> None:
    """Remember that editors were told; the alert is not sent again until the next review."""
    Article.objects.filter(pk__in=article_ids, review_alerted__isnull=True).update(
        review_alerted=timezone.now()
    )
