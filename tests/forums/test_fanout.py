"""A post's notifications leave the write path: the reply costs the same whatever the
audience, a job tells the followers and the mentioned members who may read it, in bulk, and
once only."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Group, GroupMembership, Post, Subscription
from tenant_apps.members.models import Member, ProfileType, Space
from tenant_apps.notifications.models import Notification, NotificationSettings
from tests.jobs import JobQueue, committed

pytestmark = pytest.mark.django_db

ANNOUNCE = "tenant_apps.forums.jobs.post_announce"
EMAIL = "tenant_apps.notifications.jobs.notification_email_send"
SECRET_TEXT = "Mon oncologue parle de rechute"


@pytest.fixture
def jobs(tenant):
    return JobQueue()


def followers(topic, count: int, prefix: str) -> list[Member]:
    """``count`` patients following ``topic``, made in bulk (fifty accounts through the
    sign-up service would take most of the test's time)."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org")
        for n in range(count)
    )
    members = Member.objects.bulk_create(
        Member(user=user, profile_type=ProfileType.PATIENT) for user in users
    )
    Subscription.objects.bulk_create(Subscription(member=m, topic=topic) for m in members)
    return members


def new_topic(people, category, title="Fatigue et reprise du travail"):
    with committed():
        return forums.topic_create(
            author=people["member"], category=category, title=title, body="Comment faites-vous ?"
        )


def reply_queries(people, topic, body="Pareil pour moi") -> int:
    with CaptureQueriesContext(connection) as queries, committed():
        forums.post_create(author=people["patient2"], topic=topic, body=body)
    return len(queries)


def told(kind=Notification.Kind.REPLY) -> dict[int, int]:
    """How many notifications of ``kind`` each member has."""
    counts: dict[int, int] = {}
    for recipient_id in Notification.objects.filter(kind=kind).values_list(
        "recipient_id", flat=True
    ):
        counts[recipient_id] = counts.get(recipient_id, 0) + 1
    return counts


def test_a_replys_queries_are_the_same_with_no_follower_and_with_fifty(
    people, patients_category, jobs
):
    quiet = new_topic(people, patients_category, "Sans abonnés")
    busy = new_topic(people, patients_category, "Très suivi")
    reply_queries(people, new_topic(people, patients_category, "Échauffement"))
    followers(busy, 50, "abonne")
    Subscription.objects.filter(topic=quiet).delete()  # not even its author

    alone = reply_queries(people, quiet)
    crowded = reply_queries(people, busy)

    assert crowded == alone
    # Nobody was told yet: the job does it, one per reply.
    assert not Notification.objects.filter(kind=Notification.Kind.REPLY).exists()
    assert jobs.names() == [ANNOUNCE] * 6  # the three opening posts, and the three replies
    print(f"queries of a reply: {alone} with no follower, {crowded} with 50")


def test_the_job_tells_each_follower_once_in_bulk_and_nothing_more_when_run_again(
    people, patients_category, jobs
):
    small = new_topic(people, patients_category, "Peu suivi")
    large = new_topic(people, patients_category, "Très suivi")
    few = followers(small, 1, "un")
    many = followers(large, 50, "abonne")
    jobs.run()
    with committed():
        forums.post_create(author=people["patient2"], topic=small, body="Réponse")
    with CaptureQueriesContext(connection) as small_job:
        assert jobs.run() == [ANNOUNCE]
    with committed():
        reply = forums.post_create(author=people["patient2"], topic=large, body="Réponse")
    with CaptureQueriesContext(connection) as large_job:
        assert jobs.run() == [ANNOUNCE]

    # One query per kind of notification, whatever the number of followers.
    assert len(large_job) == len(small_job)
    expected = {m.pk: 1 for m in [*few, *many]} | {people["member"].pk: 2}
    assert told() == expected
    assert set(
        Notification.objects.filter(recipient__in=many).values_list("url", "actor_id", "source")
    ) == {(forums.post_url(reply), people["patient2"].pk, f"forums.post:{reply.pk}")}

    # A retried job (or the same one deferred twice) adds nothing.
    with committed():
        forums.post_announce(post_id=reply.pk)
    assert told() == expected


