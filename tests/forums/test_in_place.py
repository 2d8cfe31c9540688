"""The topic page's actions done in place: with htmx (``HX-Request: true``) a view answers the
fragment it changed; without it, the same form posts and is sent back to the page the reader
was on. Refusals are the same 404 either way (the matrices in tests/test_matrix_forums.py)."""

import re

import pytest

from tenant_apps.forums import selectors
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Post, Reaction, Subscription, TopicRead

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _button(html: bytes, post: Post, kind: str) -> bytes:
    found = re.search(rb'<button[^>]*id="react-%d-%s"[^>]*>' % (post.pk, kind.encode()), html)
    assert found, kind
    return found.group(0)


def _replies(topic, author, count: int) -> list[Post]:
    return [forums.post_create(author=author, topic=topic, body=f"R{i}") for i in range(count)]


# --- Reactions -------------------------------------------------------------------------------


def test_a_reaction_with_htmx_answers_the_messages_controls_pressed(client_as, people, topic):
    post = topic.opening_post
    client = client_as("patient2")
    response = client.post(f"/forums/message/{post.pk}/reagir/", {"press": "thanks"}, **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.lstrip().startswith(b'<footer class="post-footer">')
    pressed = _button(response.content, post, "thanks")
    assert b'aria-pressed="true"' in pressed and b'name="release"' in pressed
    assert b'class="reaction pressed"' in pressed
    assert b'aria-pressed="false"' in _button(response.content, post, "courage")
    # Said to screen readers in the page's live region.
    assert b'hx-swap-oob="innerHTML:#live-status"' in response.content
    assert Reaction.objects.filter(post=post, member=people["patient2"], kind="thanks").count() == 1


def test_a_double_submitted_reaction_is_counted_once(client_as, people, topic):
    post = topic.opening_post
    client = client_as("patient2")
    url = f"/forums/message/{post.pk}/reagir/"
    for _ in range(2):
        assert client.post(url, {"press": "support"}, **HTMX).status_code == 200
    post.refresh_from_db()
    assert getattr(post, Post.count_field("support")) == 1
    assert Reaction.objects.filter(post=post, kind="support").count() == 1
    for _ in range(2):
        response = client.post(url, {"release": "support"}, **HTMX)
    post.refresh_from_db()
    assert getattr(post, Post.count_field("support")) == 0
    assert not Reaction.objects.filter(post=post).exists()
    assert b'aria-pressed="false"' in _button(response.content, post, "support")


def test_a_reaction_without_javascript_returns_to_the_same_page_at_the_message(
    client_as, people, topic
):
    replies = _replies(topic, people["patient2"], 25)
    reply = replies[22]
    page = f"/forums/sujet/{topic.pk}/?apres={replies[10].pk}"
    client = client_as("member")
    response = client.post(
        f"/forums/message/{reply.pk}/reagir/", {"press": "courage", "next": page}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page}#message-{reply.pk}"
    back = client.get(page)
    assert b'aria-pressed="true"' in _button(back.content, reply, "courage")
    # The question is still above that page.
    assert b'id="question-title"' in back.content
    assert f'id="message-{topic.opening_post.pk}"'.encode() in back.content


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/forums/sujet/1/", "/forums/", "//evil.example/x", "/forums/sujet/9999/"],
)
def test_a_reaction_never_sends_back_elsewhere_than_its_topic(client_as, people, topic, next_url):
    post = topic.opening_post
    response = client_as("member").post(
        f"/forums/message/{post.pk}/reagir/", {"press": "same", "next": next_url}
    )
    assert response.headers["Location"] == f"/forums/sujet/{topic.pk}/"


def test_a_reaction_refused_says_why_in_place(client_as, people, topic):
    post = topic.opening_post
    response = client_as("member").post(
        f"/forums/message/{post.pk}/reagir/", {"press": "angry"}, **HTMX
    )
    assert response.status_code == 200
    assert b"footer" in response.content
    assert not Reaction.objects.exists()


def test_the_pressed_state_is_the_readers_own_in_the_cache(client_as, people, topic):
    post = topic.opening_post
    forums.reaction_set(member=people["patient2"], post=post, kind="thanks", pressed=True)
    pressed = client_as("patient2").get(f"/forums/sujet/{topic.pk}/").content
    other = client_as("member").get(f"/forums/sujet/{topic.pk}/").content
    assert b'aria-pressed="true"' in _button(pressed, post, "thanks")
    assert b'aria-pressed="false"' in _button(other, post, "thanks")
    assert b'class="reaction pressed"' not in other


