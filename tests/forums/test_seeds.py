"""Demo content: realistic topics through the real services, published, and idempotent."""

import pytest

from tenant_apps.forums.models import Group, Post, Topic
from tenant_apps.forums.seeds import DEMO_TOPICS, demo_content
from tenant_apps.moderation.models import ModerationSettings

pytestmark = pytest.mark.django_db


def test_demo_content_is_published_and_idempotent(people):
    ModerationSettings.objects.update(premoderated_posts=2)  # as in a fresh network
    accounts = {
        "admin": people["admin"],
        "modo": people["moderator"],
        "membre": people["member"],
        "proche": people["caregiver"],
    }
    demo_content(accounts=accounts)
    assert Topic.objects.count() == len(DEMO_TOPICS)
    assert not Topic.objects.exclude(status=Topic.Status.VISIBLE).exists()
    assert not Post.objects.exclude(status=Post.Status.PUBLISHED).exists()
    assert Topic.objects.filter(pinned=True).count() == 1
    welcome = Topic.objects.get(title="Bonjour, nouvelle ici")
    assert welcome.reply_count == 2
    assert '<a href="/membres/Bob/"' in welcome.posts.order_by("id")[1].body_html
    assert Group.objects.get().status == Group.Status.APPROVED
    counts = (Topic.objects.count(), Post.objects.count(), Group.objects.count())
    demo_content(accounts=accounts)
    assert (Topic.objects.count(), Post.objects.count(), Group.objects.count()) == counts
