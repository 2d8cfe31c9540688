"""notifications_fan_out: many members told the same thing in one insert, once per source,
and those on "immediately" emailed by their jobs, deferred together."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.notifications import services
from tenant_apps.notifications.models import Notification
from tests.jobs import JobQueue, committed
from tests.notifications.factories import account

pytestmark = pytest.mark.django_db

EMAIL = "tenant_apps.notifications.jobs.notification_email_send"


def fan_out(recipients, *, actor=None, source="forums.post:1"):
    with committed():
        services.notifications_fan_out(
            recipient_ids=[m.pk for m in recipients], kind=Notification.Kind.REPLY,
            subject="Un sujet", url="/forums/sujet/1/", source=source, actor=actor,
        )  # fmt: skip


def test_one_insert_whatever_the_number_of_recipients(tenant):
    few = [account(f"Peu{n}").member for n in range(2)]
    many = [account(f"Beaucoup{n}").member for n in range(20)]
    with CaptureQueriesContext(connection) as two:
        fan_out(few, source="forums.post:1")
    with CaptureQueriesContext(connection) as twenty:
        fan_out(many, source="forums.post:2")
    assert len(twenty) == len(two)
    inserts = [q for q in twenty if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert Notification.objects.filter(source="forums.post:2").count() == 20


def test_a_second_run_tells_nobody_twice_and_the_actor_never(tenant):
    bob, carla = account("Bob").member, account("Carla").member
    fan_out([bob, carla], actor=carla)
    fan_out([bob, carla], actor=carla)
    assert list(Notification.objects.values_list("recipient_id", "source")) == [
        (bob.pk, "forums.post:1")
    ]
    # Another source is another notification.
    fan_out([bob], source="forums.post:2")
    assert Notification.objects.filter(recipient=bob).count() == 2


def test_members_on_immediately_get_one_email_each(tenant, mailoutbox):
    ivan = account("Ivan", frequency="immediately").member
    iris = account("Iris", frequency="immediately").member
    daily = account("Dan").member
    jobs = JobQueue()
    fan_out([ivan, iris, daily])
    assert jobs.run() == [EMAIL, EMAIL]
    fan_out([ivan, iris, daily])  # a retried job: nothing new, nothing to email
    assert jobs.run() == []
    assert sorted(m.to[0] for m in mailoutbox) == ["iris@example.org", "ivan@example.org"]
