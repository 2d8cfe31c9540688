"""A member's forum content in their data export, and what erasing them does to it."""

import pytest

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Post, Reaction, Subscription, Topic
from tenant_apps.members import services as members

pytestmark = pytest.mark.django_db


def test_the_export_holds_what_the_member_wrote_and_follows(people, topic):
    reply = forums.post_create(author=people["patient2"], topic=topic, body="Moi aussi, courage.")
    forums.reaction_toggle(member=people["patient2"], post=topic.opening_post, kind="support")
    data = members.member_export(member=people["patient2"])["content"]["forums"]
    assert [p["id"] for p in data["posts"]] == [reply.pk]
    assert data["posts"][0]["body"] == "Moi aussi, courage."
    assert data["reactions"] == [{"post_id": topic.opening_post.pk, "kind": "support"}]
    assert topic.pk in data["followed_topics"]


def test_erasing_keeps_the_writing_anonymous_unless_deletion_is_asked(people, topic):
    kept = forums.post_create(author=people["patient2"], topic=topic, body="Je reste lisible.")
    members.member_erase(member=people["patient2"])
    kept.refresh_from_db()
    assert kept.body == "Je reste lisible." and kept.author.user is None
    assert not Subscription.objects.filter(member=people["patient2"]).exists()


def test_erasing_with_deletion_removes_replies_and_blanks_opened_topics(people, topic):
    other = forums.post_create(author=people["patient2"], topic=topic, body="Une réponse.")
    mine = forums.post_create(author=people["member"], topic=topic, body="Ma réponse.")
    forums.reaction_toggle(member=people["member"], post=other, kind="thanks")
    members.member_erase(member=people["member"], delete_content=True)

    assert not Post.objects.filter(pk=mine.pk).exists()
    assert not Reaction.objects.filter(post=other).exists()
    topic = Topic.objects.get(pk=topic.pk)
    opening = Post.objects.get(topic=topic, is_opening=True)
    assert opening.body == "" and opening.status == Post.Status.HIDDEN
    assert "Immunothérapie" not in topic.title
    # The others' replies stay, and the counter says how many.
    assert Post.objects.filter(pk=other.pk).exists()
    assert topic.reply_count == 1
