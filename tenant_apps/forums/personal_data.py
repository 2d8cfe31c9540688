"""A member's forum data, for their export and their erasure (see config/hooks.py)."""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from tenant_apps.forums.models import (
    GroupMembership,
    Post,
    Reaction,
    ReadingPreference,
    Subscription,
    Topic,
    TopicRead,
)
from tenant_apps.forums.services import post_reactions_recount, topic_reindex
from tenant_apps.members.models import Member

DELETED_TITLE = gettext_lazy("Topic deleted at its author's request")


def export(*, member: Member) -> dict:
    """What the member wrote, how they reacted, what they follow and joined."""
    posts = list(Post.objects.filter(author=member).select_related("topic").order_by("id"))
    reading = ReadingPreference.objects.filter(member=member).first()
    # Another's topic shows its title only while the member may still open it
    # (forums.access): a group left since, or a topic hidden, keeps its title to itself.
    readable = set(
        Topic.objects.visible_to(member)
        .filter(pk__in={post.topic_id for post in posts})
        .values_list("pk", flat=True)
    )
    return {
        "topics": [
            {"id": t.pk, "title": t.title, "created": t.created.isoformat()}
            for t in Topic.objects.filter(author=member).order_by("id")
        ],
        "posts": [
            {
                "id": p.pk,
                "topic": p.topic_id,
                "topic_title": p.topic.title
                if p.topic.author_id == member.pk or p.topic_id in readable
                else None,
                "body": p.body,
                "created": p.created.isoformat(),
                "status": p.status,
            }
            for p in posts
        ],
        "reactions": list(
            Reaction.objects.filter(member=member).values("post_id", "kind").order_by("id")
        ),
        "followed_topics": list(
            Subscription.objects.filter(member=member).values_list("topic_id", flat=True)
        ),
        "groups": [
            {"group": m.group.name, "status": m.status, "group_moderator": m.is_moderator}
            for m in GroupMembership.objects.filter(member=member).select_related("group")
        ],
        "collapsed_warnings": [w.name for w in reading.collapsed_warnings.all()] if reading else [],
    }


def erase(*, member: Member, delete_content: bool) -> None:
    """Forget the member's reading traces; with ``delete_content``, what they wrote too.

    Their replies are deleted. A topic they opened keeps the others' replies: its title and
    opening message are blanked instead of deleting everyone's conversation. The search
    documents of the topics touched are rebuilt: the erased text is no longer found, the
    others' replies still are.
    """
    reacted = list(Reaction.objects.filter(member=member).values_list("post_id", flat=True))
    for model in (Reaction, Subscription, TopicRead, ReadingPreference, GroupMembership):
        model.objects.filter(member=member).delete()
    post_reactions_recount(post_ids=set(reacted))
    if not delete_content:
        return
    touched = list(
        Post.objects.filter(author=member, is_opening=False)
        .values_list("topic_id", flat=True)
        .distinct()
    )
    opened = list(Topic.objects.filter(author=member).values_list("pk", flat=True))
    Post.objects.filter(author=member, is_opening=False).delete()
    Post.objects.filter(author=member, is_opening=True).update(
        body="", body_html="", search_vector=None, status=Post.Status.HIDDEN,
        version=F("version") + 1,
    )  # fmt: skip
    Topic.objects.filter(pk__in=opened).update(title=str(DELETED_TITLE), version=F("version") + 1)
    published = (
        Post.objects.filter(topic=OuterRef("pk"), is_opening=False, status=Post.Status.PUBLISHED)
        .values("topic")
        .annotate(n=Count("id"))
        .values("n")
    )
    Topic.objects.filter(pk__in=touched).update(reply_count=Coalesce(Subquery(published), 0))
    for topic in Topic.objects.filter(pk__in={*touched, *opened}).only("pk"):
        topic_reindex(topic=topic)
