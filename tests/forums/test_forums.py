"""What members do in the forums: write, read, react, follow, edit, and what screening does."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tenant_apps.forums import selectors
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import (
    ContentWarning,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.moderation.models import ModerationSettings, WatchedWord
from tenant_apps.notifications.models import Notification
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db


def ids_in(html: bytes, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(rf'id="{prefix}-(\d+)"'.encode(), html)]


# --- Writing ---------------------------------------------------------------------------------


def test_a_new_topic_is_published_indexed_and_followed(client_as, people, _screened_calls):
    client = client_as("member")
    response = client.post(
        "/forums/traitements/nouveau/",
        {"title": "Thérapie ciblée", "body": "Des effets **secondaires** ?"},
    )
    topic = Topic.objects.get(title="Thérapie ciblée")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/forums/sujet/{topic.pk}/"
    post = topic.posts.get()
    assert post.is_opening and post.status == Post.Status.PUBLISHED
    assert post.body_html == "<p>Des effets <strong>secondaires</strong> ?</p>\n"
    assert Subscription.objects.filter(topic=topic, member=people["member"]).exists()
    assert Topic.objects.filter(pk=topic.pk, search_vector__isnull=False).exists()
    assert Post.objects.filter(pk=post.pk, search_vector__isnull=False).exists()
    # Accent-folded French search finds it without accents.
    from core.search import query

    assert Topic.objects.filter(search_vector=query("therapie ciblee")).exists()
    assert [call[0] for call in _screened_calls] == [post.pk]


def test_markup_is_sanitized(people, topic):
    post = forums.post_create(
        author=people["patient2"], topic=topic, body="<script>alert(1)</script> [x](javascript:1)"
    )
    assert "<script" not in post.body_html
    assert 'href="javascript' not in post.body_html


def test_replies_count_and_move_the_last_activity(people, topic):
    before = Topic.objects.get(pk=topic.pk).last_post_at
    forums.post_create(author=people["patient2"], topic=topic, body="Une")
    forums.post_create(author=people["member"], topic=topic, body="Deux")
    topic.refresh_from_db()
    assert topic.reply_count == 2
    assert topic.last_post_at > before


def test_bad_input_re_renders_the_form_with_what_was_typed(client_as, people):
    before = Topic.objects.count()
    response = client_as("member").post(
        "/forums/traitements/nouveau/", {"title": "", "body": "Mon texte"}
    )
    assert response.status_code == 200
    assert b"Mon texte" in response.content
    assert b'aria-invalid="true"' in response.content
    assert Topic.objects.count() == before


def test_blocked_words_refuse_the_post_and_save_nothing(client_as, people, topic):
    WatchedWord.objects.create(phrase="arnaque", action=WatchedWord.Action.BLOCK)
    before = Post.objects.count()
    response = client_as("patient2").post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": "Cette arnaque miracle"}
    )
    assert response.status_code == 200
    assert b'class="form-errors"' in response.content
    assert b"Cette arnaque miracle" in response.content
    assert Post.objects.count() == before


def test_identifying_data_asks_a_confirmation_and_keeps_the_text(client_as, people, topic):
    client = client_as("patient2")
    body = "Appelez-moi au 06 12 34 56 78"
    response = client.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": body})
    assert response.status_code == 200
    assert body.encode() in response.content
    assert b'name="confirm_identifying"' in response.content
    assert not Post.objects.filter(body=body).exists()
    # Sent again with the box ticked: published.
    response = client.post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": body, "confirm_identifying": "on"}
    )
    assert response.status_code == 302
    assert Post.objects.filter(body=body, status=Post.Status.PUBLISHED).exists()


def test_identifying_data_error_has_its_code(people, topic):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        forums.post_create(author=people["patient2"], topic=topic, body="moi@example.org")
    assert raised.value.code == "identifying"


def test_crisis_shows_the_help_lines_once(client_as, people, topic):
    client = client_as("patient2")
    response = client.post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": "Je veux mourir, je n'en peux plus."}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert b'role="alert" id="crisis-resources"' in page.content
    assert b'href="tel:3114"' in page.content
    again = client.get(response.headers["Location"])
    assert b'id="crisis-resources"' not in again.content


def test_an_edit_that_signals_a_crisis_opens_an_urgent_case_and_shows_the_help_lines(
    client_as, people, topic
):
    from tenant_apps.moderation.models import Case

    post = forums.post_create(author=people["patient2"], topic=topic, body="Une journée grise.")
    client = client_as("patient2")
    response = client.post(
        f"/forums/message/{post.pk}/modifier/",
        {"body": "Une journée grise. J'ai envie d'en finir.", "reason": ""},
    )
    assert response.status_code == 302
    assert Case.objects.filter(post=post, kind=Case.Kind.CRISIS, status=Case.Status.OPEN).exists()
    page = client.get(response.headers["Location"])
    assert b'role="alert" id="crisis-resources"' in page.content
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED  # an edit is flagged, never held back


def test_held_posts_wait_and_are_seen_by_their_author_and_moderators(client_as, people):
    ModerationSettings.objects.update(premoderated_posts=2)
    client = client_as("patient2")  # Paul has published nothing yet
    response = client.post(
        "/forums/traitements/nouveau/", {"title": "Premier sujet", "body": "Bonjour"}
    )
    topic = Topic.objects.get(title="Premier sujet")
    assert topic.status == Topic.Status.HELD
    assert topic.posts.get().status == Post.Status.HELD
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b'class="badge held"' in page.content
    assert client_as("member").get(f"/forums/sujet/{topic.pk}/").status_code == 404
    assert client_as("moderator").get(f"/forums/sujet/{topic.pk}/").status_code == 200
    listing = client_as("member").get("/forums/traitements/")
    assert topic.pk not in ids_in(listing.content, "topic")


def test_a_held_reply_changes_no_counter_until_published(people, topic):
    ModerationSettings.objects.update(premoderated_posts=2)
    before = Topic.objects.get(pk=topic.pk)
    held = forums.post_create(author=people["patient2"], topic=topic, body="En attente")
    assert held.status == Post.Status.HELD
    after = Topic.objects.get(pk=topic.pk)
    assert (after.reply_count, after.last_post_at) == (before.reply_count, before.last_post_at)
    # The followers hear of it only once a moderator publishes it.
    jobs = JobQueue()
    with committed():
        forums.post_publish(post=held, moderator=people["moderator"])
    jobs.run()
    assert Topic.objects.get(pk=topic.pk).reply_count == 1
    assert Notification.objects.filter(
        kind=Notification.Kind.REPLY, recipient=people["member"]
    ).exists()


def test_a_hidden_post_shows_its_reason_to_its_author_only(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Texte masqué")
    forums.post_hide(post=reply, moderator=people["moderator"], reason="Hors charte")
    assert Topic.objects.get(pk=topic.pk).reply_count == 0
    author = client_as("patient2").get(f"/forums/sujet/{topic.pk}/")
    assert b"Hors charte" in author.content
    assert b"Texte masqu" not in author.content
    other = client_as("member").get(f"/forums/sujet/{topic.pk}/")
    assert reply.pk not in ids_in(other.content, "message")
    moderator = client_as("moderator").get(f"/forums/sujet/{topic.pk}/")
    assert reply.pk in ids_in(moderator.content, "message")


def test_a_locked_topic_takes_replies_from_moderators_only(client_as, people, topic):
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    member = client_as("patient2")
    page = member.get(f"/forums/sujet/{topic.pk}/")
    assert b'id="reply-form"' not in page.content
    before = Post.objects.count()
    assert member.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": "Non"}).status_code == 404
    assert Post.objects.count() == before
    moderator = client_as("moderator")
    assert b'id="reply-form"' in moderator.get(f"/forums/sujet/{topic.pk}/").content
    response = moderator.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": "Je verrouille."})
    assert response.status_code == 302
    assert Post.objects.count() == before + 1


# --- Reading ---------------------------------------------------------------------------------


def test_topics_paginate_by_keyset_pinned_first(client_as, people, patients_category):
    author = people["moderator"]
    made = [
        forums.topic_create(author=author, category=patients_category, title=f"T{i}", body="x")
        for i in range(30)
    ]
    Topic.objects.filter(pk=made[0].pk).update(pinned=True)
    client = client_as("member")
    first = client.get("/forums/traitements/")
    seen = ids_in(first.content, "topic")
    assert seen[0] == made[0].pk  # the oldest, pinned, heads the list
    assert len(seen) == 1 + selectors.TOPICS_PER_PAGE
    cursor = re.search(rb'id="next-page" href="\?apres=([^"]+)"', first.content).group(1)
    second = client.get(f"/forums/traitements/?apres={cursor.decode()}")
    rest = ids_in(second.content, "topic")
    assert b'id="next-page"' not in second.content
    assert sorted(seen + rest) == sorted(t.pk for t in made)
    # Newest first after the pinned one.
    assert seen[1:] + rest == [t.pk for t in reversed(made[1:])]


def test_a_broken_cursor_is_a_missing_page(client_as, topic):
    client = client_as("member")
    assert client.get("/forums/traitements/").status_code == 200
    assert client.get("/forums/traitements/?apres=nope").status_code == 404
    assert client.get(f"/forums/sujet/{topic.pk}/").status_code == 200
    assert client.get(f"/forums/sujet/{topic.pk}/?apres=-3").status_code == 404


def test_posts_paginate_by_keyset_and_mark_read(client_as, people, topic):
    replies = [
        forums.post_create(author=people["patient2"], topic=topic, body=f"R{i}") for i in range(60)
    ]
    client = client_as("member")
    first = client.get(f"/forums/sujet/{topic.pk}/")
    shown = ids_in(first.content, "message")
    assert len(shown) == selectors.POSTS_PER_PAGE
    assert shown == sorted(shown)
    mark = TopicRead.objects.get(member=people["member"], topic=topic)
    assert mark.last_post_id == shown[-1]
    page = first
    while next_link := re.search(rb'id="next-page" href="\?apres=(\d+)"', page.content):
        page = client.get(f"/forums/sujet/{topic.pk}/?apres={next_link.group(1).decode()}")
        # Every later page opens with the question, above its own messages.
        question, *rest = ids_in(page.content, "message")
        assert question == topic.opening_post.pk
        assert b'id="question-title"' in page.content
        shown += rest
    assert shown == [topic.opening_post.pk] + [r.pk for r in replies]
    mark.refresh_from_db()
    assert mark.last_post_id == replies[-1].pk
    # Reading the first page again never moves the mark back, and writes nothing.
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/forums/sujet/{topic.pk}/")
    assert not [q["sql"] for q in queries if not q["sql"].lstrip().startswith(("SELECT", "SET"))]
    mark.refresh_from_db()
    assert mark.last_post_id == replies[-1].pk


def test_the_category_marks_topics_with_unread_posts(client_as, people, topic):
    client = client_as("patient2")
    assert b'class="badge unread-marker"' in client.get("/forums/traitements/").content
    client.get(f"/forums/sujet/{topic.pk}/")
    assert b'class="badge unread-marker"' not in client.get("/forums/traitements/").content
    forums.post_create(author=people["member"], topic=topic, body="Du nouveau")
    assert b'class="badge unread-marker"' in client.get("/forums/traitements/").content


def test_quote_prefills_the_reply(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Ligne un\nLigne deux")
    page = client_as("member").get(f"/forums/sujet/{topic.pk}/?citer={reply.pk}")
    header = gettext("**@%(pseudonym)s** wrote:") % {"pseudonym": "Paul"}
    expected = f"&gt; {header}\n&gt; Ligne un\n&gt; Ligne deux"
    assert expected.replace("'", "&#x27;").encode() in page.content
    assert forums.quote_text(reply) == f"> {header}\n> Ligne un\n> Ligne deux\n\n"


def test_the_topic_index_shows_counts(client_as, people, topic):
    page = client_as("member").get("/forums/")
    row = re.search(rb'id="category-traitements".*?</tr>', page.content, re.S).group(0)
    assert b'<td class="topic-count">1</td>' in row


# --- Mentions, follows, reactions --------------------------------------------------------------


def test_mentions_link_and_notify_those_who_can_read(people, topic):
    jobs = JobQueue()
    with committed():
        post = forums.post_create(
            author=people["patient2"],
            topic=topic,
            body="Merci @Bob et @Carla, écrivez à a@Bob.fr",
            confirmed_identifying=True,
        )
    jobs.run()
    assert '<a href="/membres/Bob/"' in post.body_html
    assert "/membres/Carla/" not in post.body_html  # a caregiver cannot read this space
    mention = Notification.objects.get(kind=Notification.Kind.MENTION)
    assert mention.recipient == people["member"]
    assert mention.actor == people["patient2"]
    assert mention.subject == topic.title
    assert mention.url == forums.post_url(post)
    # Bob follows the topic too, but one notification per post is enough.
    assert not Notification.objects.filter(
        kind=Notification.Kind.REPLY, recipient=people["member"]
    ).exists()


def test_followers_are_notified_of_replies_but_not_of_their_own(client_as, people, topic):
    jobs = JobQueue()

    def reply(author, body):
        with committed():
            forums.post_create(author=author, topic=topic, body=body)
        jobs.run()

    reply(people["patient2"], "Réponse de Paul")
    notice = Notification.objects.get(kind=Notification.Kind.REPLY)
    assert notice.recipient == people["member"]  # the author of the topic
    # Paul replied: he now follows; Bob's reply notifies Paul, not Bob.
    reply(people["member"], "Merci Paul")
    assert set(
        Notification.objects.filter(kind=Notification.Kind.REPLY).values_list(
            "recipient_id", flat=True
        )
    ) == {people["member"].pk, people["patient2"].pk}
    # Unfollowing through the page stops it.
    client = client_as("patient2")
    assert client.post(f"/forums/sujet/{topic.pk}/suivre/", {"follow": "0"}).status_code == 302
    reply(people["member"], "Encore")
    assert Notification.objects.filter(recipient=people["patient2"]).count() == 1
    client.post(f"/forums/sujet/{topic.pk}/suivre/", {"follow": "1"})
    assert Subscription.objects.filter(topic=topic, member=people["patient2"]).exists()


def test_reactions_toggle_with_accessible_state(client_as, people, topic):
    post = topic.opening_post
    client = client_as("patient2")
    url = f"/forums/message/{post.pk}/reagir/"
    assert client.post(url, {"kind": "courage"}).status_code == 302
    assert Reaction.objects.filter(post=post, member=people["patient2"], kind="courage").exists()
    page = client.get(f"/forums/sujet/{topic.pk}/")
    button = re.search(rb'<button[^>]*data-kind="courage"[^>]*>.*?</button>', page.content, re.S)
    assert b'aria-pressed="true"' in button.group(0)
    assert b'<span class="count" aria-hidden="true">1</span>' in button.group(0)
    spoken = ngettext("%(count)s reaction", "%(count)s reactions", 1) % {"count": 1}
    assert spoken.encode() in button.group(0)
    other = client_as("member").get(f"/forums/sujet/{topic.pk}/")
    button = re.search(rb'<button[^>]*data-kind="courage"[^>]*>', other.content)
    assert b'aria-pressed="false"' in button.group(0)
    client.post(url, {"kind": "courage"})
    assert not Reaction.objects.exists()


def test_an_unknown_reaction_changes_nothing(client_as, people, topic):
    url = f"/forums/message/{topic.opening_post.pk}/reagir/"
    assert client_as("patient2").post(url, {"kind": "angry"}).status_code == 302
    assert not Reaction.objects.exists()


# --- Edits and warnings ------------------------------------------------------------------------


def test_edits_keep_a_history(client_as, people, topic):
    post = topic.opening_post
    client = client_as("member")
    response = client.post(
        f"/forums/message/{post.pk}/modifier/", {"body": "Nouveau **texte**", "reason": "coquille"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.edited is not None
    assert post.body_html == "<p>Nouveau <strong>texte</strong></p>\n"
    revision = PostRevision.objects.get(post=post)
    assert revision.body.startswith("Je commence")
    assert (revision.edited_by, revision.reason) == (people["member"], "coquille")
    page = client.get(f"/forums/sujet/{topic.pk}/")
    assert f'href="/forums/message/{post.pk}/historique/"'.encode() in page.content
    history = client.get(f"/forums/message/{post.pk}/historique/")
    assert b"coquille" in history.content and b"Je commence" in history.content
    assert client_as("moderator").get(f"/forums/message/{post.pk}/historique/").status_code == 200
    assert Post.objects.filter(pk=post.pk, search_vector__isnull=False).exists()


def test_a_moderator_edit_records_the_reason(people, topic):
    post = forums.post_edit(
        post=topic.opening_post, editor=people["moderator"], body="Retiré", reason="Données"
    )
    revision = post.revisions.get()
    assert (revision.edited_by, revision.reason) == (people["moderator"], "Données")


def test_warnings_fold_posts_for_readers_who_asked(client_as, people, topic):
    death = ContentWarning.objects.get(name="Décès")
    forums.post_create(
        author=people["patient2"], topic=topic, body="Mon père est parti.", warnings=[death]
    )
    reader = client_as("member")
    # (The site's menu is a <details> too: only the messages' folds count here.)
    fold = b'<details class="content-warning">'
    assert fold not in reader.get(f"/forums/sujet/{topic.pk}/").content
    response = reader.post("/forums/preferences/", {"collapsed": [death.pk]})
    assert response.status_code == 302
    page = reader.get(f"/forums/sujet/{topic.pk}/").content.decode()
    folded = re.search(r'<details class="content-warning">.*?</details>', page, re.S).group(0)
    assert "Mon père est parti." in folded
    assert "Décès" in folded
    assert fold not in client_as("moderator").get(f"/forums/sujet/{topic.pk}/").content


# --- Query counts ----------------------------------------------------------------------------


def _topic_queries(client, topic) -> int:
    client.get(f"/forums/sujet/{topic.pk}/")  # warm: sessions, caches, read mark row
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/forums/sujet/{topic.pk}/")
    assert response.status_code == 200
    return len(queries)


def _fill(topic, authors, count):
    warning = ContentWarning.objects.first()
    for i in range(count):
        post = forums.post_create(
            author=authors[i % len(authors)], topic=topic, body=f"Réponse {i} @Bob",
            warnings=[warning] if i % 3 == 0 else [],
        )  # fmt: skip
        Reaction.objects.create(post=post, member=authors[(i + 1) % len(authors)], kind="thanks")
        if i % 2:
            forums.post_edit(post=post, editor=post.author, body=f"Réponse {i} modifiée")


def test_a_topic_page_runs_the_same_queries_with_200_or_5_replies(
    client_as, people, patients_category, django_assert_max_num_queries
):
    authors = [people["member"], people["patient2"], people["moderator"], people["admin"]]
    small = forums.topic_create(author=people["member"], category=patients_category,
                                title="Petit", body="x")  # fmt: skip
    large = forums.topic_create(author=people["member"], category=patients_category,
                                title="Grand", body="x")  # fmt: skip
    _fill(small, authors, 5)
    _fill(large, authors, 200)
    client = client_as("patient2")
    forums.reading_preference_set(member=people["patient2"], collapsed=ContentWarning.objects.all())
    # The middleware's 4 (schema, session, user, member), the topic with the reader's follow
    # and read mark, its posts, the unread count (the reply form's warnings are cached).
    assert _topic_queries(client, small) == _topic_queries(client, large) == 7
    # A later page: the read mark moves, and the question shown above the page is read.
    with django_assert_max_num_queries(9):
        client.get(f"/forums/sujet/{large.pk}/?apres={large.opening_post.pk + 100}")


def test_list_pages_have_bounded_queries(
    client_as, people, patients_category, django_assert_max_num_queries
):
    for i in range(30):
        forums.topic_create(author=people["member"], category=patients_category,
                            title=f"Sujet {i}", body="x")  # fmt: skip
    client = client_as("member")
    client.get("/forums/")
    for url in ("/forums/", "/forums/traitements/", "/forums/groupes/", "/forums/preferences/"):
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url


def test_last_post_at_is_now_for_a_new_topic(people, patients_category):
    start = timezone.now()
    topic = forums.topic_create(author=people["member"], category=patients_category,
                                title="Heure", body="x")  # fmt: skip
    assert topic.last_post_at >= start


def test_mentions_in_code_are_left_alone(people, topic):
    jobs = JobQueue()
    with committed():
        post = forums.post_create(
            author=people["patient2"], topic=topic, body="Tapez `@Bob` puis\n\n```\n@Bob\n```\n"
        )
    jobs.run()
    assert "/membres/Bob/" not in post.body_html
    assert not Notification.objects.filter(kind=Notification.Kind.MENTION).exists()


def test_screened_posts_reach_the_moderation_queue(people, topic, _screened_calls):
    from tenant_apps.moderation.models import Case

    post = forums.post_create(author=people["patient2"], topic=topic, body="Je veux mourir.")
    assert _screened_calls[-1][0] == post.pk and _screened_calls[-1][1].crisis
    assert Case.objects.filter(post=post, kind=Case.Kind.CRISIS).exists()


def test_moderators_get_their_tools_and_members_a_report_link(client_as, people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Réponse")
    moderator = client_as("moderator").get(f"/forums/sujet/{topic.pk}/").content
    assert f'action="/moderation/sujets/{topic.pk}/lock/"'.encode() in moderator
    assert f'action="/moderation/messages/{reply.pk}/hide/"'.encode() in moderator
    member = client_as("member").get(f"/forums/sujet/{topic.pk}/").content
    assert b"/moderation/sujets/" not in member and b"/moderation/messages/" not in member
    assert f'href="/moderation/signaler/{reply.pk}/'.encode() in member
    # Nobody reports their own message.
    assert f'href="/moderation/signaler/{topic.opening_post.pk}/'.encode() not in member


def test_the_reply_form_lists_each_networks_own_warnings_from_the_cache(
    client_as, people, topic, other_tenant, django_assert_num_queries
):
    from django_tenants.utils import tenant_context

    from tenant_apps.forums.forms import ReplyForm

    def listed() -> list[str]:
        return [label for _value, label in ReplyForm().fields["warnings"].choices]

    assert listed() == [w.name for w in ContentWarning.objects.all()]
    with django_assert_num_queries(0):
        listed()
    ContentWarning.objects.create(name="Amputation", position=9)  # clears the cache
    assert listed()[-1] == "Amputation"
    with tenant_context(other_tenant):
        assert "Amputation" not in listed()
        ContentWarning.objects.filter(name="Récidive").delete()
        assert "Récidive" not in listed()
    assert "Récidive" in listed() and "Amputation" in listed()
