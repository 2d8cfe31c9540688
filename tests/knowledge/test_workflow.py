"""The knowledge base's services and jobs: the review workflow and its sources, versions and
restoring, review-due alerts, members' questions, article cards in the forums, seeds."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from procrastinate.contrib.django.models import ProcrastinateJob

from tenant_apps.forums.models import Post
from tenant_apps.knowledge import seeds, selectors, services
from tenant_apps.knowledge.jobs import review_due_alert, review_due_sweep
from tenant_apps.knowledge.models import (
    Article,
    ArticleCard,
    ArticleVersion,
    Category,
    Question,
)
from tenant_apps.notifications.models import Notification
from tests.knowledge.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_an_article_cannot_be_published_without_a_source(make_article, member_of):
    article = make_article("Sans source", status=Article.Status.REVIEW, sources=[])
    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, reviewer=member_of("reviewer"))
    assert "sources" in error.value.message_dict
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_publishing_records_the_reviewer_and_dates(make_article, member_of):
    article = make_article("Le PICC line", status=Article.Status.REVIEW)
    reviewer = member_of("reviewer")
    later = timezone.localdate() + datetime.timedelta(days=180)
    services.article_publish(article=article, reviewer=reviewer, next_review_on=later)
    article.refresh_from_db()
    assert (article.status, article.reviewer, article.reviewed_on, article.next_review_on) == (
        Article.Status.PUBLISHED, reviewer, timezone.localdate(), later,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.article_publish(
            article=article, reviewer=reviewer, next_review_on=timezone.localdate()
        )


def test_only_reviewers_publish_and_only_writers_write(make_article, member_of):
    article = make_article("En relecture", status=Article.Status.REVIEW)
    for who in ("editor", "member", "moderator"):
        with pytest.raises(ValidationError):
            services.article_publish(article=article, reviewer=member_of(who))
    for who in ("reviewer", "member", "moderator"):
        with pytest.raises(ValidationError):
            services.article_create(author=member_of(who), title="T", summary="S", body="B")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_the_workflow_moves_only_along_its_arrows(make_article, member_of):
    editor, reviewer = member_of("editor"), member_of("reviewer")
    draft = make_article("Brouillon", status=Article.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.article_publish(article=draft, reviewer=reviewer)
    services.article_submit(article=draft, by=editor)
    with pytest.raises(ValidationError):
        services.article_submit(article=draft, by=editor)
    services.article_send_back(article=draft, by=reviewer)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    archived = make_article("Archivé", status=Article.Status.ARCHIVED)
    with pytest.raises(ValidationError):
        services.article_update(
            article=archived, by=editor, title="X", summary="Y", body="Z", categories=[],
            tags=[], space=None, sources=[SourceFactory()],
        )  # fmt: skip
    services.article_reopen(article=archived, by=editor)
    assert Article.objects.get(pk=archived.pk).status == Article.Status.DRAFT


def test_every_change_is_a_version_with_who_and_what_and_can_be_restored(make_article, member_of):
    editor, admin = member_of("editor"), member_of("admin")
    article = make_article("Première version", body="Texte **initial**.")
    services.article_update(
        article=article, by=admin, title="Deuxième version", summary=article.summary,
        body="Texte corrigé.", categories=list(Category.objects.filter(slug="chimiotherapie")),
        tags=["cure"], space=None,
        sources=[SourceFactory(), SourceFactory(title="Bon usage", publisher="HAS")],
    )  # fmt: skip
    versions = list(ArticleVersion.objects.filter(article=article).order_by("number"))
    assert [(v.number, v.action, v.changed_by) for v in versions] == [
        (1, "create", editor), (2, "submit", editor), (3, "publish", member_of("reviewer")),
        (4, "update", admin),
    ]  # fmt: skip
    assert versions[3].changes == ["title", "body", "categories", "tags", "sources"]
    assert versions[1].changes == ["status"]

    services.article_restore(article=article, version=versions[0], by=editor)
    article.refresh_from_db()
    assert (article.title, article.body, article.status) == (
        "Première version", "Texte **initial**.", Article.Status.PUBLISHED,
    )  # fmt: skip
    assert "<strong>initial</strong>" in article.body_html
    assert list(article.categories.all()) == [] and article.sources.count() == 1
    last = article.versions.order_by("-number").first()
    assert (last.number, last.action, last.changed_by) == (5, "restore:1", editor)
    # The restored text is what search finds now.
    reader = member_of("member")
    assert selectors.search(member=reader, text="première").total == 1
    assert selectors.search(member=reader, text="deuxième").total == 0


def test_markdown_is_sanitized_when_written(make_article):
    article = make_article(body="<script>alert(1)</script> [x](javascript:alert(1)) **gras**")
    assert "<script" not in article.body_html
    assert 'href="javascript' not in article.body_html
    assert "<strong>gras</strong>" in article.body_html


def test_review_due_alerts_editors_once_and_readers_see_the_revision_notice(
    tenant, make_article, member_of, client_as
):
    due = make_article("À revoir")
    fresh = make_article("À jour")
    Article.objects.filter(pk=due.pk).update(
        next_review_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = client_as("member").get(f"/ressources/{due.pk}/").content.decode()
    assert 'id="under-revision"' in page
    assert (
        'id="under-revision"'
        not in client_as("member").get(f"/ressources/{fresh.pk}/").content.decode()
    )

    mail.outbox.clear()
    review_due_alert.func.__wrapped__()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["alice@example.org", "eddy@example.org"]  # the admin, the editor
    assert all("À revoir" in m.body and "À jour" not in m.body for m in mail.outbox)
    assert "Réseau alpha" in mail.outbox[0].from_email
    assert Article.objects.get(pk=due.pk).review_alerted is not None

    mail.outbox.clear()
    review_due_alert.func.__wrapped__()
    assert mail.outbox == []

    # A reviewer confirms it: a new date, the notice and the alert mark go away.
    services.article_publish(article=due, reviewer=member_of("reviewer"))
    due.refresh_from_db()
    assert not due.review_overdue and due.review_alerted is None


def test_the_daily_sweep_defers_one_review_job_per_active_network(tenant, other_tenant):
    first_new = ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    review_due_sweep.func(timestamp=0)
    jobs = ProcrastinateJob.objects.filter(
        task_name="tenant_apps.knowledge.jobs.review_due_alert", id__gt=first_new
    )
    assert sorted(job.args["schema_name"] for job in jobs) == ["alpha", "beta"]
    assert all(set(job.args) == {"schema_name"} for job in jobs)
    connection.set_tenant(tenant)


def test_answering_a_question_notifies_the_asker(make_article, member_of):
    article = make_article("Perruques et prothèses capillaires")
    asker = member_of("member")
    question = services.question_ask(asker=asker, text="Où trouver une perruque ?")
    services.question_answer(question=question, article=article, by=member_of("editor"))
    question.refresh_from_db()
    assert (question.status, question.article) == (Question.Status.ANSWERED, article)
    notification = Notification.objects.get(recipient=asker)
    assert notification.url == f"/ressources/{article.pk}/"
    assert notification.kind == Notification.Kind.ANSWER
    draft = make_article("Brouillon", status=Article.Status.DRAFT)
    other = services.question_ask(asker=asker, text="Et la suite ?")
    with pytest.raises(ValidationError):
        services.question_answer(question=other, article=draft, by=member_of("editor"))


def test_questions_are_grouped_by_theme_with_counts_and_themes_kept_for_a_webinar(member_of):
    immuno = Category.objects.get(slug="immunotherapie")
    droits = Category.objects.get(slug="droits-et-demarches")
    for text in ("Effets sur la thyroïde ?", "Combien de cures ?"):
        services.question_ask(asker=member_of("member"), text=text, category=immuno)
    services.question_ask(asker=member_of("outsider"), text="Le congé aidant ?", category=droits)
    services.question_ask(asker=member_of("outsider"), text="Sans thème")
    themes = selectors.questions_by_theme()
    assert [(t.category, t.count) for t in themes[:3]] == [(immuno, 2), (droits, 1), (None, 1)]
    services.theme_mark_for_webinar(category=immuno, by=member_of("editor"))
    assert Question.objects.filter(category=immuno, status=Question.Status.WEBINAR).count() == 2
    assert Category.objects.get(pk=immuno.pk).webinar_planned is not None
    assert selectors.questions_by_theme()[0].category == droits


def test_a_moderator_replies_with_an_article_card(make_article, make_topic, member_of):
    article = make_article("Reprendre le sport")
    topic = make_topic("Sport et fatigue", "Vous faites du sport ?")
    post = services.article_card_reply(
        topic=topic, article=article, moderator=member_of("moderator"), message="À lire :"
    )
    card = ArticleCard.objects.select_related("post", "article").get(post=post)
    assert card.article == article and card.post.topic == topic
    assert f"/ressources/{article.pk}/" in card.post.body_html
    assert Post.objects.filter(topic=topic).count() == 2
    draft = make_article("Brouillon", status=Article.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.article_card_reply(topic=topic, article=draft, moderator=member_of("moderator"))
    assert Post.objects.filter(topic=topic).count() == 2


def test_every_new_network_has_the_themes(tenant):
    assert list(Category.objects.values_list("name", flat=True)) == list(seeds.DEFAULT_CATEGORIES)


DEMO = {
    "knowledge_categories": ("Thérapies ciblées", "Droits et démarches"),
    "articles": (
        {"title": "Comprendre la thérapie ciblée", "days_ago": 30,
         "themes": ("Thérapies ciblées",), "tags": ("ALK",),
         "summary": "Ce qu'est une thérapie ciblée.",
         "body": "Une **thérapie ciblée** agit sur une anomalie précise des cellules.",
         "sources": (("Les thérapies ciblées", ("INCa", "https://www.e-cancer.fr/"),
                      datetime.date(2023, 5, 12)),)},
        {"title": "Pour les patients seulement", "days_ago": 3, "space": "patients",
         "themes": ("Droits et démarches",), "summary": "Réservé à l'espace Patients.",
         "body": "Le protocole de soins.",
         "sources": (("Affection de longue durée", ("Service-Public.fr",
                      "https://www.service-public.fr/"), datetime.date(2024, 1, 1)),)},
    ),
}  # fmt: skip


def test_demo_content_is_sourced_published_dated_and_idempotent(tenant, people):
    # The demo's articles are signed by its reviewer, an admin with a second factor.
    accounts = {"relecture": people["admin"].member}
    seeds.demo_content(accounts=accounts, content=DEMO)
    seeds.demo_content(accounts=accounts, content=DEMO)
    # The network's own themes: the default ones it does not use went while empty.
    assert list(Category.objects.values_list("name", flat=True)) == list(
        DEMO["knowledge_categories"]
    )
    articles = Article.objects.all()
    assert articles.count() == 2
    assert all(a.status == Article.Status.PUBLISHED and a.sources.exists() for a in articles)
    dated = articles.get(title="Comprendre la thérapie ciblée").published
    assert timezone.now() - dated > datetime.timedelta(days=29)
    reader, outsider = people["member"].member, people["outsider"].member
    assert selectors.search(member=reader, text="therapie ciblee").hits[0].obj.title == (
        "Comprendre la thérapie ciblée"
    )
    assert selectors.search(member=reader, text="protocole").hits
    assert not selectors.search(member=outsider, text="protocole").hits


def test_the_other_network_sees_nothing_of_this_one(make_article, other_tenant):
    make_article("Seulement chez alpha")
    with tenant_context(other_tenant):
        assert not Article.objects.exists()
