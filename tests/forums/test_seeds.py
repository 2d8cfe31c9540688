"""Demo content: a network's forums, groups and a week of messages through the real services,
dated over the last days, published, and idempotent."""

import datetime

import pytest
from django.utils import timezone

from tenant_apps.forums.models import Category, Group, Post, Reaction, Subscription, Topic
from tenant_apps.forums.seeds import demo_content
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.notifications.models import Notification

pytestmark = pytest.mark.django_db

CONTENT = {
    "forum_categories": (
        ("patients", "traitements", "Traitements", "Partager son expérience."),
        ("patients", "sport", "Sport", "Reprendre une activité."),
    ),
    "groups": (
        {"name": "Marcheurs", "space": "patients", "proposer": "membre", "members": ("paul",),
         "description": "On marche ensemble."},
    ),
    "topics": (
        {"category": "traitements", "author": "membre", "days_ago": 5, "pinned": True,
         "title": "Ma première cure", "body": "Comment se passe la première cure ?",
         "replies": (("paul", "Bien, courage @{membre} !"), ("membre", "Merci !")),
         "followers": ("paul",), "reactions": ((1, "thanks", ("membre",)),)},
        {"group": "Marcheurs", "author": "paul", "days_ago": 1,
         "title": "Sortie de dimanche", "body": "Qui vient marcher dimanche ?"},
    ),
}  # fmt: skip


def test_demo_content_is_published_dated_and_idempotent(people):
    ModerationSettings.objects.update(premoderated_posts=2)  # as in a fresh network
    accounts = {"modo": people["moderator"], "membre": people["member"], "paul": people["patient2"]}
    demo_content(accounts=accounts, content=CONTENT)

    # The network's own forums; the default ones it does not have went while empty.
    assert set(Category.objects.filter(group=None).values_list("slug", flat=True)) == {
        "traitements", "sport",
    }  # fmt: skip
    assert Group.objects.get().status == Group.Status.APPROVED
    assert Topic.objects.count() == 2
    # The demo members' first posts were held like anyone's, and approved.
    assert not Topic.objects.exclude(status=Topic.Status.VISIBLE).exists()
    assert not Post.objects.exclude(status=Post.Status.PUBLISHED).exists()
    first = Topic.objects.get(title="Ma première cure")
    assert first.pinned and first.reply_count == 2
    posts = list(first.posts.order_by("id"))
    assert '<a href="/membres/Bob/"' in posts[1].body_html
    assert Reaction.objects.get().post == posts[1] and posts[1].thanks_count == 1
    assert Subscription.objects.filter(topic=first, member=people["patient2"]).exists()
    # Dated over the last days, in order, and so are the notifications they sent.
    now = timezone.now()
    dates = [post.created for post in posts]
    assert dates == sorted(dates)
    assert now - datetime.timedelta(days=5, minutes=1) <= dates[0] < dates[-1] < now
    assert first.last_post_at == dates[-1] and first.created == dates[0]
    mention = Notification.objects.get(recipient=people["member"], kind=Notification.Kind.MENTION)
    assert mention.created == dates[1]
    # The group opened before the week of messages; its proposer was told then.
    group = Group.objects.get()
    told = Notification.objects.get(kind=Notification.Kind.GROUP, recipient=people["member"])
    assert told.created == group.decided_at < dates[0]

    counts = (Topic.objects.count(), Post.objects.count(), Group.objects.count(),
              Reaction.objects.count(), Notification.objects.count())  # fmt: skip
    demo_content(accounts=accounts, content=CONTENT)
    assert (Topic.objects.count(), Post.objects.count(), Group.objects.count(),
            Reaction.objects.count(), Notification.objects.count()) == counts  # fmt: skip
