"""Forum content written straight to the tables, as a test's given: no screening, no
notifications, no permission checks (the forums' services are tested through the services).
Search vectors, reply counts and the topic's document are kept as the forums keep them."""

import factory
from django.db.models import F
from django.utils import timezone

from core.markup import render_markdown
from core.search import document
from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.forums.services import topic_reindex
from tests.members.factories import MemberFactory


def category_of(space_slug: str) -> Category:
    """The first category of a space that belongs to no group (the seeds make one each)."""
    return Category.objects.filter(space__slug=space_slug, group=None).order_by("pk").first()


class PostFactory(factory.django.DjangoModelFactory):
    """A reply; a published one counts in its topic and in the topic's search document."""

    class Meta:
        model = Post

    topic = factory.SubFactory("tests.forums.factories.TopicFactory")
    author = factory.SubFactory(MemberFactory)
    body = "Courage, on est avec toi."
    body_html = factory.LazyAttribute(lambda post: str(render_markdown(post.body)))
    status = Post.Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, **fields):
        post = super()._create(model_class, **fields)
        Post.objects.filter(pk=post.pk).update(search_vector=document(B=post.body))
        if post.status == Post.Status.PUBLISHED and not post.is_opening:
            Topic.objects.filter(pk=post.topic_id).update(
                reply_count=F("reply_count") + 1, last_post_at=post.created
            )
            topic_reindex(topic=post.topic)
        post.topic.refresh_from_db()
        return post


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic with its opening post (``body``) and published ``replies`` (their bodies).

    A held topic's opening post is held too, as the forums hold them.
    """

    class Meta:
        model = Topic

    category = factory.LazyFunction(lambda: Category.objects.get(slug="bienvenue"))
    author = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Fatigue après la chimio {n}")
    last_post_at = factory.LazyFunction(timezone.now)
    status = Topic.Status.VISIBLE
    body = "Bonjour à tous"
    opening_status = factory.LazyAttribute(
        lambda topic: (
            Post.Status.HELD if topic.status == Topic.Status.HELD else Post.Status.PUBLISHED
        )
    )
    replies: tuple[str, ...] = ()
    reply_status = Post.Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, *, body, opening_status, replies, reply_status, **fields):
        topic = super()._create(model_class, **fields)
        PostFactory(
            topic=topic, author=topic.author, body=body, status=opening_status, is_opening=True
        )
        for text in replies:
            PostFactory(topic=topic, author=topic.author, body=text, status=reply_status)
        topic_reindex(topic=topic)
        topic.refresh_from_db()
        return topic
