"""Demo networks and accounts, provisioned through the same services as real ones.

Each network's content (its spaces, members, forums, groups, articles and moderation queue)
is written in ``provisioning/demo_content/<network>.py``; each tenant app seeds its part
through ``<app>.seeds.demo_content`` and, once every app's content exists,
``<app>.seeds.demo_activity``. Seeding again changes nothing.
"""

import datetime
import random
import re
from collections.abc import Iterator
from io import BytesIO

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context
from PIL import Image, ImageDraw, ImageFont

from core.hooks import tenant_app_hooks
from provisioning import services
from provisioning.demo_content import coeur, onco, poumon, poumon_proches
from shared_apps.accounts.services import operator_create
from tenant_apps.forums.models import Category as ForumCategory
from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, Pathology, ProfileType, Role, Space
from tenant_apps.pro.care import seeds as care_seeds
from tenant_apps.pro.guidelines import seeds as guidelines_seeds
from tenant_apps.pro.rcp import seeds as rcp_seeds
from tenant_apps.pro.research import seeds as research_seeds
from tenant_apps.pro.verification import services as verification
from tenants.links import tenant_base_url
from tenants.services import branding_update as tenant_branding_update

DEMO_PASSWORD = "entraide-demo-2026"  # noqa: S105 - printed for the demo on purpose

# The legal notice each demo association writes (shown at /mentions-legales/), by network.
_HOSTING = (
    "Hébergement : plateforme Entraide, données hébergées en France chez un hébergeur "
    "certifié pour les données de santé (HDS).\n"
)
_PATIENTS_EN_RESEAU = (
    "{name} est édité par Patients en Réseau, association loi 1901 déclarée en préfecture du "
    "Rhône, 12 rue des Tilleuls, 69003 Lyon.\n"
    "Directrice de la publication : la présidente de l'association.\n"
    + _HOSTING
    + "Données personnelles : vous pouvez consulter, exporter ou supprimer vos données à tout "
    "moment depuis « Mon compte », ou écrire à l'adresse de contact de l'association."
)
_RESEAU_ONCO = (
    "Réseau onco Poitou est le site de Poitiers d'un réseau régional de cancérologie "
    "(association loi 1901), 2 rue de la Milétrie, 86000 Poitiers.\n"
    "Directrice de la publication : la coordinatrice médicale du réseau.\n"
    + _HOSTING
    + "Les informations publiées ne remplacent pas l'avis de votre équipe soignante."
)
_STENT_CARE = (
    "Stent.care est édité par l'association Stent.care, association loi 1901, 4 place du "
    "Marché, 35000 Rennes.\n"
    "Directeur de la publication : le président de l'association.\n"
    + _HOSTING
    + "Stent.care ne remplace pas l'avis de votre cardiologue : en cas de douleur dans la "
    "poitrine, appelez le 15."
)

DEMO_NETWORKS = (
    {
        "slug": "poumon",
        "name": "Mon réseau cancer du poumon",
        "organization_slug": "patients-en-reseau",
        "organization_name": "Patients en Réseau",
        "tagline": "Entraide entre personnes touchées par un cancer du poumon.",
        "primary_color": "#1f5f8b",
        "accent_color": "#8a3b12",
        "contact_email": "contact@patients-en-reseau.demo.invalid",
        "legal_notice": _PATIENTS_EN_RESEAU.format(name="Mon réseau cancer du poumon"),
        "content": poumon.CONTENT,
    },
    {
        "slug": "poumon-proches",
        "name": "Mon réseau cancer du poumon : proches",
        "organization_slug": "patients-en-reseau",
        "organization_name": "Patients en Réseau",
        "tagline": "Pour les proches aidants de personnes atteintes d'un cancer du poumon.",
        "primary_color": "#5b2a86",
        "accent_color": "#1f5f8b",
        "contact_email": "contact@patients-en-reseau.demo.invalid",
        "legal_notice": _PATIENTS_EN_RESEAU.format(name="Mon réseau cancer du poumon : proches"),
        "content": poumon_proches.CONTENT,
    },
    {
        "slug": "coeur",
        "name": "Stent.care : cœur et vaisseaux",
        "organization_slug": "stent-care",
        "organization_name": "Stent.care",
        "tagline": "Le réseau social des personnes vivant avec une maladie cardiovasculaire.",
        "primary_color": "#9b1c1f",
        "accent_color": "#1d5c4d",
        "contact_email": "bonjour@stent-care.demo.invalid",
        "legal_notice": _STENT_CARE,
        "content": coeur.CONTENT,
    },
    {
        "slug": "onco-poitou",
        "name": "Réseau onco Poitou",
        "organization_slug": "reseau-onco-nouvelle-aquitaine",
        "organization_name": "Réseau onco Nouvelle-Aquitaine",
        "tagline": "Patients, proches et soignants du réseau de cancérologie, site de Poitiers.",
        "primary_color": "#0f5e6e",
        "accent_color": "#7a3d8f",
        "contact_email": "contact@reseau-onco.demo.invalid",
        "legal_notice": _RESEAU_ONCO,
        "content": onco.CONTENT,
    },
)
# (pseudonym prefix, role, profile type): one account of each role per network, and a
# caregiver to show the separate spaces. A network's content may give an account another
# profile type (``account_profile_types``: the caregivers' network has no patients).
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
AVATAR_PIXELS = 256


