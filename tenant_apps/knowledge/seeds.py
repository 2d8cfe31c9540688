"""What every new network's knowledge base starts with, and the demo networks' articles."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Article, Category
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import Member, Space

DEFAULT_CATEGORIES = (
    "Immunothérapie",
    "Thérapie ciblée",
    "Chimiothérapie",
    "Essais cliniques",
    "Soins de support",
    "Droits et démarches",
    "Vie quotidienne",
)


def seed_defaults() -> None:
    """The knowledge base's themes."""
    Category.objects.bulk_create(
        [
            Category(slug=slugify(name), name=name, position=position)
            for position, name in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,  # idempotent: a second run adds nothing
    )


def demo_content(*, accounts: dict[str, Member], content: dict) -> None:
    """The network's themes and its published, sourced articles, written and reviewed by
    the network's reviewer and dated over the last months; idempotent (matched by title)."""
    themes = content["knowledge_categories"]
    for position, name in enumerate(themes):
        Category.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
    # The default themes of a new network that this one does not use, while still empty.
    Category.objects.filter(articles__isnull=True).exclude(
        slug__in=[slugify(name) for name in themes]
    ).delete()
    reviewer = accounts["relecture"]
    now = timezone.now()
    for spec in content["articles"]:
        if Article.objects.filter(title=spec["title"]).exists():
            continue
        article = services.article_create(
            author=reviewer,
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            categories=list(Category.objects.filter(name__in=spec["themes"])),
            tags=list(spec.get("tags", ())),
            space=Space.objects.get(slug=spec["space"]) if spec.get("space") else None,
            sources=[
                SourceData(title=title, publisher=publisher, url=url, published_on=published_on)
                for title, (publisher, url), published_on in spec["sources"]
            ],
        )
        services.article_submit(article=article, by=reviewer)
        services.article_publish(
            article=article,
            reviewer=reviewer,
            next_review_on=timezone.localdate() + datetime.timedelta(days=365),
        )
        published = now - datetime.timedelta(days=spec["days_ago"])
        Article.objects.filter(pk=article.pk).update(
            created=published, updated=published, published=published
        )
