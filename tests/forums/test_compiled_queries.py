"""The topic page's queries compiled once per shape (core.compiled): each reader gets what the
ORM itself would give them, whoever compiled the query first; an id that does not reach
the SQL as a parameter is refused when compiling."""

import pytest
from django.utils import timezone

from core.compiled import Compiled
from tenant_apps.forums import access, selectors
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Post, Reaction, Topic

pytestmark = pytest.mark.django_db

READERS = ("member", "patient2", "moderator", "admin")


@pytest.fixture
def mixed_topic(people, topic, settings):
    """A topic with a published reply, a hidden one and a held one, by different authors,
    and a reaction of Bob's."""
    published = forums.post_create(author=people["patient2"], topic=topic, body="Courage.")
    hidden = forums.post_create(author=people["patient2"], topic=topic, body="Texte retiré")
    forums.post_hide(post=hidden, moderator=people["moderator"], reason="Hors charte")
    held = forums.post_create(author=people["member"], topic=topic, body="En attente")
    Post.objects.filter(pk=held.pk).update(status=Post.Status.HELD)
    forums.reaction_toggle(member=people["member"], post=published, kind=Reaction.Kind.THANKS)
    return topic


@pytest.mark.parametrize("first", ["member", "moderator"])
def test_each_reader_gets_what_the_orm_gives_them(people, mixed_topic, first):
    """Compiled first for a member or for a moderator, then run for every reader."""
    selectors._POSTS_QUERY._plans.clear()
    selectors._TOPIC_QUERY._plans.clear()
    order = [first, *(name for name in READERS if name != first)]
    for name in order:
        member = people[name]
        topic = selectors.access_topic(member, mixed_topic.pk)
        assert (topic.pk, topic.title, topic.category.slug) == (
            mixed_topic.pk,
            mixed_topic.title,
            mixed_topic.category.slug,
        )
        shown = selectors.posts_page(member=member, topic=topic).posts
        expected = list(Post.objects.visible_in(member, topic).order_by("pk"))
        assert [p.pk for p in shown] == [p.pk for p in expected], name
        mine = set(Reaction.objects.filter(member=member).values_list("post_id", "kind"))
        for post in shown:
            assert {(post.pk, kind) for kind in post.my_kinds} == {
                pair for pair in mine if pair[0] == post.pk
            }
            assert post.author.user.username == Post.objects.get(pk=post.pk).author.user.username
    # Members and moderators read different posts: one compiled query each.
    assert len(selectors._POSTS_QUERY._plans) == 2


def test_the_readers_differ_as_the_rule_says(people, mixed_topic):
    def ids(name):
        member = people[name]
        return {p.pk for p in selectors.posts_page(member=member, topic=mixed_topic).posts}

    statuses = dict(Post.objects.filter(topic=mixed_topic).values_list("pk", "status"))
    held = next(pk for pk, status in statuses.items() if status == Post.Status.HELD)
    hidden = next(pk for pk, status in statuses.items() if status == Post.Status.HIDDEN)
    assert held in ids("member") and hidden not in ids("member")  # Bob wrote the held one
    assert held not in ids("patient2") and hidden in ids("patient2")  # Paul, the hidden one
    assert {held, hidden} <= ids("moderator")


def test_the_shape_is_all_the_posts_rule_depends_on_besides_the_id(people, mixed_topic):
    """Two readers of the same shape get the same SQL but for their ids."""
    for a, b in (("member", "patient2"), ("moderator", "admin")):
        assert access.post_status_shape(people[a]) == access.post_status_shape(people[b])
        first, second = people[a], people[b]
        text_a, params_a = Post.objects.visible_in(first, mixed_topic).query.sql_with_params()
        text_b, params_b = Post.objects.visible_in(second, mixed_topic).query.sql_with_params()
        assert text_a == text_b
        assert len(params_a) == len(params_b)
        for x, y in zip(params_a, params_b, strict=True):
            assert x == y or (x, y) == (first.pk, second.pk)


def test_an_id_that_is_not_a_parameter_is_refused(tenant):
    sliced = Compiled(lambda shape, *, limit: Topic.objects.all()[:limit], "limit")
    with pytest.raises((ValueError, AssertionError)):
        sliced.fetch(None, limit=3)
    written = Compiled(
        lambda shape, *, member_id: Topic.objects.filter(title=str(member_id)), "member_id"
    )
    with pytest.raises(ValueError, match="member_id"):
        written.fetch(None, member_id=3)


def test_a_query_with_prefetches_is_refused(tenant):
    prefetching = Compiled(
        lambda shape, *, topic_id: Topic.objects.filter(pk=topic_id).prefetch_related("posts"),
        "topic_id",
    )
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.fetch(None, topic_id=1)


def test_a_query_holding_a_time_is_refused(tenant):
    """A time compiled once would stay the first request's time for the process's life."""
    recent = Compiled(
        lambda shape, *, topic_id: Topic.objects.filter(
            pk=topic_id, last_post_at__gte=timezone.now()
        ),
        "topic_id",
    )
    with pytest.raises(ValueError, match="time"):
        recent.fetch(None, topic_id=1)
