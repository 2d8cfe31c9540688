"""Demo networks and accounts, provisioned through the same services as real ones."""

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import schema_context, tenant_context

from provisioning import services
from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tenants.links import tenant_base_url

DEMO_PASSWORD = "entraide-demo-2026"  # noqa: S105 - printed for the demo on purpose

DEMO_NETWORKS = (
    {
        "slug": "poumon",
        "name": "Mon réseau cancer du poumon",
        "organization_slug": "patients-en-reseau",
        "organization_name": "Patients en Réseau",
        "tagline": "Entraide entre personnes touchées par un cancer du poumon.",
        "primary_color": "#1f5f8b",
        "accent_color": "#8a3b12",
    },
    {
        "slug": "poumon-proches",
        "name": "Mon réseau cancer du poumon : proches",
        "organization_slug": "patients-en-reseau",
        "organization_name": "Patients en Réseau",
        "tagline": "Pour les proches aidants de personnes atteintes d'un cancer du poumon.",
        "primary_color": "#5b2a86",
        "accent_color": "#1f5f8b",
    },
    {
        "slug": "coeur",
        "name": "Stent.care : cœur et vaisseaux",
        "organization_slug": "stent-care",
        "organization_name": "Stent.care",
        "tagline": "Le réseau social des personnes vivant avec une maladie cardiovasculaire.",
        "primary_color": "#9b1c1f",
        "accent_color": "#1d5c4d",
    },
)
# (pseudonym prefix, role): one account of each role per network.
DEMO_ACCOUNTS = (("admin", Role.ADMIN), ("modo", Role.MODERATOR), ("membre", Role.MEMBER))
OPERATOR = "operateur"


def demo_seed(*, actor: str, progress: services.Progress) -> Iterator[str]:
    """Provision the demo networks, their accounts and a platform operator; idempotent."""
    User = get_user_model()
    for network in DEMO_NETWORKS:
        creation = services.tenant_create(
            **network,
            admin_email=f"admin@{network['slug']}.demo.invalid",
            listed=True,
            actor=actor,
            progress=progress,
        )
        tenant = creation.tenant
        with tenant_context(tenant), transaction.atomic():
            for prefix, role in DEMO_ACCOUNTS:
                username = f"{prefix}-{tenant.slug}"
                if not User.objects.filter(username=username).exists():
                    members.member_create(
                        username=username,
                        email=f"{username}@demo.invalid",
                        password=DEMO_PASSWORD,
                        role=role,
                    )
        yield f"{network['name']}: {tenant_base_url(tenant)}/"
        accounts = ", ".join(f"{prefix}-{tenant.slug}" for prefix, _role in DEMO_ACCOUNTS)
        yield f"    logins: {accounts} (password {DEMO_PASSWORD})"
    with schema_context("public"):
        if not User.objects.filter(username=OPERATOR).exists():
            User.objects.create_superuser(
                username=OPERATOR, email="operateur@demo.invalid", password=DEMO_PASSWORD
            )
    yield f"Operators' admin: /admin/ on the platform domain, login {OPERATOR} ({DEMO_PASSWORD})"
