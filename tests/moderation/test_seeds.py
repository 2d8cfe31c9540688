"""What a new network's moderation starts with, and the demo's additions."""

import pytest

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Post, Topic
from tenant_apps.moderation.models import (
    Case,
    CrisisTerm,
    ModerationSettings,
    OnDuty,
    Report,
    WatchedWord,
)
from tenant_apps.moderation.seeds import (
    DEFAULT_CRISIS_TERMS,
    demo_activity,
    demo_content,
    seed_defaults,
)

pytestmark = pytest.mark.django_db


def test_a_new_network_has_crisis_terms_and_a_policy_once(tenant):
    assert CrisisTerm.objects.count() == len(set(DEFAULT_CRISIS_TERMS))
    seed_defaults()
    assert CrisisTerm.objects.count() == len(set(DEFAULT_CRISIS_TERMS))
    assert ModerationSettings.objects.get().premoderated_posts == 2


def test_demo_content_is_idempotent(member_of):
    accounts = {"modo": member_of["moderator"], "admin": member_of["admin"]}
    demo_content(accounts=accounts, content={})
    demo_content(accounts=accounts, content={})
    assert OnDuty.objects.get().member == member_of["moderator"]
    assert WatchedWord.objects.get().action == WatchedWord.Action.FLAG


QUEUE = {
    # The newcomer is a caregiver: the caregivers' space.
    "held": {"author": "newcomer", "category": "bienvenue-proches", "hours_ago": 2,
             "title": "Premier message", "body": "Bonjour à tous, je découvre le réseau."},
    "report": {"topic": "Un sujet", "author": "author", "reporter": "member",
               "reason": "advertising", "hours_ago": 3, "detail": "Publicité."},
}  # fmt: skip


def test_demo_activity_leaves_a_report_and_a_held_first_post_in_the_queue(member_of, people):
    ModerationSettings.objects.update(premoderated_posts=1)
    moderator = member_of["moderator"]
    category = Category.objects.get(slug="traitements")
    # A demo member's first post, held then published by the forums' demo content.
    topic = forums.topic_create(
        author=member_of["author"], category=category, title="Un sujet", body="Achetez ici."
    )
    forums.post_publish(post=topic.opening_post, moderator=moderator)
    accounts = {**member_of, "modo": moderator, "newcomer": member_of["caregiver"]}
    demo_activity(accounts=accounts, content={"queue": QUEUE})

    open_cases = Case.objects.filter(status=Case.Status.OPEN)
    assert sorted(open_cases.values_list("kind", "post__topic__title")) == [
        (Case.Kind.HELD, "Premier message"),
        (Case.Kind.REPORT, "Un sujet"),
    ]
    approved = Case.objects.get(kind=Case.Kind.HELD, post=topic.opening_post)
    assert (approved.status, approved.closed_by) == (Case.Status.CLOSED, moderator)
    assert Topic.objects.get(title="Premier message").status == Topic.Status.HELD
    assert Report.objects.get().reporter == member_of["member"]

    counts = (Case.objects.count(), Report.objects.count(), Post.objects.count())
    demo_activity(accounts=accounts, content={"queue": QUEUE})
    assert (Case.objects.count(), Report.objects.count(), Post.objects.count()) == counts
