"""The operators' console: nightly usage snapshots, the networks list (search, filters,
keyset pages, a constant number of queries), the actions' refusals and double submits, the
charts' figures. Who may open what is tests/test_matrix_console.py's."""

import datetime
import threading

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan, Subscription
from shared_apps.console import charts, jobs, selectors, services
from shared_apps.console.models import UsageSnapshot
from tenants.models import AuditEntry, Export, Organization, Tenant
from tests.console.plans import plans_ensure
from tests.jobs import JobQueue, committed
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(session_networks, db):
    with schema_context("public"):
        provisioning.platform_ensure()
        plans_ensure()
        user = get_user_model().objects.create_user(
            username="console-ops", email="ops@example.org", is_staff=True
        )
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def ops(operator):
    with schema_context("public"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(operator)
    return client


def _networks(n: int, prefix: str) -> list[Tenant]:
    """Rows of networks (no schema: the list reads only the public schema)."""
    made = []
    with schema_context("public"):
        organization = Organization.objects.create(name=f"Asso {prefix}", slug=f"asso-{prefix}")
        plan = Plan.objects.get(code="gratuit")
        Subscription.objects.create(organization=organization, plan=plan)
        for i in range(n):
            tenant = Tenant.objects.create(
                schema_name=f"{prefix}{i}", slug=f"{prefix}-{i}", name=f"Réseau {prefix} {i}",
                organization=organization, status=Tenant.Status.ACTIVE,
            )  # fmt: skip
            UsageSnapshot.objects.create(
                tenant=tenant, day=timezone.localdate(), members=i, active_members=i,
                files_bytes=10, database_bytes=20, last_activity=timezone.now(),
            )  # fmt: skip
            made.append(tenant)
    return made


# --- Usage snapshots -----------------------------------------------------------------------


def test_the_nightly_job_counts_each_network_from_inside_it(tenant, other_tenant, settings):
    bob = account("Bob")
    account("Zoe")
    bob.member.last_seen = timezone.now() - datetime.timedelta(days=2)
    bob.member.save()
    (settings.MEDIA_ROOT / "alpha" / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "alpha" / "avatars" / "a.png").write_bytes(b"x" * 1234)
    with schema_context("public"):
        queue = JobQueue()
        deferred = jobs.usage_sweep_defer()
        assert deferred == Tenant.objects.exclude(schema_name="public").count()
        assert set(queue.names()) == {"shared_apps.console.jobs.usage_snapshot"}
    # Each job enters its own network, as the worker would.
    for schema in ("alpha", "beta"):
        network = Tenant.objects.get(schema_name=schema)
        with tenant_context(network):
            jobs.usage_snapshot.func.__wrapped__()
            jobs.usage_snapshot.func.__wrapped__()  # twice: one row a day
    with schema_context("public"):
        alpha = UsageSnapshot.objects.get(tenant__slug="alpha")
        beta = UsageSnapshot.objects.get(tenant__slug="beta")
    assert (alpha.members, alpha.active_members) == (2, 1)
    assert alpha.last_activity == bob.member.last_seen
    assert alpha.files_bytes == 1234
    assert alpha.database_bytes > 100_000  # the schema's tables and indexes
    assert (beta.members, beta.active_members, beta.files_bytes) == (0, 0, 0)
    assert beta.last_activity is None


# --- The networks list ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 12])
def test_the_list_costs_the_same_queries_whatever_its_size(ops, size, django_assert_num_queries):
    _networks(size, "q")
    # The host, the session, the user, the second factor (the middleware's and the
    # console's), the plans of the filter, the page of networks with their latest counts, the
    # proposals waiting (a count per kind of listing), and what the layout asks.
    with django_assert_num_queries(12):
        response = ops.get("/console/")
    assert response.status_code == 200
    assert len(response.context["networks"]) == size + 2  # with alpha and beta


def test_search_filters_and_keyset_pages(ops, tenant, other_tenant):
    made = _networks(5, "k")
    with schema_context("public"):
        Tenant.objects.filter(pk=made[1].pk).update(status=Tenant.Status.SUSPENDED)
        paid = Plan.objects.exclude(price_cents=0).first()
        Subscription.objects.update_or_create(
            organization=other_tenant.organization, defaults={"plan": paid}
        )

    def ids(query: str) -> list[int]:
        return [n.pk for n in ops.get(f"/console/?{query}").context["networks"]]

    assert ids("q=k-3") == [made[3].pk]
    assert ids("q=ASSO-K") == [t.pk for t in reversed(made)]  # the organization's slug
    assert ids("status=suspended") == [made[1].pk]
    assert ids(f"plan={paid.code}") == [other_tenant.pk]
    # Unknown values are left out with a message, never a 500.
    response = ops.get("/console/?status=nope&plan=nope&apres=-4&q=" + "x" * 5000)
    assert response.status_code == 200
    assert response.context["form"].errors
    page, after = selectors.networks_page(selectors.NetworkFilters(query="k-"), size=2)
    assert [n.pk for n in page] == [made[4].pk, made[3].pk]
    rest, last = selectors.networks_page(selectors.NetworkFilters(query="k-", after=after), size=2)
    assert [n.pk for n in rest] == [made[2].pk, made[1].pk]
    next_link = ops.get("/console/?q=k-").context["next_query"]
    assert next_link == ""  # 5 rows fit one page of 50


def test_the_list_shows_counts_never_people(ops, tenant):
    account("Bob", email="bob.secret@example.org")
    with schema_context("public"):
        UsageSnapshot.objects.create(
            tenant_id=tenant.pk, day=timezone.localdate(), members=1, active_members=1,
            files_bytes=0, database_bytes=0,
        )  # fmt: skip
    for path in ("/console/", "/console/reseaux/alpha/", "/console/activite/"):
        page = ops.get(path).content.decode()
        assert "bob.secret@example.org" not in page and "Bob" not in page, path


# --- Actions -------------------------------------------------------------------------------


def test_suspend_twice_writes_once_and_resume_brings_it_back(ops, other_tenant):
    for _ in range(2):
        assert ops.post("/console/reseaux/beta/suspendre/", {"reason": "Impayé"}).status_code == 302
    with schema_context("public"):
        assert Tenant.objects.get(slug="beta").status == Tenant.Status.SUSPENDED
        assert AuditEntry.objects.filter(tenant_slug="beta", action="suspend").count() == 1
        entry = AuditEntry.objects.get(tenant_slug="beta", action="suspend")
    assert entry.actor == "console-ops" and entry.detail == {"reason": "Impayé"}
    page = ops.get("/console/reseaux/beta/").content.decode()
    assert "Impayé" in page  # the audit log is on the page
    for _ in range(2):
        ops.post("/console/reseaux/beta/reprendre/")
    with schema_context("public"):
        assert Tenant.objects.get(slug="beta").status == Tenant.Status.ACTIVE
        assert AuditEntry.objects.filter(tenant_slug="beta", action="resume").count() == 1


def test_a_long_reason_is_refused_with_what_was_typed(ops, other_tenant):
    reason = "x" * 1_000_000
    response = ops.post("/console/reseaux/beta/suspendre/", {"reason": reason})
    assert response.status_code == 400
    assert response.context["suspend_form"].errors["reason"]
    with schema_context("public"):
        assert Tenant.objects.get(slug="beta").status == Tenant.Status.ACTIVE


def test_actions_need_the_csrf_token(operator, other_tenant):
    with schema_context("public"):
        client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
        client.force_login(operator)
    assert client.post("/console/reseaux/beta/suspendre/").status_code == 403
    assert client.get("/console/reseaux/beta/suspendre/").status_code == 405
    with schema_context("public"):
        assert Tenant.objects.get(slug="beta").status == Tenant.Status.ACTIVE


def test_delete_asks_for_the_slug_then_for_an_export(ops, other_tenant, settings):
    response = ops.post("/console/reseaux/beta/supprimer/", {"confirmation": "alpha"})
    assert response.status_code == 400
    assert response.context["delete_form"]["confirmation"].value() == "alpha"  # kept
    assert response.context["delete_form"].errors["confirmation"]
    response = ops.post("/console/reseaux/beta/supprimer/", {"confirmation": "beta"})
    assert response.status_code == 400
    assert "export" in " ".join(str(m) for m in response.context["messages"])
    with schema_context("public"):
        assert Tenant.objects.filter(slug="beta").exists()
        assert not AuditEntry.objects.filter(action="delete").exists()


def test_the_export_runs_as_a_job_one_waiting_at_a_time(ops, other_tenant):
    with schema_context("public"):
        queue = JobQueue()
        with committed():
            ops.post("/console/reseaux/beta/exporter/")
            response = ops.post("/console/reseaux/beta/exporter/", follow=True)
        # The second is told one is waiting already, and nothing more is queued.
        assert [m.level_tag for m in response.context["messages"]] == ["success", "info"]
        assert queue.names() == ["shared_apps.console.jobs.network_export"]
        assert queue.run() == ["shared_apps.console.jobs.network_export"]
        export = Export.objects.get(tenant__slug="beta")
        assert export.size_bytes > 0
        assert AuditEntry.objects.get(action="export").actor == "console-ops"
    assert ops.get("/console/reseaux/beta/").context["exports"] == [export]


def test_a_grace_extension_sent_twice_extends_once(ops, other_tenant):
    until = timezone.now() + datetime.timedelta(days=2)
    with schema_context("public"):
        subscription, _ = Subscription.objects.update_or_create(
            organization=other_tenant.organization,
            defaults={"plan": Plan.objects.exclude(price_cents=0).first(),
                      "status": Subscription.Status.PAST_DUE, "grace_until": until,
                      "past_due_since": timezone.now()},
        )  # fmt: skip
    form = {"days": "5", "seen": until.isoformat()}
    assert ops.post("/console/reseaux/beta/delai-de-grace/", form).status_code == 302
    again = ops.post("/console/reseaux/beta/delai-de-grace/", form)
    assert again.status_code == 400
    subscription.refresh_from_db()
    assert subscription.grace_until == until + datetime.timedelta(days=5)
    with schema_context("public"):
        assert AuditEntry.objects.filter(tenant_slug="beta", action="grace_extend").count() == 1
    for bad in ({"days": "0"}, {"days": "x"}, {"days": "5", "seen": "not a date"}):
        assert ops.post("/console/reseaux/beta/delai-de-grace/", bad).status_code == 400


def test_a_plan_change_to_the_same_plan_changes_nothing(ops, other_tenant):
    paid = Plan.objects.exclude(price_cents=0).first()
    assert ops.post("/console/reseaux/beta/offre/", {"plan": paid.code}).status_code == 302
    assert ops.post("/console/reseaux/beta/offre/", {"plan": paid.code}).status_code == 302
    assert ops.post("/console/reseaux/beta/offre/", {"plan": "inconnu"}).status_code == 400
    with schema_context("public"):
        assert Subscription.objects.get(organization=other_tenant.organization).plan == paid
        assert AuditEntry.objects.filter(tenant_slug="beta", action="plan_change").count() == 1
    assert f"→ {paid.code}" in ops.get("/console/reseaux/beta/").content.decode()


# --- Charts --------------------------------------------------------------------------------


def test_activity_counts_creations_and_active_networks_by_week(ops, tenant):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    with schema_context("public"):
        AuditEntry.objects.create(actor="signup", action="signup", tenant_slug="x")
        AuditEntry.objects.create(actor="ops", action="create", tenant_slug="y")
        UsageSnapshot.objects.create(
            tenant_id=tenant.pk, day=today, members=9, active_members=4, files_bytes=0,
            database_bytes=0, last_activity=timezone.now(),
        )  # fmt: skip
    weeks = selectors.weekly_activity()
    assert len(weeks) == 12 and weeks[-1].start == monday
    assert (weeks[-1].signups, weeks[-1].created) == (1, 1)
    assert (weeks[-1].active_networks, weeks[-1].active_members) == (1, 4)
    assert weeks[0].active_networks is None  # nothing counted then
    page = ops.get("/console/activite/").content.decode()
    assert 'data-chart="active-members"' in page and 'data-value="4"' in page
    assert page.count('<svg class="column-chart"') == 3 and 'role="img"' in page


def test_a_chart_scales_its_columns_to_the_highest():
    start = datetime.date(2026, 11, 2)
    chart = charts.column_chart("c", "C", "", "n", [
        (start, 0), (start + datetime.timedelta(weeks=1), 50),
        (start + datetime.timedelta(weeks=2), 100), (start + datetime.timedelta(weeks=3), None),
    ])  # fmt: skip
    heights = [column.height for column in chart.columns]
    assert heights == [0, charts.PLOT_HEIGHT // 2, charts.PLOT_HEIGHT, 0]
    assert [column.x for column in chart.columns] == ["3.75", "28.75", "53.75", "78.75"]
    assert chart.has_figures


def test_an_audit_entry_cannot_be_changed_once_written(db):
    with schema_context("public"):
        entry = AuditEntry.objects.create(actor="ops", action="suspend", tenant_slug="x")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else")
        entry.refresh_from_db()
        assert entry.actor == "ops"


@pytest.mark.django_db(transaction=True)
def test_two_operators_suspending_at_once_suspend_once():
    """Each request in its own thread and connection, as two gunicorn workers would."""
    with schema_context("public"):
        organization = Organization.objects.create(name="Asso course", slug="asso-course")
        network = Tenant.objects.create(
            schema_name="course", slug="course", name="Course", organization=organization,
            status=Tenant.Status.ACTIVE,
        )  # fmt: skip
    barrier = threading.Barrier(2)
    results = []

    def suspend(actor):
        try:
            connection.set_schema_to_public()
            barrier.wait()
            results.append(services.network_suspend(tenant=network, actor=actor, reason=""))
        finally:
            connection.close()

    threads = [threading.Thread(target=suspend, args=(f"ops-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    with schema_context("public"):
        assert AuditEntry.objects.filter(tenant_slug="course", action="suspend").count() == 1