# --- Following and reading ---------------------------------------------------------------------


def test_following_with_htmx_answers_the_button(client_as, people, topic):
    client = client_as("patient2")
    url = f"/forums/sujet/{topic.pk}/suivre/"
    for _ in range(2):  # a double submit follows once
        response = client.post(url, {"follow": "1"}, **HTMX)
        assert response.status_code == 200
    assert Subscription.objects.filter(topic=topic, member=people["patient2"]).count() == 1
    assert b'id="follow-form"' in response.content and b"<html" not in response.content
    assert b'aria-pressed="true"' in response.content
    assert b'name="follow" value="0"' in response.content
    response = client.post(url, {"follow": "0"}, **HTMX)
    assert b'aria-pressed="false"' in response.content
    assert not Subscription.objects.filter(topic=topic, member=people["patient2"]).exists()


def test_following_without_javascript_redirects_to_the_topic(client_as, people, topic):
    response = client_as("patient2").post(f"/forums/sujet/{topic.pk}/suivre/", {"follow": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/forums/sujet/{topic.pk}/"
    assert Subscription.objects.filter(topic=topic, member=people["patient2"]).exists()


def test_a_topic_is_marked_read_from_the_list(client_as, people, topic):
    last = _replies(topic, people["member"], 2)[-1]
    client = client_as("patient2")
    listing = client.get("/forums/traitements/").content
    assert f'action="/forums/sujet/{topic.pk}/lu/"'.encode() in listing
    response = client.post(f"/forums/sujet/{topic.pk}/lu/", {"post_id": last.pk}, **HTMX)
    assert response.status_code == 200
    assert response.content.lstrip().startswith(f'<li id="topic-{topic.pk}"'.encode())
    assert b"unread-marker" not in response.content
    assert TopicRead.objects.get(member=people["patient2"], topic=topic).last_post_id == last.pk
    assert b'class="badge unread-marker"' not in client.get("/forums/traitements/").content


def test_marking_read_without_javascript_returns_to_the_list(client_as, people, topic):
    client = client_as("patient2")
    response = client.post(
        f"/forums/sujet/{topic.pk}/lu/",
        {"post_id": topic.opening_post.pk, "next": "/forums/traitements/"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/forums/traitements/#topic-{topic.pk}"
    again = client.post(f"/forums/sujet/{topic.pk}/lu/", {"post_id": topic.opening_post.pk})
    assert again.headers["Location"] == "/forums/traitements/"
    assert TopicRead.objects.filter(member=people["patient2"], topic=topic).count() == 1


def test_marking_read_needs_a_message_of_that_topic(client_as, people, topic, patients_category):
    other = forums.topic_create(
        author=people["member"], category=patients_category, title="Autre", body="x"
    )
    client = client_as("patient2")
    url = f"/forums/sujet/{topic.pk}/lu/"
    assert client.post(url, {"post_id": other.opening_post.pk}).status_code == 404
    assert client.post(url, {"post_id": "abc"}).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not TopicRead.objects.filter(member=people["patient2"], topic=topic).exists()


# --- Replies -----------------------------------------------------------------------------------


def test_a_reply_lands_on_the_page_that_ends_with_it_under_the_question(client_as, people, topic):
    _replies(topic, people["member"], selectors.POSTS_PER_PAGE + 5)
    client = client_as("patient2")
    response = client.post(f"/forums/sujet/{topic.pk}/repondre/", {"body": "Ma réponse"})
    assert response.status_code == 302
    mine = Post.objects.get(body="Ma réponse")
    location = response.headers["Location"]
    assert location.endswith(f"#message-{mine.pk}") and "?apres=" in location
    page = client.get(location.partition("#")[0]).content
    shown = [int(n) for n in re.findall(rb'<article id="message-(\d+)"', page)]
    # The question first, then a full page of messages ending with the new one.
    assert shown[0] == topic.opening_post.pk
    assert shown[-1] == mine.pk
    assert len(shown) == 1 + selectors.POSTS_PER_PAGE
    assert b'id="question-title"' in page


def test_a_reply_on_a_short_topic_lands_on_its_first_page(client_as, people, topic):
    response = client_as("patient2").post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": "Première réponse"}
    )
    mine = Post.objects.get(body="Première réponse")
    assert response.headers["Location"] == f"/forums/sujet/{topic.pk}/#message-{mine.pk}"


def test_a_reply_with_htmx_is_appended_and_the_form_emptied(client_as, people, topic):
    client = client_as("patient2")
    response = client.post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": "Réponse **en place**"}, **HTMX
    )
    assert response.status_code == 200
    mine = Post.objects.get(body="Réponse **en place**")
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post"')
    form = html[: html.index("</form>")]
    assert "en place" not in form  # emptied
    appended = re.search(r'<div hx-swap-oob="beforeend:#posts">(.*?)</div>\s*<div', html, re.S)
    assert f'<article id="message-{mine.pk}"' in appended.group(1)
    assert "<strong>en place</strong>" in appended.group(1)
    assert "data-autofocus" in appended.group(1)
    assert 'hx-swap-oob="innerHTML:#live-status"' in html
    assert TopicRead.objects.get(member=people["patient2"], topic=topic).last_post_id == mine.pk
    # The message is said here, not again on the next page.
    assert b'class="messages"' not in client.get(f"/forums/sujet/{topic.pk}/").content


def test_a_reply_with_htmx_that_fails_answers_the_form_with_its_errors(client_as, topic):
    response = client_as("patient2").post(
        f"/forums/sujet/{topic.pk}/repondre/", {"body": ""}, **HTMX
    )
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<form method="post"')
    assert b'class="errors"' in response.content
    assert Post.objects.count() == 1


def test_a_reply_with_htmx_that_signals_a_crisis_loads_the_page_with_the_help_lines(
    client_as, people, topic
):
    client = client_as("patient2")
    response = client.post(
        f"/forums/sujet/{topic.pk}/repondre/",
        {"body": "Je veux mourir, je n'en peux plus."},
        **HTMX,
    )
    assert response.status_code == 200
    location = response.headers["HX-Redirect"]
    mine = Post.objects.get(body__startswith="Je veux mourir")
    assert location.endswith(f"#message-{mine.pk}")
    assert b'id="crisis-resources"' in client.get(location.partition("#")[0]).content


def test_the_reply_form_is_in_place_on_the_last_page_only(client_as, people, topic):
    replies = _replies(topic, people["member"], selectors.POSTS_PER_PAGE + 2)
    client = client_as("patient2")
    first = client.get(f"/forums/sujet/{topic.pk}/").content.decode()
    form = re.search(r'<form [^>]*id="reply-form"[^>]*>', first).group(0)
    assert "hx-post" not in form  # a reply from here loads the page that ends with it
    last = client.get(f"/forums/sujet/{topic.pk}/?apres={replies[5].pk}").content.decode()
    assert "hx-post" in re.search(r'<form [^>]*id="reply-form"[^>]*>', last).group(0)
    # Quoting from a later page stays on it.
    quote = f'href="/forums/sujet/{topic.pk}/?apres={replies[5].pk}&amp;citer={replies[8].pk}'
    assert quote in last


def test_the_first_page_shows_no_separate_question(client_as, people, topic):
    _replies(topic, people["member"], 3)
    page = client_as("patient2").get(f"/forums/sujet/{topic.pk}/").content
    assert b'id="question-title"' not in page
    assert page.count(f'id="message-{topic.opening_post.pk}"'.encode()) == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/forums/message/{post}/reagir/", {"press": "thanks"}),
        ("/forums/sujet/{topic}/suivre/", {"follow": "1"}),
        ("/forums/sujet/{topic}/lu/", {"post_id": "{post}"}),
        ("/forums/sujet/{topic}/repondre/", {"body": "Intrusion"}),
    ],
)
def test_htmx_requests_out_of_reach_are_refused_alike(client_as, people, topic, path, data):
    """A caregiver does not read the Patients space: with htmx too, the same 404 and no
    change."""
    ids = {"post": topic.opening_post.pk, "topic": topic.pk}
    filled = {key: str(value).format(**ids) for key, value in data.items()}
    response = client_as("caregiver").post(path.format(**ids), filled, **HTMX)
    assert response.status_code == 404
    assert not Reaction.objects.exists()
    assert not Subscription.objects.filter(member=people["caregiver"]).exists()
    assert not TopicRead.objects.filter(member=people["caregiver"]).exists()
    assert Post.objects.count() == 1
