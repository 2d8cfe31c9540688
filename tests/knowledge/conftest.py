"""Knowledge fixtures: one account per role the knowledge base knows, articles made through
the services, and forum topics and posts written straight into the tables (the forums'
own services are tested in tests/forums)."""

import datetime
from contextlib import contextmanager

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from core.markup import render_markdown
from core.search import document
from tenant_apps.forums.models import Category as ForumCategory
from tenant_apps.forums.models import Post, Topic
from tenant_apps.forums.services import topic_reindex
from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Article, Category, EditorialRole
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import ProfileType, Role, Space
from tests.members.factories import account

WHO = [
    "anonymous",
    "member",
    "outsider",
    "editor",
    "reviewer",
    "moderator",
    "admin",
    "other_tenant",
]


@contextmanager
def rolled_back():
    """A savepoint undone at the end: one caller's effects never reach the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def people(tenant):
    """member: a patient (sees the "patients" space); outsider: a caregiver (does not)."""
    found = {
        "admin": account("Alice", Role.ADMIN),
        "moderator": account("Mona", Role.MODERATOR),
        "member": account("Bob"),
        "outsider": account("Carla", profile_type=ProfileType.CAREGIVER),
        "editor": account("Eddy"),
        "reviewer": account("DrRita", profile_type=ProfileType.PROFESSIONAL),
    }
    admin = found["admin"].member
    services.editorial_role_grant(
        member=found["editor"].member, kind=EditorialRole.Kind.EDITOR, actor=admin
    )
    services.editorial_role_grant(
        member=found["reviewer"].member, kind=EditorialRole.Kind.REVIEWER, actor=admin
    )
    for who in ("editor", "reviewer"):  # a designation counts only with a second factor
        TOTP.activate(found[who], generate_totp_secret())
    return found


@pytest.fixture
def member_of(people):
    def get(who: str):
        return people[who].member

    return get


@pytest.fixture
def client_as(tenant, make_tenant, client_for, people):
    """A client on alpha's host as one of WHO; ``other_tenant`` is beta's admin's session."""

    def make(who: str):
        client = client_for(tenant)
        if who == "other_tenant":
            other_tenant = make_tenant("beta")  # made only for this caller
            with tenant_context(other_tenant):
                stranger = client_for(other_tenant)
                stranger.force_login(account("Alice", Role.ADMIN))
                assert Session.objects.filter(pk=stranger.cookies["sessionid"].value).exists()
            client.cookies = stranger.cookies
        elif who != "anonymous":
            client.force_login(people[who])
        return client

    return make


def source(title: str = "Les thérapies ciblées", publisher: str = "INCa") -> SourceData:
    return SourceData(
        title=title,
        publisher=publisher,
        url="https://www.e-cancer.fr/",
        published_on=datetime.date(2024, 3, 1),
    )


@pytest.fixture
def make_article(people):
    """An article through the services; ``status`` says how far it goes in the workflow."""

    def make(
        title: str = "Comprendre la thérapie ciblée",
        *,
        summary: str = "Ce qu'il faut savoir.",
        body: str = "Un traitement qui agit sur une anomalie précise.",
        status: str = Article.Status.PUBLISHED,
        space: Space | None = None,
        themes: tuple[str, ...] = (),
        sources=None,
    ) -> Article:
        editor = people["editor"].member
        reviewer = people["reviewer"].member
        article = services.article_create(
            author=editor,
            title=title,
            summary=summary,
            body=body,
            space=space,
            categories=list(Category.objects.filter(slug__in=themes)),
            sources=[source()] if sources is None else sources,
        )
        if status in (Article.Status.REVIEW, Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            services.article_submit(article=article, by=editor)
        if status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            services.article_publish(article=article, reviewer=reviewer)
        if status == Article.Status.ARCHIVED:
            services.article_archive(article=article, by=editor)
        return Article.objects.get(pk=article.pk)

    return make


@pytest.fixture
def make_topic(people):
    """A topic with its opening post (and replies), vectors computed as the forums do."""

    def make(
        title: str,
        body: str,
        *,
        space_slug: str = "patients",
        replies: tuple[str, ...] = (),
        status: str = Topic.Status.VISIBLE,
        reply_status: str = Post.Status.PUBLISHED,
    ) -> Topic:
        category = ForumCategory.objects.filter(space__slug=space_slug, group=None).first()
        author = people["member"].member
        topic = Topic.objects.create(
            category=category, author=author, title=title, last_post_at=timezone.now(),
            status=status,
        )  # fmt: skip
        opening = Post.objects.create(
            topic=topic, author=author, body=body, body_html=str(render_markdown(body)),
            is_opening=True,
        )  # fmt: skip
        Post.objects.filter(pk=opening.pk).update(search_vector=document(B=body))
        for text in replies:
            post = Post.objects.create(
                topic=topic, author=author, body=text, body_html=str(render_markdown(text)),
                status=reply_status,
            )  # fmt: skip
            Post.objects.filter(pk=post.pk).update(search_vector=document(B=text))
        topic_reindex(topic=topic)
        return topic

    return make


@pytest.fixture
def spaces(tenant):
    return {space.slug: space for space in Space.objects.all()}