def test_a_follower_who_lost_access_is_not_told(people, patients_category, jobs):
    topic = new_topic(people, patients_category)
    moved, suspended, staying = followers(topic, 3, "suiveur")
    # Now a caregiver: the Patients space is closed to her.
    Member.objects.filter(pk=moved.pk).update(profile_type=ProfileType.CAREGIVER)
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    with committed():
        forums.post_create(author=people["patient2"], topic=topic, body="Du nouveau")
    jobs.run()
    assert told() == {staying.pk: 1, people["member"].pk: 1}


@pytest.fixture
def closed_group(people):
    """An approved on-request group of the Patients space that Paul proposed (its member)."""
    group = forums.group_propose(
        proposer=people["patient2"], name="Stade 4", description="Entre nous.",
        space=Space.objects.get(slug="patients"), access=Group.Access.ON_REQUEST,
    )  # fmt: skip
    forums.group_approve(group=group, moderator=people["moderator"])
    return group


def test_a_follower_who_left_the_group_is_not_told(people, closed_group, jobs):
    GroupMembership.objects.create(
        group=closed_group, member=people["member"], status=GroupMembership.Status.MEMBER
    )
    topic = new_topic(people, closed_group.category, "Entre membres")
    forums.group_leave(member=people["member"], group=closed_group)
    assert Subscription.objects.filter(topic=topic, member=people["member"]).exists()
    with committed():
        forums.post_create(author=people["patient2"], topic=topic, body="Bienvenue à tous")
    jobs.run()
    assert told() == {}


def test_a_mentioned_member_who_cannot_read_the_topic_is_not_told(
    people, closed_group, patients_category, jobs
):
    inside = new_topic(people, patients_category, "Ouvert aux patients")
    group_topic = forums.topic_create(
        author=people["patient2"], category=closed_group.category, title="Réservé", body="Ici"
    )
    with committed():
        forums.post_create(
            author=people["patient2"], topic=inside, body="@Carla @Mona, vous voyez ?"
        )
        forums.post_create(author=people["patient2"], topic=group_topic, body="@Bob regarde")
    jobs.run()
    # Carla is a caregiver (no Patients space), Bob is not in the group; Mona moderates.
    assert told(Notification.Kind.MENTION) == {people["moderator"].pk: 1}


def test_a_mentioned_follower_gets_the_mention_only(people, patients_category, jobs):
    topic = new_topic(people, patients_category)
    with committed():
        forums.post_create(author=people["patient2"], topic=topic, body="@Bob, merci")
    jobs.run()
    assert told(Notification.Kind.MENTION) == {people["member"].pk: 1}
    assert told(Notification.Kind.REPLY) == {}


def test_a_post_hidden_before_its_job_runs_tells_nobody(people, patients_category, jobs):
    topic = new_topic(people, patients_category)
    jobs.run()
    with committed():
        reply = forums.post_create(author=people["patient2"], topic=topic, body="@Bob, tiens")
    forums.post_hide(post=reply, moderator=people["moderator"], reason="Hors charte")
    assert jobs.run() == [ANNOUNCE]
    assert not Notification.objects.exists()


def test_a_held_reply_is_announced_when_published(people, patients_category, jobs):
    from tenant_apps.moderation.models import ModerationSettings

    topic = new_topic(people, patients_category)
    jobs.run()
    ModerationSettings.objects.update(premoderated_posts=5)
    with committed():
        held = forums.post_create(author=people["patient2"], topic=topic, body="En attente")
    assert held.status == Post.Status.HELD
    assert jobs.names() == []
    with committed():
        forums.post_publish(post=held, moderator=people["moderator"])
    assert jobs.run() == [ANNOUNCE]
    assert told() == {people["member"].pk: 1}


def test_followers_on_immediately_get_one_email_without_the_text(
    people, patients_category, jobs, mailoutbox
):
    topic = new_topic(people, patients_category)
    NotificationSettings.objects.create(member=people["member"], frequency="immediately")
    jobs.run()
    with committed():
        reply = forums.post_create(author=people["patient2"], topic=topic, body=SECRET_TEXT)
    assert jobs.run() == [ANNOUNCE, EMAIL]
    with committed():
        forums.post_announce(post_id=reply.pk)  # run again: nothing new to email
    assert jobs.run() == []
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]
    assert topic.title in mailoutbox[0].body
    assert SECRET_TEXT not in mailoutbox[0].body
