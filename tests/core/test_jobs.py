"""Jobs carry their tenant, run inside it, and are deferred only on commit."""

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from provisioning import services
from tenant_apps.members import services as members
from tenant_apps.members.models import Invitation, Role


def run_worker() -> None:
    """What ``manage.py procrastinate worker`` does: a psycopg connector of its own."""
    worker = app.with_connector(app.connector.get_worker_connector())
    worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


@pytest.mark.django_db(transaction=True)
def test_the_invitation_job_carries_and_uses_its_tenant(drop_tenant_schemas, mailoutbox):
    services.platform_ensure()
    # procrastinate's tables are not flushed between tests: run what earlier tests left.
    run_worker()
    mailoutbox.clear()
    first_new = (
        ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    alpha = services.tenant_create(
        slug="alpha", name="Réseau alpha", organization_slug="a", admin_email="a@alpha.example",
        actor="test",
    )  # fmt: skip
    beta = services.tenant_create(
        slug="beta", name="Réseau beta", organization_slug="b", admin_email="b@beta.example",
        actor="test",
    )  # fmt: skip
    jobs = ProcrastinateJob.objects.filter(task_name__endswith="invitation_send", id__gte=first_new)
    assert sorted(job.args["schema_name"] for job in jobs) == ["alpha", "beta"]

    run_worker()

    sent = {message.to[0]: message for message in mailoutbox}
    assert set(sent) == {"a@alpha.example", "b@beta.example"}
    assert alpha.invitation_url in sent["a@alpha.example"].body
    assert "Réseau alpha" in sent["a@alpha.example"].subject
    assert sent["a@alpha.example"].from_email == "Réseau alpha <no-reply@localhost>"
    assert beta.invitation_url in sent["b@beta.example"].body
    for creation in (alpha, beta):
        with tenant_context(creation.tenant):
            assert Invitation.objects.get().sent is not None

    run_worker()  # nothing left to do, and a second run sends nothing twice
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_no_job_is_deferred_when_the_transaction_rolls_back(drop_tenant_schemas):
    services.platform_ensure()
    tenant = services.tenant_create(
        slug="alpha", name="Réseau alpha", organization_slug="a", admin_email="a@alpha.example",
        actor="test",
    ).tenant  # fmt: skip
    before = ProcrastinateJob.objects.count()
    with tenant_context(tenant):
        with pytest.raises(RuntimeError), transaction.atomic():
            members.invitation_create(email="x@example.org", role=Role.MEMBER)
            raise RuntimeError("rolled back")
        assert not Invitation.objects.filter(email="x@example.org").exists()
    assert ProcrastinateJob.objects.count() == before
