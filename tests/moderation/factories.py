"""Forum content for moderation tests, through the forums' factories."""

from tenant_apps.forums.models import Post, Topic
from tests.forums.factories import PostFactory, TopicFactory


def make_topic(author, *, title="Fatigue après la chimio", body="Bonjour à tous", category=None,
               status=Post.Status.PUBLISHED):  # fmt: skip
    """A topic and its opening post (``status`` is the post's), with no screening."""
    fields = {"category": category} if category is not None else {}
    return TopicFactory(
        author=author,
        title=title,
        body=body,
        status=Topic.Status.HELD if status == Post.Status.HELD else Topic.Status.VISIBLE,
        opening_status=status,
        **fields,
    )


def make_reply(topic, author, body="Courage, on est avec toi.", status=Post.Status.PUBLISHED):
    return PostFactory(topic=topic, author=author, body=body, status=status)
