"""The topic page: messages rendered from autoescaped templates, each cached per version in
the network's cache; counts and warning names kept on the post when written; the reader's
controls cached per kind of reader, without a token; a constant number of queries."""

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenant_apps.forums import fragments, selectors
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import ContentWarning, Post, Reaction, Topic
from tenant_apps.messaging.selectors import unread_count_cached
from tenant_apps.moderation import services as moderation

pytestmark = pytest.mark.django_db


def page(client, topic, query: str = "") -> str:
    response = client.get(f"/forums/sujet/{topic.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def rendered_messages(client, topic) -> int:
    """How many messages the page rendered rather than took from the cache."""
    response = client.get(f"/forums/sujet/{topic.pk}/")
    assert response.status_code == 200
    return [t.name for t in response.templates].count("forums/_post.html")


def message(html: str, post: Post) -> str:
    found = re.search(rf'<article id="message-{post.pk}".*?</article>', html, re.S)
    assert found is not None, f"message {post.pk} is not on the page"
    return found.group(0)


# --- Templates and autoescape ----------------------------------------------------------------


def test_what_members_wrote_outside_the_markdown_is_escaped(client_as, people, topic):
    warning = ContentWarning.objects.create(name="<b>Rechute</b>", position=9)
    reply = forums.post_create(
        author=people["patient2"], topic=topic, body="Texte", warnings=[warning]
    )
    forums.post_hide(post=reply, moderator=people["moderator"], reason="<script>x()</script>")
    moderator = message(page(client_as("moderator"), topic), reply)
    assert "&lt;b&gt;Rechute&lt;/b&gt;" in moderator and "<b>Rechute" not in moderator
    assert "&lt;script&gt;x()&lt;/script&gt;" in moderator and "<script>x()" not in moderator
    author = message(page(client_as("patient2"), topic), reply)
    assert "&lt;script&gt;x()&lt;/script&gt;" in author and "Texte" not in author


def test_the_reply_form_uses_djangos_widgets(client_as, people, topic):
    html = page(client_as("patient2"), topic)
    form = re.search(r'<form[^>]*id="reply-form".*?</form>', html, re.S).group(0)
    assert re.search(r'<textarea name="body" cols="40" rows="8"[^>]*id="id_body"', form)
    death = ContentWarning.objects.get(name="Décès")
    assert re.search(rf'<input type="checkbox" name="warnings" value="{death.pk}"', form)


# --- Denormalised on write -------------------------------------------------------------------


def test_reactions_are_counted_on_the_post_when_toggled(people, topic):
    post = topic.opening_post
    forums.reaction_toggle(member=people["patient2"], post=post, kind="courage")
    forums.reaction_toggle(member=people["admin"], post=post, kind="courage")
    forums.reaction_toggle(member=people["admin"], post=post, kind="thanks")
    post.refresh_from_db()
    assert (post.courage_count, post.thanks_count, post.same_count) == (2, 1, 0)
    forums.reaction_toggle(member=people["admin"], post=post, kind="courage")
    post.refresh_from_db()
    assert (post.courage_count, post.thanks_count) == (1, 1)


def test_an_erased_members_reactions_are_uncounted(people, topic):
    from tenant_apps.members.services import member_erase

    post = topic.opening_post
    forums.reaction_toggle(member=people["patient2"], post=post, kind="same")
    forums.reaction_toggle(member=people["admin"], post=post, kind="same")
    member_erase(member=people["patient2"])
    post.refresh_from_db()
    assert post.same_count == Reaction.objects.filter(post=post, kind="same").count() == 1


def test_warning_names_are_written_with_the_post_and_follow_a_removal(client_as, people, topic):
    death, relapse = (
        ContentWarning.objects.get(name="Décès"),
        ContentWarning.objects.get(name="Récidive"),
    )
    reply = forums.post_create(
        author=people["patient2"], topic=topic, body="Dur", warnings=[relapse, death]
    )
    expected = [w.name for w in ContentWarning.objects.filter(pk__in=[death.pk, relapse.pk])]
    assert Post.objects.get(pk=reply.pk).warning_names == expected
    client = client_as("member")
    assert "Décès" in message(page(client, topic), reply)
    moderation.content_warning_remove(actor=people["admin"], warning=death)
    assert Post.objects.get(pk=reply.pk).warning_names == ["Récidive"]
    shown = message(page(client, topic), reply)
    assert "Décès" not in shown and "Récidive" in shown


def test_the_migration_fills_counts_and_names_of_existing_posts(people, topic):
    from importlib import import_module

    migration = import_module("tenant_apps.forums.migrations.0004_post_page_denormalised")
    death = ContentWarning.objects.get(name="Décès")
    reply = forums.post_create(author=people["patient2"], topic=topic, body="x", warnings=[death])
    forums.reaction_toggle(member=people["admin"], post=reply, kind="support")
    forums.reaction_toggle(member=people["member"], post=reply, kind="support")
    Post.objects.update(warning_names=[], support_count=0)  # as before the migration
    migration.backfill(apps, connection.schema_editor())
    reply.refresh_from_db()
    assert (reply.warning_names, reply.support_count, reply.thanks_count) == (["Décès"], 2, 0)
    assert Post.objects.get(pk=topic.opening_post.pk).warning_names == []


# --- The cache of rendered messages ------------------------------------------------------------


def test_a_message_is_rendered_once_then_again_after_each_change(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Première version")
    client = client_as("member")
    assert rendered_messages(client, topic) == 2
    assert rendered_messages(client, topic) == 0
    forums.reaction_toggle(member=people["admin"], post=reply, kind="thanks")
    assert rendered_messages(client, topic) == 1
    forums.post_edit(post=reply, editor=people["patient2"], body="Seconde version")
    html = page(client, topic)
    assert "Seconde version" in html and "Première version" not in html
    moderation.topic_moderate(moderator=people["moderator"], topic=topic, action="lock")
    assert Topic.objects.get(pk=topic.pk).version == 2
    assert rendered_messages(client, topic) == 2


def test_hiding_a_message_reaches_readers_who_had_it_cached(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Texte à masquer")
    author = client_as("patient2")
    assert "Texte à masquer" in page(author, topic)
    forums.post_hide(post=reply, moderator=people["moderator"], reason="Hors charte")
    html = message(page(author, topic), reply)
    assert "Hors charte" in html and "Texte à masquer" not in html


def test_readers_share_the_cache_but_not_their_variant_nor_their_controls(client_as, people, topic):
    death = ContentWarning.objects.get(name="Décès")
    folded = forums.post_create(
        author=people["patient2"], topic=topic, body="Mon père est parti.", warnings=[death]
    )
    hidden = forums.post_create(author=people["patient2"], topic=topic, body="Texte masqué")
    forums.post_hide(post=hidden, moderator=people["moderator"], reason="Hors charte")
    forums.reaction_toggle(member=people["member"], post=folded, kind="courage")
    forums.reading_preference_set(member=people["member"], collapsed=[death])
    # The moderator renders first: the hidden text and the open message are cached.
    moderator = page(client_as("moderator"), topic)
    assert "Texte masqué" in message(moderator, hidden)
    assert "<details" not in message(moderator, folded)
    assert 'class="moderate-edit"' in message(moderator, folded)
    reader = page(client_as("member"), topic)
    assert re.search(r'<details class="content-warning">.*Mon père est parti', reader, re.S)
    assert f'id="message-{hidden.pk}"' not in reader
    button = re.search(r'<button[^>]*data-kind="courage"[^>]*>', message(reader, folded))
    assert 'aria-pressed="true"' in button.group(0)
    assert "moderation/messages" not in reader
    author = page(client_as("patient2"), topic)
    assert "Texte masqué" not in author and "Hors charte" in message(author, hidden)
    assert 'aria-pressed="true"' not in message(author, folded)
    assert f'href="/forums/message/{folded.pk}/modifier/"' in message(author, folded)


def test_the_controls_are_cached_per_kind_of_reader_without_a_token(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Une réponse")
    moderator = client_as("moderator")
    first = moderator.get(f"/forums/sujet/{topic.pk}/")
    assert [t.name for t in first.templates].count("forums/_post_controls.html") == 2
    again = moderator.get(f"/forums/sujet/{topic.pk}/")
    assert "forums/_post_controls.html" not in [t.name for t in again.templates]
    html = again.content.decode()
    # One token for the page, none in the cached messages: their buttons submit its forms.
    assert html.count('name="csrfmiddlewaretoken"') == len(re.findall(r"<form\b", html))
    assert "csrfmiddlewaretoken" not in message(html, reply)
    assert re.search(
        r'<form id="react-form" method="post"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    hide = re.search(
        r'<button type="submit" form="moderate-form" formaction="([^"]+)"', message(html, reply)
    )
    assert hide.group(1) == f"/moderation/messages/{reply.pk}/hide/"
    react = re.search(
        r'<button type="submit" form="react-form" formaction="([^"]+)"[^>]*data-kind="courage"',
        message(html, reply),
    )
    assert react.group(1) == f"/forums/message/{reply.pk}/reagir/"
    # Another kind of reader (not a moderator) gets its own controls, rendered for it.
    member = client_as("member").get(f"/forums/sujet/{topic.pk}/")
    assert [t.name for t in member.templates].count("forums/_post_controls.html") == 2
    assert "moderate-form" not in member.content.decode()


def test_the_cached_message_is_the_networks_own(client_as, people, topic, other_tenant):
    client_as("member").get(f"/forums/sujet/{topic.pk}/")
    post = Post.objects.select_related("author__user").get(pk=topic.opening_post.pk)
    post.body_shown, post.collapsed = True, False
    key = fragments._key(post, topic, fragments.OPEN, "fr")
    assert cache.get(key) is not None
    with tenant_context(other_tenant):
        assert cache.get(key) is None


# --- Queries -----------------------------------------------------------------------------------


def _fill(topic, people, count):
    authors = [people["member"], people["patient2"], people["moderator"], people["admin"]]
    warning = ContentWarning.objects.first()
    for i in range(count):
        post = forums.post_create(
            author=authors[i % 4], topic=topic, body=f"Réponse {i} @Bob",
            warnings=[warning] if i % 3 == 0 else [],
        )  # fmt: skip
        forums.reaction_toggle(member=authors[(i + 1) % 4], post=post, kind="thanks")
        if i % 5 == 0:
            forums.post_hide(post=post, moderator=people["moderator"], reason="Hors charte")
        elif i % 2:
            forums.post_edit(post=post, editor=post.author, body=f"Réponse {i} modifiée")


def _queries(client, topic) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/forums/sujet/{topic.pk}/")
    assert response.status_code == 200
    return [q["sql"] for q in queries]


@pytest.mark.parametrize("reader", ["patient2", "moderator"])
def test_the_same_queries_whatever_the_number_of_messages_and_the_cache(
    client_as, people, patients_category, reader
):
    small = forums.topic_create(
        author=people["member"], category=patients_category, title="Petit", body="x"
    )
    large = forums.topic_create(
        author=people["member"], category=patients_category, title="Grand", body="x"
    )
    _fill(small, people, 3)
    _fill(large, people, 45)
    forums.reading_preference_set(member=people[reader], collapsed=ContentWarning.objects.all())
    client = client_as(reader)
    client.get(f"/forums/sujet/{small.pk}/")  # the read mark, the session
    client.get(f"/forums/sujet/{large.pk}/")
    cache.clear()
    selectors.content_warnings_listed()  # the reply form's, cached apart
    unread_count_cached(people[reader])  # the header's unread messages, primed at sign-in
    cold = _queries(client, large)  # every message rendered: nothing more is read
    warm = _queries(client, large)
    # The middleware's (schema, session, user, member, and a moderator's second factor), the
    # topic with the reader's follow and read mark, the posts, the unread count.
    expected = {"patient2": 7, "moderator": 8}[reader]
    short = _queries(client, small)
    assert len(cold) == len(warm) == len(short) == expected, "\n".join(
        q[:120] for q in [*cold, "-- warm", *warm, "-- small", *short]
    )
