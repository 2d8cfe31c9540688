"""Notification emails: who gets them, immediately or in digests, what they say, and only once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from tenant_apps.members.models import Member
from tenant_apps.notifications import services
from tenant_apps.notifications.models import Notification
from tenants.links import tenant_base_url
from tests.notifications.factories import account, notify, unverify

pytestmark = pytest.mark.django_db

SECRET_REASON = "Témoigne de sa chimiothérapie"


def test_nobody_is_notified_of_their_own_action(tenant, people):
    bob = people["member"].member
    assert (
        services.notification_create(
            recipient=bob, actor=bob, kind=Notification.Kind.REPLY, subject="S", url="/"
        )
        is None
    )
    assert not Notification.objects.exists()


def test_immediately_defers_one_email_job_on_commit(tenant, django_capture_on_commit_callbacks):
    ivan = account("Ivan", frequency="immediately").member
    bob = account("Bob").member  # daily, the default
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        now = services.notification_create(
            recipient=ivan, actor=bob, kind=Notification.Kind.MENTION, subject="S", url="/f/"
        )
        later = services.notification_create(
            recipient=bob, actor=ivan, kind=Notification.Kind.MENTION, subject="S", url="/f/"
        )
    assert len(callbacks) == 1
    jobs = ProcrastinateJob.objects.filter(
        task_name__endswith="notifications.jobs.notification_email_send"
    )
    assert [job.args for job in jobs.filter(args__notification_id=now.pk)] == [
        {"schema_name": "alpha", "notification_id": now.pk}
    ]
    assert not jobs.filter(args__notification_id=later.pk).exists()


def test_the_immediate_email_is_sent_once_with_subjects_and_links_only(tenant, mailoutbox):
    ivan = account("Ivan", frequency="immediately").member
    bob = account("Bob").member
    notification = notify(
        ivan,
        actor=bob,
        kind=Notification.Kind.MODERATION,
        subject="Mon message",
        detail=SECRET_REASON,
        url="/forums/sujets/4/",
    )

    assert services.notification_email_send(notification_id=notification.pk) is True
    assert services.notification_email_send(notification_id=notification.pk) is False

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ivan@example.org"]
    assert message.from_email == "Réseau alpha <no-reply@localhost>"
    assert "Réseau alpha" in message.subject
    # The link opens the notification (marking it read), which leads to its page.
    assert f"{tenant_base_url(tenant)}/notifications/{notification.pk}/" in message.body
    assert "Mon message" in message.body
    assert SECRET_REASON not in message.body
    base = tenant_base_url(tenant)
    unsubscribe = re.search(re.escape(base) + r"/notifications/desabonnement/\S+/", message.body)
    assert unsubscribe
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe[0]}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.parametrize("change", ["never", "read", "unverified", "suspended", "erased"])
def test_no_immediate_email_when_the_member_cannot_or_need_not_get_it(tenant, mailoutbox, change):
    user = account("Ivan", frequency="immediately")
    ivan = user.member
    notification = notify(ivan)
    if change == "never":
        ivan.notification_settings.frequency = "never"
        ivan.notification_settings.save()
    elif change == "read":
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    elif change == "unverified":
        unverify(user)
    elif change == "suspended":
        Member.objects.filter(pk=ivan.pk).update(status=Member.Status.SUSPENDED)
    else:
        from tenant_apps.members.services import member_erase

        member_erase(member=ivan)

    services.notification_email_send(notification_id=notification.pk)

    assert mailoutbox == []


def test_digests_gather_each_members_pending_notifications_in_one_email(tenant, mailoutbox):
    bob = account("Bob").member  # daily by default
    carla = account("Carla", frequency="weekly").member
    dan = account("Dan", frequency="never").member
    ivan = account("Ivan", frequency="immediately").member
    eve_user = account("Eve")
    unverify(eve_user)
    suzy = account("Suzy").member
    Member.objects.filter(pk=suzy.pk).update(status=Member.Status.SUSPENDED)
    mona = account("Mona").member

    first = notify(bob, actor=mona, subject="Premier sujet", url="/forums/sujets/1/")
    second = notify(
        bob,
        actor=mona,
        kind=Notification.Kind.MODERATION,
        subject="Second sujet",
        detail=SECRET_REASON,
        url="/forums/sujets/2/",
    )
    read = notify(bob, subject="Déjà lu", read_at=timezone.now())
    emailed = notify(bob, subject="Déjà envoyé", emailed_at=timezone.now())
    stale = notify(bob, subject="Trop ancien")
    Notification.objects.filter(pk=stale.pk).update(created=timezone.now() - timedelta(days=30))
    weekly = notify(carla, subject="Pour la semaine")
    for member in (dan, ivan, eve_user.member, suzy):
        notify(member, subject="Jamais envoyé")

    assert services.digests_send(frequency="daily") == 1

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["bob@example.org"]
    assert "Premier sujet" in message.body and "Second sujet" in message.body
    assert f"{tenant_base_url(tenant)}/notifications/{first.pk}/" in message.body
    for absent in ("Déjà lu", "Déjà envoyé", "Trop ancien", "Pour la semaine", SECRET_REASON):
        assert absent not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(
        Notification.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True)
    ) == {
        first.pk,
        second.pk,
        emailed.pk,
    }
    assert Notification.objects.get(pk=read.pk).emailed_at is None

    # Safe to run twice: nothing left for the daily digest.
    assert services.digests_send(frequency="daily") == 0
    assert len(mailoutbox) == 1

    assert services.digests_send(frequency="weekly") == 1
    assert [m.to for m in mailoutbox[1:]] == [["carla@example.org"]]
    assert Notification.objects.get(pk=weekly.pk).emailed_at is not None
    assert (
        Notification.objects.filter(emailed_at__isnull=True, subject="Jamais envoyé").count() == 4
    )


def test_digest_recipients_are_found_in_a_constant_number_of_queries(
    tenant, mailoutbox, django_assert_max_num_queries
):
    for number in range(6):
        member = account(f"Membre{number}").member
        notify(member)
        notify(member)
    with django_assert_max_num_queries(2 + 6 * 6):
        assert services.digests_send(frequency="daily") == 6
    assert len(mailoutbox) == 6


def test_an_email_link_offers_sign_in_then_opens_and_marks_read(tenant, client_for, mailoutbox):
    ivan = account("Ivan", frequency="immediately").member
    notification = notify(ivan, actor=account("Bob").member, url="/notifications/preferences/")
    services.notification_email_send(notification_id=notification.pk)
    link = re.search(r"https?://[^/\s]+(/notifications/\d+/)", mailoutbox[0].body)[1]

    client = client_for(tenant)
    signed_out = client.get(link)
    # Sent to sign in and back to the link, as from any member-only address.
    assert (signed_out.status_code, signed_out["Location"]) == (302, f"/comptes/login/?next={link}")
    notification.refresh_from_db()
    assert notification.read_at is None

    client.force_login(ivan.user)
    opened = client.get(link)
    assert (opened.status_code, opened.headers["Location"]) == (302, "/notifications/preferences/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert b"next=" not in client.get("/forums/sujet/999999/").content


def test_the_daily_run_sends_an_immediate_email_that_never_went_out(tenant, mailoutbox):
    ivan = account("Ivan", frequency="immediately").member
    recent = notify(ivan, subject="Il y a dix minutes")
    assert services.digests_send(frequency="daily") == 0  # its own job may still send it
    lost = notify(ivan, subject="Il y a deux heures")
    Notification.objects.filter(pk=lost.pk).update(created=timezone.now() - timedelta(hours=2))

    assert services.digests_send(frequency="daily") == 1
    assert mailoutbox[0].to == ["ivan@example.org"]
    assert "Il y a deux heures" in mailoutbox[0].body and "Il y a dix minutes" in mailoutbox[0].body
    # The immediate job, if it runs after all, sends nothing twice.
    assert services.notification_email_send(notification_id=recent.pk) is False
    assert services.digests_send(frequency="weekly") == 0
