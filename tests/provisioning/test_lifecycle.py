"""The tenant lifecycle services, on a real PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists, tenant_context

from provisioning import services
from tenant_apps.members.models import Charter, Invitation, Role, Space
from tenant_apps.moderation.models import CrisisResource
from tenants.models import AuditEntry, Domain, Organization, Tenant

pytestmark = pytest.mark.django_db


def public_counts() -> dict[str, int]:
    with schema_context("public"):
        return {
            model.__name__: model.objects.count()
            for model in (Organization, Tenant, Domain, AuditEntry)
        }


def test_create_clones_the_template_seeds_defaults_and_invites_the_admin(
    make_tenant, django_capture_on_commit_callbacks
):
    creation = services.tenant_create(
        slug="poumon",
        name="Mon réseau cancer du poumon",
        organization_slug="patients-en-reseau",
        organization_name="Patients en Réseau",
        admin_email="Admin@Example.org",
        custom_domain="reseau-poumon.fr",
        actor="test",
    )
    tenant = creation.tenant
    assert creation.created
    assert tenant.status == Tenant.Status.ACTIVE
    assert schema_exists("poumon")
    assert tenant.branding.display_name == "Mon réseau cancer du poumon"
    domains = {d.domain: (d.is_primary, d.verified) for d in tenant.domains.all()}
    assert domains == {"poumon.localhost": (True, True), "reseau-poumon.fr": (False, False)}
    with tenant_context(tenant):
        assert list(Space.objects.values_list("name", flat=True)) == ["Patients", "Proches aidants"]
        assert Charter.objects.get().version == 1
        assert "3114" in CrisisResource.objects.values_list("phone", flat=True)
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role) == ("admin@example.org", Role.ADMIN)
    assert creation.invitation_url == f"https://poumon.localhost/invitation/{invitation.key}/"
    assert AuditEntry.objects.filter(action="create", tenant_slug="poumon").exists()


def test_create_is_idempotent(make_tenant):
    make_tenant("gamma")
    before = public_counts()
    again = services.tenant_create(
        slug="gamma",
        name="Réseau gamma",
        organization_slug="asso-gamma",
        admin_email="admin@gamma.example",
        actor="test",
    )
    assert not again.created
    assert public_counts() == before
    with tenant_context(again.tenant):
        assert Invitation.objects.count() == 1


def test_a_slug_of_another_organization_is_refused(make_tenant):
    make_tenant("gamma")
    with pytest.raises(services.ProvisioningError, match="déjà utilisé"):
        make_tenant("gamma", organization_slug="autre-asso")


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"slug": "public"}, "slug"),
        ({"slug": "www"}, "slug"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "Mon Réseau"}, "slug"),
        ({"slug": "ab"}, "slug"),
        ({"slug": "double--tiret"}, "slug"),
        ({"custom_domain": "pas un domaine"}, "custom_domain"),
        ({"custom_domain": "-bad.example.org"}, "custom_domain"),
        ({"admin_email": "pas-un-email"}, "admin_email"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(db, arguments, field):
    before = public_counts()
    values = {
        "slug": "valide",
        "name": "Réseau",
        "organization_slug": "asso",
        "admin_email": "admin@example.org",
        "actor": "test",
        **arguments,
    }
    with pytest.raises(ValidationError) as error:
        services.tenant_create(**values)
    assert list(error.value.message_dict) == [field]
    assert public_counts() == before


@pytest.mark.parametrize("failing_step", services.CREATE_STEPS)
def test_a_failure_at_any_step_leaves_nothing_behind(db, settings, failing_step):
    services.platform_ensure()
    before = public_counts()

    def progress(step: str) -> None:
        if step == failing_step:
            raise RuntimeError(f"injected failure at {step}")

    with pytest.raises(RuntimeError, match="injected"):
        services.tenant_create(
            slug="fragile",
            name="Réseau fragile",
            organization_slug="asso-fragile",
            admin_email="admin@fragile.example",
            actor="test",
            progress=progress,
        )
    assert public_counts() == before
    assert not schema_exists("fragile")
    assert not (settings.MEDIA_ROOT / "fragile").exists()


def test_suspend_and_resume_are_audited(make_tenant):
    make_tenant("gamma")
    services.tenant_suspend(slug="gamma", actor="operator:1", reason="impayé")
    assert Tenant.objects.get(slug="gamma").status == Tenant.Status.SUSPENDED
    services.tenant_resume(slug="gamma", actor="operator:1")
    assert Tenant.objects.get(slug="gamma").status == Tenant.Status.ACTIVE
    actions = list(AuditEntry.objects.filter(tenant_slug="gamma").values_list("action", flat=True))
    assert actions[:2] == ["resume", "suspend"]
    with pytest.raises(services.ProvisioningError):
        services.tenant_resume(slug="gamma", actor="operator:1")
    with pytest.raises(services.ProvisioningError):
        services.tenant_suspend(slug="inconnu", actor="operator:1")


def table_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY 1",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
