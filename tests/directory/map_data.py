"""Listings spread over France for the map's and the landscape's tests (public schema)."""

import itertools

from django.utils import timezone
from django.utils.text import slugify

from shared_apps.directory.models import Association, Initiative, Pathology, Review, Theme

_serial = itertools.count(1)


def pathology(name: str) -> Pathology:
    return Pathology.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def theme(name: str) -> Theme:
    return Theme.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def association(*, review=Review.PUBLISHED, pathologies=(), **fields) -> Association:
    n = next(_serial)
    row = Association.objects.create(
        name=fields.pop("name", f"Association fictive {n}"),
        slug=f"carte-asso-{n}",
        description="Association fictive pour les tests de la carte",
        review=review,
        published_at=timezone.now() if review == Review.PUBLISHED else None,
        **fields,
    )
    row.pathologies.set(pathologies)
    return row


def initiative(*, review=Review.PUBLISHED, pathologies=(), themes=(), **fields) -> Initiative:
    n = next(_serial)
    values = {
        "carrier": Initiative.Carrier.PATIENT,
        "form": Initiative.Form.VOLUNTEER,
        "motivation": "Rompre l'isolement",
        "success_text": "Le soutien des pairs",
        **fields,
    }
    row = Initiative.objects.create(
        title=values.pop("title", f"Initiative fictive {n}"),
        slug=f"carte-init-{n}",
        description="Initiative fictive pour les tests de la carte",
        review=review,
        published_at=timezone.now() if review == Review.PUBLISHED else None,
        **values,
    )
    row.pathologies.set(pathologies)
    row.themes.set(themes)
    return row


def spread(size: int, *, pathologies=()) -> None:
    """``size`` associations and ``size`` initiatives over every way a listing has a
    place: a région, départements, both, none (national), overseas; and as many rows that
    must never count (proposed, refused)."""
    from core import geo

    regions = list(geo.REGIONS)
    departments = list(geo.DEPARTMENT_REGION)
    for i in range(size):
        region = regions[(i // 2) % len(regions)]
        department = departments[(i * 7) % len(departments)]
        shape = i % 4
        association(
            regions=[region] if shape in (0, 2) else [],
            departments=[department, departments[(i * 3) % len(departments)]]
            if shape in (1, 2)
            else [],
            pathologies=pathologies[: i % (len(pathologies) + 1)],
        )
        initiative(
            region=geo.DEPARTMENT_REGION[department] if shape != 3 else "",
            department=department if shape == 1 else "",
            form=Initiative.Form.values[i % 4],
            carrier=Initiative.Carrier.values[(i // 2) % 4],
            success_factors=Initiative.SuccessFactor.values[: i % 4],
            pathologies=pathologies[: (i + 1) % (len(pathologies) + 1)],
        )
        association(regions=[region], review=(Review.PROPOSED, Review.REFUSED)[i % 2])
        initiative(region=region, review=(Review.PROPOSED, Review.REFUSED)[i % 2])