def demo_seed(*, actor: str, progress: services.Progress) -> Iterator[str]:
    """Provision the demo networks, their accounts, members and content, and a platform
    operator; idempotent."""
    User = get_user_model()
    for network in DEMO_NETWORKS:
        network = dict(network)
        content = network.pop("content")
        introduction = {field: network.pop(field) for field in ("contact_email", "legal_notice")}
        creation = services.tenant_create(
            **network,
            admin_email=f"admin@{network['slug']}.demo.invalid",
            listed=True,
            actor=actor,
            progress=progress,
        )
        tenant = creation.tenant
        tenant_branding_update(tenant=tenant, **introduction)
        with tenant_context(tenant), transaction.atomic():
            _spaces_keep(content["spaces"])
            for name in content["pathologies"]:
                if not Pathology.objects.filter(name=name).exists():
                    members.pathology_create(name=name)
            profile_types = content.get("account_profile_types", {})
            accounts = {
                prefix: _account(
                    tenant.slug, prefix, role, profile_types.get(prefix, profile_type),
                    DEMO_PASSWORD,
                )
                for prefix, role, profile_type in DEMO_ACCOUNTS
            }  # fmt: skip
            accounts[REVIEWER[0]] = _account(tenant.slug, *REVIEWER, password=None)
            for profile in content["members"]:
                accounts[profile["key"]] = _member(tenant.slug, profile, accounts)
            # Each tenant app adds its demo content, then what happens once everything
            # exists (a report, approvals), idempotently.
            professional = content.get("audience") in ("professionals", "both")
            if professional:  # before the apps' members fill the plan's seats
                _professionals(tenant.slug, content, accounts)
            for hook in ("demo_content", "demo_activity"):
                for _app, seed in tenant_app_hooks("seeds", hook):
                    seed(accounts=accounts, content=content)
            if professional:
                _professional_areas(tenant.slug)
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


def _professionals(slug: str, content: dict, accounts: dict[str, Member]) -> None:
    """A network for professionals too: its audience and its verified professionals
    (verified by the medical reviewer, who has a second factor); idempotent."""
    reviewer = accounts[REVIEWER[0]]
    members.network_audience_update(
        actor=reviewer, audience=content["audience"], local_groups_open=False
    )
    for pseudonym, profession, specialty, workplace, rpps, real_name in onco.PROFESSIONALS:
        if get_user_model().objects.filter(username=pseudonym).exists():
            continue
        member = members.member_create(
            username=pseudonym, email=f"{pseudonym.lower()}@{slug}.demo.invalid",
            password=None, profile_type=onco.PROFESSIONAL_PROFILE,
        ).member  # fmt: skip
        for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
            members.consent_give(member=member, kind=kind)
        request = verification.verification_request_create(
            member=member, profession=profession, specialty=specialty, workplace=workplace,
            rpps=rpps, other_identifier="" if rpps else "ADELI 869999999",
        )  # fmt: skip
        verification.verification_verify(admin=reviewer, request_id=request.pk)
        if real_name:
            member.refresh_from_db()
            verification.real_name_set(member=member, show=True, real_name=real_name)


def _professional_areas(slug: str) -> None:
    """Each professional area's demo content (``tenant_apps.pro.<area>.seeds.seed``), once
    the network's other content exists; each is idempotent."""
    rng = random.Random(slug)  # noqa: S311 - the same demo on every run, no secret
    for area in (guidelines_seeds, rcp_seeds, care_seeds, research_seeds):
        area.seed(rng=rng)


def _spaces_keep(slugs: tuple[str, ...]) -> None:
    """Remove the default spaces this network does not have (the caregivers' network has no
    patients' space), with their still empty default forums."""
    for space in Space.objects.exclude(slug__in=slugs):
        ForumCategory.objects.filter(space=space, group=None, topics__isnull=True).delete()
        space.delete()


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


def _member(slug: str, profile: dict, accounts: dict[str, Member]) -> Member:
    """A demo member with a stated profile, created once: the role accounts (``key`` of
    DEMO_ACCOUNTS) are completed, others are created without a password (nobody signs in as
    them). Consents first, as on sign-up: pathologies need the health-data consent."""
    member = accounts.get(profile["key"])
    if member is None:
        user = get_user_model().objects.filter(username=profile["pseudonym"]).first()
        if user is not None:
            return user.member
        user = members.member_create(
            username=profile["pseudonym"],
            email=f"{profile['key']}@{slug}.demo.invalid",
            password=None,
            profile_type=profile["profile_type"],
        )
        member = user.member
    elif member.consents.exists():
        return member  # completed by an earlier run
    for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
        members.consent_give(member=member, kind=kind)
    members.profile_update(
        member=member,
        pathologies=list(Pathology.objects.filter(name__in=profile.get("pathologies", ()))),
        department=profile.get("department", ""),
        bio=profile.get("bio", ""),
        avatar=_avatar(member.display_name, profile["colour"]),
    )
    joined = timezone.now() - datetime.timedelta(days=profile.get("joined_days_ago", 90))
    Member.objects.filter(pk=member.pk).update(joined=joined)
    return member


def _avatar(name: str, colour: str) -> ContentFile:
    """A coloured disc with the pseudonym's initials, as a member would upload it (PNG);
    profile_update re-encodes it like any upload."""
    # "Gilles-Bzh" GB, "PapyJean" PJ, "Nadine_63" N: letters only, digits are no initials.
    words = re.findall(r"[^\W\d_]+", name)
    letters = [word[0] for word in words]
    if len(words) == 1:
        letters += [letter for letter in words[0][1:] if letter.isupper()]
    initials = "".join(letters[:2]).upper() or name[:1].upper()
    image = Image.new("RGB", (AVATAR_PIXELS, AVATAR_PIXELS), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, AVATAR_PIXELS - 8, AVATAR_PIXELS - 8), fill=colour)
    font = ImageFont.load_default(size=AVATAR_PIXELS // 3)
    middle = AVATAR_PIXELS // 2
    draw.text((middle, middle), initials, fill="white", font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="avatar.png")
