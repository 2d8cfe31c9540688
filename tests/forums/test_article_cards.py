"""A moderator's reply that points to a knowledge-base article shows it as a card on the topic
page, only while the article is published and only to readers of its audience."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenant_apps.knowledge import services as knowledge
from tenant_apps.knowledge.models import Article
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members.models import Space

pytestmark = pytest.mark.django_db


def published_article(people, *, title: str, space=None):
    admin = people["admin"]
    article = knowledge.article_create(
        author=admin,
        title=title,
        summary="Ce qu'il faut savoir avant de commencer.",
        body="Une **thérapie ciblée** agit sur une anomalie précise des cellules.",
        space=space,
        sources=[
            SourceData(title="Les thérapies ciblées", publisher="INCa",
                       url="https://www.e-cancer.fr/", published_on=datetime.date(2023, 5, 12))
        ],
    )  # fmt: skip
    knowledge.article_submit(article=article, by=admin)
    return knowledge.article_publish(article=article, reviewer=admin)


def test_the_card_shows_on_the_topic_page_while_the_article_is_published(client_as, people, topic):
    article = published_article(people, title="Comprendre la thérapie ciblée")
    knowledge.article_card_reply(
        topic=topic, article=article, moderator=people["moderator"], message="Voici une fiche."
    )
    page = client_as("member").get(f"/forums/sujet/{topic.pk}/").content.decode()
    assert 'class="card article-card"' in page
    link = reverse("knowledge:article", args=[article.pk])
    assert f'<a href="{link}">{article.title}</a>' in page

    knowledge.article_archive(article=article, by=people["admin"])
    page = client_as("member").get(f"/forums/sujet/{topic.pk}/").content.decode()
    assert "article-card" not in page
    assert "Voici une fiche." in page


def test_an_article_for_another_audience_is_refused_and_its_card_hidden(client_as, people, topic):
    caregivers = Space.objects.get(slug="proches-aidants")
    elsewhere = published_article(people, title="Répit des aidants", space=caregivers)
    with pytest.raises(ValidationError):
        knowledge.article_card_reply(topic=topic, article=elsewhere, moderator=people["moderator"])

    # An article whose audience changes after it was attached.
    article = published_article(people, title="Fatigue et traitements")
    knowledge.article_card_reply(topic=topic, article=article, moderator=people["moderator"])
    Article.objects.filter(pk=article.pk).update(space=caregivers)
    assert (
        "article-card" not in client_as("member").get(f"/forums/sujet/{topic.pk}/").content.decode()
    )
    assert (
        "article-card" in client_as("moderator").get(f"/forums/sujet/{topic.pk}/").content.decode()
    )
