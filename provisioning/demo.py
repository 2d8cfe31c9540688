"""Demo networks and accounts, provisioned through the same services as real ones."""

from collections.abc import Iterator

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import schema_context, tenant_context

from core.hooks import tenant_app_hooks
from provisioning import services
from shared_apps.accounts.services import operator_create
from tenant_apps.members import services as members
from tenant_apps.members.models import Pathology, ProfileType, Role
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
        "pathologies": (
            "Cancer du poumon non à petites cellules",
            "Cancer du poumon à petites cellules",
            "Mésothéliome",
        ),
    },
    {
        "slug": "poumon-proches",
        "name": "Mon réseau cancer du poumon : proches",
        "organization_slug": "patients-en-reseau",
        "organization_name": "Patients en Réseau",
        "tagline": "Pour les proches aidants de personnes atteintes d'un cancer du poumon.",
        "primary_color": "#5b2a86",
        "accent_color": "#1f5f8b",
        "pathologies": (
            "Cancer du poumon non à petites cellules",
            "Cancer du poumon à petites cellules",
        ),
    },
    {
        "slug": "coeur",
        "name": "Stent.care : cœur et vaisseaux",
        "organization_slug": "stent-care",
        "organization_name": "Stent.care",
        "tagline": "Le réseau social des personnes vivant avec une maladie cardiovasculaire.",
        "primary_color": "#9b1c1f",
        "accent_color": "#1d5c4d",
        "pathologies": (
            "Infarctus du myocarde",
            "Angor (angine de poitrine)",
            "Insuffisance cardiaque",
            "Artériopathie des membres inférieurs",
            "Pose de stent",
        ),
    },
)
# (pseudonym prefix, role, profile type): one account of each role per network, and a
# caregiver to show the separate spaces.
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, ProfileType.VOLUNTEER),
    ("modo", Role.MODERATOR, ProfileType.FORMER_PATIENT),
    ("membre", Role.MEMBER, ProfileType.PATIENT),
    ("proche", Role.MEMBER, ProfileType.CAREGIVER),
)
OPERATOR = "operateur"
# Who writes and reviews the demo's articles: the association's medical reviewer, an admin
# whose second factor is already set up (publishing health information requires it). Its
# secret is thrown away: nobody signs in as this account, it only signs the articles.
REVIEWER = ("relecture", Role.ADMIN, ProfileType.VOLUNTEER)


def demo_seed(*, actor: str, progress: services.Progress) -> Iterator[str]:
    """Provision the demo networks, their accounts and a platform operator; idempotent."""
    User = get_user_model()
    for network in DEMO_NETWORKS:
        network = dict(network)
        pathologies = network.pop("pathologies")
        creation = services.tenant_create(
            **network,
            admin_email=f"admin@{network['slug']}.demo.invalid",
            listed=True,
            actor=actor,
            progress=progress,
        )
        tenant = creation.tenant
        with tenant_context(tenant), transaction.atomic():
            for name in pathologies:
                if not Pathology.objects.filter(name=name).exists():
                    members.pathology_create(name=name)
            accounts = {
                prefix: _account(tenant.slug, prefix, role, profile_type, DEMO_PASSWORD)
                for prefix, role, profile_type in DEMO_ACCOUNTS
            }
            accounts[REVIEWER[0]] = _account(tenant.slug, *REVIEWER, password=None)
            # Each tenant app may add demo content (seeds.demo_content), idempotently.
            for _app, seed in tenant_app_hooks("seeds", "demo_content"):
                seed(accounts=accounts)
        yield f"{network['name']}: {tenant_base_url(tenant)}/"
        accounts = ", ".join(f"{prefix}-{tenant.slug}@demo.invalid" for prefix, *_ in DEMO_ACCOUNTS)
        yield f"    sign in with: {accounts} (password {DEMO_PASSWORD})"
    with schema_context("public"):
        if not User.objects.filter(username=OPERATOR).exists():
            operator_create(
                username=OPERATOR, email="operateur@demo.invalid", password=DEMO_PASSWORD
            )
    yield (
        f"Operators' admin: /admin/ on the platform domain, sign in with operateur@demo.invalid "
        f"({DEMO_PASSWORD}); moderators, admins and operators set up TOTP at first sign-in"
    )


def _account(slug: str, prefix: str, role: str, profile_type: str, password: str | None):
    """A demo member of this network, created once. Without a password, nobody signs in as
    it: it gets a second factor whose secret is thrown away (the reviewer)."""
    username = f"{prefix}-{slug}"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = members.member_create(
            username=username,
            email=f"{username}@demo.invalid",
            password=password,
            role=role,
            profile_type=profile_type,
        )
        if password is None:
            TOTP.activate(user, generate_totp_secret())
    return user.member
