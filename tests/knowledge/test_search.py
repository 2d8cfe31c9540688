"""The network's search, on real French text: accents, plurals, ranking, what a reader may
see, highlighted snippets, filters, pages, and the searches that found nothing."""

import pytest
from django.utils import timezone

from tenant_apps.forums.models import Post, Topic
from tenant_apps.knowledge import selectors, services
from tenant_apps.knowledge.models import Article, Category, MissedSearch
from tests.knowledge.factories import SourceFactory

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [hit.obj.title for hit in result.hits]


def test_accents_do_not_matter_either_way(make_article, member_of):
    make_article("Comprendre la thérapie ciblée")
    reader = member_of("member")
    assert titles(selectors.search(member=reader, text="therapie ciblee")) == [
        "Comprendre la thérapie ciblée"
    ]
    assert titles(selectors.search(member=reader, text="THÉRAPIE CIBLÉE")) == [
        "Comprendre la thérapie ciblée"
    ]


def test_accented_stop_words_are_not_asked_for_once_folded(make_article, member_of):
    # "à" is a French stop word; folded to "a", the French configuration would keep it as a
    # word and ask every result for an "a".
    make_article("Assurance et prêt immobilier", body="Le droit de l'oubli s'applique ici.")
    reader = member_of("member")
    for typed in ("droit à l'oubli", "droit a l'oubli", "DROIT À L'OUBLI"):
        assert titles(selectors.search(member=reader, text=typed)) == [
            "Assurance et prêt immobilier"
        ], typed


def test_plurals_and_inflections_are_stemmed(make_article, member_of):
    make_article("L'immunothérapie au quotidien", body="Les effets indésirables fréquents.")
    reader = member_of("member")
    assert titles(selectors.search(member=reader, text="immunothérapies")) == [
        "L'immunothérapie au quotidien"
    ]
    assert titles(selectors.search(member=reader, text="effet indesirable")) == [
        "L'immunothérapie au quotidien"
    ]


def test_a_word_in_the_title_ranks_above_the_same_word_in_a_body(make_article, member_of):
    make_article("Vivre avec la fatigue", body="Des conseils pour la journée.")
    make_article("Conseils pour la journée", body="Quand la fatigue s'installe, reposez-vous.")
    result = selectors.search(member=member_of("member"), text="fatigue")
    assert titles(result) == ["Vivre avec la fatigue", "Conseils pour la journée"]
    assert result.hits[0].rank > result.hits[1].rank


def test_articles_come_before_forum_talk_of_the_same_relevance(make_article, make_topic, member_of):
    make_topic("Chimiothérapie orale", "Quelqu'un a essayé la chimiothérapie orale ?")
    make_article("Chimiothérapie orale", body="Quelqu'un a essayé la chimiothérapie orale ?")
    result = selectors.search(member=member_of("member"), text="chimiothérapie orale")
    assert [hit.kind for hit in result.hits] == ["article", "topic"]


def test_a_post_in_a_space_the_reader_cannot_see_is_never_returned(make_topic, member_of):
    make_topic("Répit pour les aidants", "Le congé de proche aidant existe.",
               space_slug="proches-aidants")  # fmt: skip
    make_topic("Bienvenue", "Bonjour à tous", replies=("Le congé de proche aidant m'a aidée.",))
    patient = member_of("member")
    caregiver = member_of("outsider")
    moderator = member_of("moderator")
    assert titles(selectors.search(member=patient, text="congé aidant")) == ["Bienvenue"]
    assert titles(selectors.search(member=caregiver, text="congé aidant")) == [
        "Répit pour les aidants"
    ]
    assert sorted(titles(selectors.search(member=moderator, text="congé aidant"))) == [
        "Bienvenue",
        "Répit pour les aidants",
    ]


def test_a_match_in_a_reply_finds_its_topic_and_snippets_from_that_reply(make_topic, member_of):
    topic = make_topic(
        "Mon parcours", "Je me présente.", replies=("L’examen de contrôle était rassurant.",)
    )
    reply = Post.objects.get(topic=topic, is_opening=False)
    result = selectors.search(member=member_of("member"), text="examens")
    assert [(hit.obj.pk, hit.post_id) for hit in result.hits] == [(topic.pk, reply.pk)]
    assert "<mark>examen</mark>" in result.hits[0].snippet_html


def test_hidden_topics_and_unpublished_replies_are_never_returned(make_topic, member_of):
    make_topic("Sujet masqué", "Les nausées après la cure.", status=Topic.Status.HIDDEN)
    make_topic("Sujet visible", "Bonjour.", replies=("Les nausées me gênent.",),
               reply_status=Post.Status.HELD)  # fmt: skip
    for who in ("member", "moderator"):
        assert selectors.search(member=member_of(who), text="nausées").total == 0


def test_archived_draft_and_in_review_articles_are_never_returned(make_article, member_of):
    for status in (Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED):
        make_article(f"Radiothérapie {status}", status=status)
    make_article("Radiothérapie publiée")
    for who in ("member", "editor", "admin"):
        assert titles(selectors.search(member=member_of(who), text="radiothérapie")) == [
            "Radiothérapie publiée"
        ]


