"""The email jobs through a real worker: each runs inside its network, and only once."""

import pytest
from django_tenants.utils import tenant_context
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from provisioning import services as provisioning
from tenant_apps.notifications import services
from tenant_apps.notifications.jobs import daily_digests, weekly_digests
from tenant_apps.notifications.models import Notification
from tests.notifications.factories import account, notify


def run_worker() -> None:
    """What ``manage.py procrastinate worker`` does: a psycopg connector of its own."""
    worker = app.with_connector(app.connector.get_worker_connector())
    worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


def last_job_id() -> int:
    return ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.django_db(transaction=True)
def test_the_periodic_digests_defer_one_job_per_active_network(drop_tenant_schemas, mailoutbox):
    provisioning.platform_ensure()
    run_worker()  # procrastinate's tables are not flushed between tests: run what is left
    networks = {}
    for slug in ("alpha", "beta", "gamma"):
        networks[slug] = provisioning.tenant_create(
            slug=slug, name=f"Réseau {slug}", organization_slug=f"asso-{slug}",
            admin_email=f"admin@{slug}.example", actor="test",
        ).tenant  # fmt: skip
        with tenant_context(networks[slug]):
            daily = account("Bob").member
            weekly = account("Carla", frequency="weekly").member
            notify(daily, subject=f"Quotidien {slug}")
            notify(weekly, subject=f"Hebdo {slug}")
    provisioning.tenant_suspend(slug="gamma", actor="test")
    run_worker()  # the admins' invitations
    mailoutbox.clear()
    first_new = last_job_id() + 1

    daily_digests.func(timestamp=0)

    jobs = ProcrastinateJob.objects.filter(
        task_name="tenant_apps.notifications.jobs.digests_send", id__gte=first_new
    )
    assert sorted((j.args["schema_name"], j.args["frequency"]) for j in jobs) == [
        ("alpha", "daily"),
        ("beta", "daily"),
    ]
    run_worker()
    sent = sorted((m.to[0], m.from_email, "Quotidien alpha" in m.body) for m in mailoutbox)
    assert sent == [
        ("bob@example.org", "Réseau alpha <no-reply@localhost>", True),
        ("bob@example.org", "Réseau beta <no-reply@localhost>", False),
    ]
    beta_mail = next(m for m in mailoutbox if "beta" in m.from_email)
    assert "Quotidien beta" in beta_mail.body and "alpha" not in beta_mail.body

    # The same jobs again (a retry, a second tick): nothing is sent twice.
    daily_digests.func(timestamp=0)
    run_worker()
    assert len(mailoutbox) == 2

    weekly_digests.func(timestamp=0)
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox[2:]) == ["carla@example.org"] * 2
    with tenant_context(networks["gamma"]):
        assert not Notification.objects.filter(emailed_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_an_immediate_notification_is_emailed_once_by_its_job(drop_tenant_schemas, mailoutbox):
    provisioning.platform_ensure()
    run_worker()
    alpha = provisioning.tenant_create(
        slug="alpha", name="Réseau alpha", organization_slug="asso-alpha",
        admin_email="admin@alpha.example", actor="test",
    ).tenant  # fmt: skip
    run_worker()
    mailoutbox.clear()
    with tenant_context(alpha):
        ivan = account("Ivan", frequency="immediately").member
        bob = account("Bob").member
        notification = services.notification_create(
            recipient=ivan, actor=bob, kind=Notification.Kind.REPLY, subject="Un sujet", url="/f/"
        )
    job = ProcrastinateJob.objects.get(
        task_name="tenant_apps.notifications.jobs.notification_email_send",
        args__notification_id=notification.pk,
    )
    assert job.args == {"schema_name": "alpha", "notification_id": notification.pk}

    run_worker()
    # Deferred again by mistake, it finds the notification already emailed.
    from tenant_apps.notifications.jobs import notification_email_send

    notification_email_send.defer(schema_name="alpha", notification_id=notification.pk)
    run_worker()

    assert [m.to for m in mailoutbox] == [["ivan@example.org"]]
    assert "Un sujet" in mailoutbox[0].body
    with tenant_context(alpha):
        assert Notification.objects.get(pk=notification.pk).emailed_at is not None
