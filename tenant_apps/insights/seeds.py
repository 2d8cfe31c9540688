"""The demo's anonymous statistics (``demo_activity``, once every member exists): members who
agreed to be counted, and one published release, shared by its link and listed in the
platform directory.

A release needs enough consenting members for some figures to pass the threshold: the demo
adds members who consented (accounts nobody signs in to, as the demo's other members), in
three régions, as many as the network's plan still allows, and asks the demo's own members
to consent too. The release is published, shared and listed through the services, by the
demo's reviewer (an admin whose second factor is set up, as publishing requires). A network
that already has a release is left as it is, so seeding again changes nothing.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tenant_apps.insights import services
from tenant_apps.insights.models import Release
from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, Pathology, ProfileType

# (pseudonym, département): where the consenting members live — Auvergne-Rhône-Alpes and
# Île-de-France pass the threshold, Bretagne's few are hidden.
FIRST_NAMES = (
    "Aline", "Bruno", "Chantal", "Didier", "Elise", "Fabrice", "Gisele", "Herve", "Ines",
    "Jacques", "Karine", "Lucien", "Martine", "Noel", "Odile", "Pascal", "Quentin", "Rosine",
    "Serge", "Therese", "Ulysse", "Valerie", "William", "Yvette", "Zoe", "Arnaud", "Brigitte",
    "Cedric", "Denise", "Etienne", "Florence", "Gaston",
)  # fmt: skip
DEPARTMENTS = ("69", "38", "75", "92", "69", "93", "42", "75", "35", "73", "94", "01")
TITLE = "Nos membres par région en {year}"


def _consenting_members(slug: str, content: dict) -> None:
    pathologies = list(Pathology.objects.filter(name__in=content.get("pathologies", ())))
    caregivers_only = "patients" not in content.get("spaces", ("patients",))
    for index, name in enumerate(FIRST_NAMES):
        username = f"{name}{index + 10}"
        if Member.objects.filter(user__username=username).exists():
            continue
        try:
            member = members.member_create(
                username=username,
                email=f"stats{index}@{slug}.demo.invalid",
                password=None,
                profile_type=ProfileType.CAREGIVER if caregivers_only else ProfileType.PATIENT,
            ).member
        except ValidationError as error:
            if {"username", "email"} & set(getattr(error, "error_dict", {})):
                continue  # a look-alike pseudonym: the next one
            break  # the plan's seats are taken: enough members for the demo
        for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA, Consent.Kind.STATISTICS):
            members.consent_give(member=member, kind=kind)
        members.profile_update(
            member=member,
            pathologies=pathologies[index % len(pathologies) : index % len(pathologies) + 1]
            if pathologies
            else [],
            department=DEPARTMENTS[index % len(DEPARTMENTS)],
        )


def _publish(publisher: Member) -> Release:
    """The year's release by région, published, then shared and listed (which defers the
    directory's copy on commit)."""
    today = timezone.localdate()
    params = services.params_clean(
        measure="members",
        dimensions=["region"],
        period_start=datetime.date(today.year, 1, 1),
        period_end=today.replace(day=1),
        threshold=10,
        epsilon=Decimal("1.00"),
    )
    release = services.release_publish(
        member=publisher, title=TITLE.format(year=today.year), params=params
    )
    return services.release_list_in_directory(member=publisher, release=release, listed=True)


@transaction.atomic
def demo_activity(*, accounts: dict[str, Member], content: dict) -> None:
    """Consenting members and a shared, listed release, once (see the module)."""
    if Release.objects.exists():
        return
    slug = connection.tenant.slug  # type: ignore[attr-defined]
    # The demo's own members agree to be counted too, but not the staff's accounts.
    for key, member in accounts.items():
        if key not in ("admin", "modo", "relecture") and member.user_id is not None:
            members.consent_give(member=member, kind=Consent.Kind.STATISTICS)
    _consenting_members(slug, content)
    _publish(accounts.get("relecture") or accounts["admin"])