def test_an_article_for_one_space_is_found_only_by_those_who_see_it(
    make_article, member_of, spaces
):
    make_article("Épuisement de l'aidant", space=spaces["proches-aidants"])
    assert selectors.search(member=member_of("member"), text="épuisement").total == 0
    assert selectors.search(member=member_of("outsider"), text="épuisement").total == 1
    assert selectors.search(member=member_of("moderator"), text="épuisement").total == 1


def test_snippets_highlight_the_accented_original_and_escape_everything(make_article, member_of):
    make_article(
        "Thérapie ciblée <b>et</b> fatigue",
        summary="Résumé.",
        body="Avant la **thérapie ciblée**, un test est fait. <script>alert(1)</script>",
    )
    hit = selectors.search(member=member_of("member"), text="therapies ciblees").hits[0]
    assert hit.title_html == (
        "<mark>Thérapie</mark> <mark>ciblée</mark> &lt;b&gt;et&lt;/b&gt; fatigue"
    )
    assert "<mark>thérapie</mark> <mark>ciblée</mark>" in hit.snippet_html
    assert "<script>" not in hit.snippet_html
    assert "<b>" not in hit.title_html


def test_the_index_follows_every_change(make_article, member_of, people):
    article = make_article("Douleurs et sommeil")
    reader = member_of("member")
    assert selectors.search(member=reader, text="insomnie").total == 0
    services.article_update(
        article=article, by=member_of("editor"), title="Douleurs et insomnie",
        summary=article.summary, body=article.body, categories=[], tags=[], space=None,
        sources=[SourceFactory()],
    )  # fmt: skip
    assert titles(selectors.search(member=reader, text="insomnie")) == ["Douleurs et insomnie"]
    services.article_archive(article=article, by=member_of("editor"))
    assert selectors.search(member=reader, text="insomnie").total == 0


def test_filters_by_type_and_theme(make_article, make_topic, member_of):
    make_article("Essais cliniques : comment participer", themes=("essais-cliniques",))
    make_article("Essais cliniques et droits", themes=("droits-et-demarches",))
    make_topic("Essais cliniques", "Qui a participé à un essai ?")
    reader = member_of("member")
    assert selectors.search(member=reader, text="essais").total == 3
    assert {h.kind for h in selectors.search(member=reader, text="essais", kind="topic").hits} == {
        "topic"
    }
    assert selectors.search(member=reader, text="essais", kind="article").total == 2
    theme = Category.objects.get(slug="essais-cliniques")
    assert titles(selectors.search(member=reader, text="essais", category=theme)) == [
        "Essais cliniques : comment participer"
    ]


def test_results_are_paginated(make_article, member_of):
    for number in range(5):
        make_article(f"Alimentation {number}")
    reader = member_of("member")
    first = selectors.search(member=reader, text="alimentation", page_size=2)
    third = selectors.search(member=reader, text="alimentation", page=3, page_size=2)
    beyond = selectors.search(member=reader, text="alimentation", page=9, page_size=2)
    assert (first.total, first.pages, len(first.hits), first.has_next) == (5, 3, 2, True)
    assert (len(third.hits), third.has_next, third.has_previous) == (1, False, True)
    assert (beyond.hits, beyond.total) == ([], 5)
    seen = titles(first) + titles(selectors.search(member=reader, text="alimentation", page=2,
                                                   page_size=2)) + titles(third)  # fmt: skip
    assert sorted(seen) == [f"Alimentation {n}" for n in range(5)]


def test_searches_without_result_are_counted_without_the_member_or_identifying_data(
    client_as, tenant
):
    client = client_as("member")
    for _ in range(2):
        assert client.get("/recherche/", {"q": "Prothèse capillaire"}).status_code == 200
    client.get("/recherche/", {"q": "appelez-moi au 06 12 34 56 78"})
    client.get("/recherche/", {"q": "ecrire a jean.dupont@example.org"})
    rows = list(MissedSearch.objects.values_list("query", "day", "count"))
    assert rows == [("prothese capillaire", timezone.localdate(), 2)]
    assert [f.name for f in MissedSearch._meta.get_fields()] == ["id", "query", "day", "count"]


def test_a_very_common_word_ranks_the_newest_matches_and_says_there_are_more(
    make_topic, make_article, member_of, monkeypatch
):
    monkeypatch.setattr(selectors, "TOPIC_CAP", 2)
    replies = tuple(f"La fatigue, jour {n}." for n in range(5))
    for number in range(3):
        make_topic(f"Fatigue {number}", "La fatigue me pèse.", replies=replies)
    make_article("La fatigue liée au cancer")
    reader = member_of("member")
    result = selectors.search(member=reader, text="fatigue")
    assert result.capped
    assert result.hits[0].kind == "article"
    # The two topics with the newest messages.
    assert [h.obj.title for h in result.hits if h.kind == "topic"] == ["Fatigue 2", "Fatigue 1"]
    assert selectors.search(member=reader, text="liée").capped is False


def test_a_hit_deep_in_a_long_article_is_shown_in_its_snippet(make_article, member_of):
    filler = " ".join(["Le parcours de soins se poursuit normalement."] * 60)
    make_article("Un long article", summary="Résumé.", body=f"{filler}\n\nLa sophrologie aide.")
    hit = selectors.search(member=member_of("member"), text="sophrologie").hits[0]
    assert "<mark>sophrologie</mark>" in hit.snippet_html
    assert hit.snippet_html.startswith("…")
