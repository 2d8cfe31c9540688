"""Articles through the knowledge services, taken as far in the workflow as ``status`` says,
and the members allowed to write and review them."""

import datetime

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Article, Category, EditorialRole
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import Member, ProfileType, Role
from tests.members.factories import MemberFactory


class SourceFactory(factory.Factory):
    class Meta:
        model = SourceData

    title = "Les thérapies ciblées"
    publisher = "INCa"
    url = "https://www.e-cancer.fr/"
    published_on = datetime.date(2024, 3, 1)


class DesignatedMemberFactory(MemberFactory):
    """A member designated editor (or ``kind`` reviewer) by an admin, second factor set up:
    a designation counts only with one."""

    class Meta:
        model = Member

    kind = EditorialRole.Kind.EDITOR
    granted_by = factory.SubFactory(MemberFactory, user__role=Role.ADMIN)

    @classmethod
    def _create(cls, model_class, *, kind, granted_by, **fields):
        member = super()._create(model_class, **fields)
        services.editorial_role_grant(member=member, kind=kind, actor=granted_by)
        TOTP.activate(member.user, generate_totp_secret())
        return member


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article written by ``author``, submitted, published by ``reviewer`` and archived as
    far as ``status`` goes; ``themes`` are category slugs."""

    class Meta:
        model = Article

    author = factory.SubFactory(DesignatedMemberFactory)
    reviewer = factory.SubFactory(
        DesignatedMemberFactory,
        kind=EditorialRole.Kind.REVIEWER,
        user__profile_type=ProfileType.PROFESSIONAL,
    )
    title = factory.Sequence(lambda n: f"Comprendre la thérapie ciblée {n}")
    summary = "Ce qu'il faut savoir."
    body = "Un traitement qui agit sur une anomalie précise."
    status = Article.Status.PUBLISHED
    space = None
    themes: tuple[str, ...] = ()
    sources = factory.LazyFunction(lambda: [SourceFactory()])

    @classmethod
    def _create(cls, model_class, *, author, reviewer, status, themes, **fields):
        article = services.article_create(
            author=author, categories=list(Category.objects.filter(slug__in=themes)), **fields
        )
        if status in (Article.Status.REVIEW, Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            services.article_submit(article=article, by=author)
        if status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            services.article_publish(article=article, reviewer=reviewer)
        if status == Article.Status.ARCHIVED:
            services.article_archive(article=article, by=author)
        return model_class.objects.get(pk=article.pk)
