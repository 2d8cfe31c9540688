"""Accounts inactive past the network's retention period are erased; staff never are."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import tenant_context
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from provisioning import services as provisioning
from tenant_apps.members import services
from tenant_apps.members.jobs import retention_sweep
from tenant_apps.members.models import Member, NetworkSettings, Role

User = get_user_model()


def account(username: str, *, role: str = Role.MEMBER, last_login_days=None, joined_days=0):
    user = services.member_create(
        username=username, email=f"{username.lower()}@example.org", password=None, role=role
    )
    if role != Role.MEMBER:
        TOTP.activate(user, generate_totp_secret())
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(
        last_login=None if last_login_days is None else now - timedelta(days=last_login_days),
        date_joined=now - timedelta(days=joined_days),
    )
    return user.member


def retention(days) -> None:
    NetworkSettings.objects.update(inactive_retention_days=days)


def pseudonyms_left() -> set[str]:
    return set(Member.objects.filter(erased__isnull=True).values_list("user__username", flat=True))


@pytest.mark.django_db
def test_inactive_members_are_erased_active_ones_and_staff_kept(tenant):
    retention(30)
    stale = account("Ancien", last_login_days=40, joined_days=400)
    never = account("Jamais", last_login_days=None, joined_days=40)
    account("Recent", last_login_days=5, joined_days=400)
    account("Nouveau", last_login_days=None, joined_days=2)
    account("Modo", role=Role.MODERATOR, last_login_days=400, joined_days=800)
    account("Chef", role=Role.ADMIN, last_login_days=None, joined_days=800)

    assert services.inactive_members_erase() == 2

    assert pseudonyms_left() == {"Recent", "Nouveau", "Modo", "Chef"}
    for member in (stale, never):
        member.refresh_from_db()
        assert member.erased is not None and member.user is None
    assert not User.objects.filter(username__in=["Ancien", "Jamais"]).exists()

    # Safe to run twice: nothing more to erase, the erased rows are left as they are.
    erased_at = {m.pk: m.erased for m in Member.objects.filter(erased__isnull=False)}
    assert services.inactive_members_erase() == 0
    assert {m.pk: m.erased for m in Member.objects.filter(erased__isnull=False)} == erased_at
    assert pseudonyms_left() == {"Recent", "Nouveau", "Modo", "Chef"}


@pytest.mark.django_db
def test_the_cutoff_follows_the_given_time(tenant):
    retention(30)
    account("Recent", last_login_days=5, joined_days=400)
    assert services.inactive_members_erase(now=timezone.now() + timedelta(days=20)) == 0
    assert services.inactive_members_erase(now=timezone.now() + timedelta(days=26)) == 1
    assert pseudonyms_left() == set()


@pytest.mark.django_db
@pytest.mark.parametrize("days", [None, 0])
def test_without_a_retention_period_nobody_is_erased(tenant, days):
    retention(days)
    account("Ancien", last_login_days=4000, joined_days=4000)
    assert services.inactive_members_erase() == 0
    assert pseudonyms_left() == {"Ancien"}


def run_worker() -> None:
    """What ``manage.py procrastinate worker`` does: a psycopg connector of its own."""
    worker = app.with_connector(app.connector.get_worker_connector())
    worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


@pytest.mark.django_db(transaction=True)
def test_the_nightly_sweep_defers_one_job_per_active_network(drop_tenant_schemas):
    provisioning.platform_ensure()
    run_worker()  # procrastinate's tables are not flushed between tests: run what is left
    networks = {}
    for slug in ("alpha", "beta", "gamma"):
        networks[slug] = provisioning.tenant_create(
            slug=slug, name=f"Réseau {slug}", organization_slug=f"asso-{slug}",
            admin_email=f"admin@{slug}.example", actor="test",
        ).tenant  # fmt: skip
        with tenant_context(networks[slug]):
            retention(30)
            account("Ancien", last_login_days=40, joined_days=400)
    provisioning.tenant_suspend(slug="gamma", actor="test")
    first_new = (ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first()) + 1

    retention_sweep.func(timestamp=0)

    jobs = ProcrastinateJob.objects.filter(
        task_name="tenant_apps.members.jobs.inactive_members_erase", id__gte=first_new
    )
    assert sorted(job.args["schema_name"] for job in jobs) == ["alpha", "beta"]
    assert all(set(job.args) == {"schema_name"} for job in jobs)

    run_worker()

    for slug, left in (("alpha", set()), ("beta", set()), ("gamma", {"Ancien"})):
        with tenant_context(networks[slug]):
            assert pseudonyms_left() == left
    assert set(
        ProcrastinateJob.objects.filter(pk__in=[j.pk for j in jobs]).values_list(
            "status", flat=True
        )
    ) == {"succeeded"}
