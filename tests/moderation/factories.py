"""Accounts and forum content for moderation tests."""

from django.utils import timezone

from core.markup import render_markdown
from tenant_apps.forums.models import Category, Post, Topic


def make_topic(author, *, title="Fatigue après la chimio", body="Bonjour à tous", category=None,
               status=Post.Status.PUBLISHED):  # fmt: skip
    """A topic and its opening post, written straight to the tables (no screening)."""
    category = category or Category.objects.get(slug="bienvenue")
    topic = Topic.objects.create(
        category=category,
        author=author,
        title=title,
        last_post_at=timezone.now(),
        status=Topic.Status.HELD if status == Post.Status.HELD else Topic.Status.VISIBLE,
    )
    Post.objects.create(
        topic=topic, author=author, is_opening=True, body=body, body_html=render_markdown(body),
        status=status,
    )  # fmt: skip
    return topic


def make_reply(topic, author, body="Courage, on est avec toi.", status=Post.Status.PUBLISHED):
    post = Post.objects.create(
        topic=topic, author=author, body=body, body_html=render_markdown(body), status=status
    )
    if status == Post.Status.PUBLISHED:
        Topic.objects.filter(pk=topic.pk).update(reply_count=topic.reply_count + 1)
        topic.refresh_from_db()
    return post
