"""A topic is searched as one document, its title and its published posts: what the network's
search finds follows every reply, edit, moderation decision and erasure."""

import pytest

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Post, Topic
from tenant_apps.knowledge import selectors
from tenant_apps.knowledge import services as knowledge
from tenant_apps.members import services as members
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import ModerationSettings
from tests.forums.test_article_cards import published_article

pytestmark = pytest.mark.django_db


def found(people, text: str, who: str = "member") -> list[tuple[int, int | None]]:
    """(topic id, linked post id) of the topics the search returns."""
    result = selectors.search(member=people[who], text=text, kind="topic")
    return [(hit.obj.pk, hit.post_id) for hit in result.hits]


def test_a_word_only_in_a_reply_finds_its_topic_and_links_to_that_reply(people, topic):
    forums.post_create(author=people["patient2"], topic=topic, body="Bienvenue parmi nous.")
    reply = forums.post_create(
        author=people["patient2"], topic=topic, body="La sophrologie m'a beaucoup aidée."
    )
    forums.post_create(author=people["moderator"], topic=topic, body="Merci pour ce partage.")
    assert found(people, "sophrologie") == [(topic.pk, reply.pk)]
    hit = selectors.search(member=people["member"], text="sophrologie").hits[0]
    assert "<mark>sophrologie</mark>" in hit.snippet_html
    # Readers of another space never see it.
    assert found(people, "sophrologie", who="caregiver") == []


def test_a_match_in_the_title_or_opening_post_links_to_the_topic_itself(people, topic):
    forums.post_create(author=people["patient2"], topic=topic, body="Courage à toi.")
    assert found(people, "immunothérapie") == [(topic.pk, None)]
    hit = selectors.search(member=people["member"], text="fréquente").hits[0]
    assert hit.post_id is None and "<mark>fréquente</mark>" in hit.snippet_html


def test_words_spread_over_several_posts_find_the_topic(people, topic):
    forums.post_create(author=people["patient2"], topic=topic, body="La sophrologie m'aide.")
    forums.post_create(author=people["moderator"], topic=topic, body="Et le yoga adapté ?")
    assert found(people, "sophrologie yoga") == [(topic.pk, None)]


def test_a_reply_hidden_by_a_moderator_is_no_longer_found_until_restored(people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="L'acupuncture ?")
    moderation.post_hide(moderator=people["moderator"], post=reply, reason="Hors charte")
    for who in ("member", "moderator"):
        assert found(people, "acupuncture", who=who) == []
    # The rest of the topic is still found.
    assert found(people, "immunothérapie") == [(topic.pk, None)]
    moderation.post_restore(moderator=people["moderator"], post=reply)
    assert found(people, "acupuncture") == [(topic.pk, reply.pk)]


@pytest.mark.parametrize("editor", ["author", "moderator"])
def test_an_edit_that_removes_a_word_removes_the_topic_from_its_results(people, topic, editor):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="L'acupuncture ?")
    assert found(people, "acupuncture") == [(topic.pk, reply.pk)]
    if editor == "author":
        forums.post_edit(post=reply, editor=people["patient2"], body="Essayez la marche.")
    else:
        moderation.post_moderator_edit(
            moderator=people["moderator"], post=reply, body="Essayez la marche.", reason="Avis"
        )
    assert found(people, "acupuncture") == []
    assert found(people, "marche") == [(topic.pk, reply.pk)]


def test_a_held_reply_is_found_only_once_approved(people, topic):
    ModerationSettings.objects.update(premoderated_posts=2)
    held = forums.post_create(author=people["patient2"], topic=topic, body="L'acupuncture ?")
    assert held.status == Post.Status.HELD
    for who in ("member", "moderator"):
        assert found(people, "acupuncture", who=who) == []
    moderation.post_approve(moderator=people["moderator"], post=held)
    assert found(people, "acupuncture") == [(topic.pk, held.pk)]


def test_a_held_topic_is_found_once_approved(people, patients_category):
    ModerationSettings.objects.update(premoderated_posts=2)
    topic = forums.topic_create(
        author=people["patient2"], category=patients_category, title="Premier sujet",
        body="Quelqu'un connaît l'acupuncture ?",
    )  # fmt: skip
    assert topic.status == Topic.Status.HELD
    assert found(people, "acupuncture", who="moderator") == []
    moderation.post_approve(moderator=people["moderator"], post=topic.opening_post)
    assert found(people, "acupuncture") == [(topic.pk, None)]


def test_a_card_reply_with_an_article_is_found_in_its_topic(people, topic):
    article = published_article(people, title="Comprendre la thérapie ciblée")
    card = knowledge.article_card_reply(
        topic=topic, article=article, moderator=people["moderator"], message="Voici une fiche."
    )
    assert found(people, "fiche") == [(topic.pk, card.pk)]


def test_erasure_takes_the_erased_text_out_and_keeps_the_others_replies(people, topic):
    """``topic`` was opened by member; patient2 replies in it and opens a topic of their own
    where member replies; member's content is then erased."""
    kept = forums.post_create(author=people["patient2"], topic=topic, body="La sophrologie aide.")
    forums.post_create(author=people["member"], topic=topic, body="Merci, et l'acupuncture ?")
    other = forums.topic_create(
        author=people["patient2"], category=topic.category, title="Le yoga adapté",
        body="Des cours près de chez vous ?",
    )  # fmt: skip
    mine = forums.post_create(author=people["member"], topic=other, body="Les massages réflexes.")
    assert found(people, "réflexes", who="moderator") == [(other.pk, mine.pk)]
    members.member_erase(member=people["member"], delete_content=True)
    for words in ("immunothérapie", "fréquente", "acupuncture", "réflexes"):
        assert found(people, words, who="moderator") == [], words
    assert found(people, "sophrologie", who="moderator") == [(topic.pk, kept.pk)]
    assert found(people, "yoga", who="moderator") == [(other.pk, None)]


def test_a_very_long_topic_keeps_its_opening_post_and_newest_replies(people, topic, monkeypatch):
    monkeypatch.setattr(forums, "TOPIC_DOCUMENT_CHARS", 200)
    forums.post_create(author=people["patient2"], topic=topic, body="L'acupuncture.")
    for _ in range(4):
        forums.post_create(author=people["patient2"], topic=topic, body="Courage. " * 3)
    newest = forums.post_create(author=people["patient2"], topic=topic, body="La sophrologie.")
    assert found(people, "sophrologie") == [(topic.pk, newest.pk)]
    assert found(people, "immunothérapie") == [(topic.pk, None)]
    assert found(people, "acupuncture") == []


def test_a_reply_is_appended_to_the_document_and_counted(people, topic):
    before = Topic.objects.get(pk=topic.pk).document_chars
    first = forums.post_create(author=people["patient2"], topic=topic, body="La sophrologie.")
    second = forums.post_create(author=people["patient2"], topic=topic, body="L'acupuncture.")
    after = Topic.objects.get(pk=topic.pk).document_chars
    assert after == before + len(first.body) + 1 + len(second.body) + 1
    assert found(people, "sophrologie") == [(topic.pk, first.pk)]
    assert found(people, "acupuncture") == [(topic.pk, second.pk)]
    # A rebuild gives the same document as the appends.
    appended = Topic.objects.values_list("search_vector", flat=True).get(pk=topic.pk)
    forums.topic_reindex(topic=topic)
    rebuilt = Topic.objects.values_list("search_vector", "document_chars").get(pk=topic.pk)
    assert rebuilt == (appended, after)
