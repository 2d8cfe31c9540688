"""The demo's directory (``manage.py directory seed``): enough listings over every région,
clearly fictitious, the same on every run, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from core import geo
from shared_apps.directory import seeds, selectors
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Review,
)
from shared_apps.directory.selectors import Filters

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Association.objects.count(),
        Initiative.objects.count(),
        Resource.objects.count(),
        DirectoryEvent.objects.count(),
        Association.pathologies.through.objects.count(),
        Initiative.themes.through.objects.count(),
    )


def test_the_demo_directory_covers_every_region_once_however_often_it_runs():
    call_command("directory", "seed", stdout=io.StringIO())
    first = counts()
    published = Association.objects.filter(review=Review.PUBLISHED)
    assert published.count() >= 600
    assert Initiative.objects.filter(review=Review.PUBLISHED).count() >= 200
    assert Resource.objects.filter(published=True).count() >= 10
    assert DirectoryEvent.objects.filter(tenant=None, review=Review.PUBLISHED).count() >= 10
    # Every région, overseas included, has associations and initiatives to list.
    for region in geo.REGIONS:
        filters = Filters(regions=(region,))
        assert selectors.listings("association", filters).exists(), region
        assert selectors.listings("initiative", filters).exists(), region
    # Fictitious and unreachable: no real association's name, address or RNA number.
    assert not published.exclude(name__startswith="Association fictive ").exists()
    assert not published.exclude(website__endswith=".example").exists()
    assert not published.exclude(rna__startswith="W000").exists()
    # Approvals end, some listings are out of date, a few proposals wait for review.
    assert published.exclude(approval="").filter(approval_ends__isnull=True).count() == 0
    assert published.exclude(approval="").exists()
    assert sum(a.is_outdated() for a in published) >= 50
    assert Association.objects.filter(review=Review.PROPOSED).count() == seeds.PROPOSED
    # Found by the search, and resources rendered from their Markdown, headings from h2.
    assert selectors.listings("association", Filters(q="armor")).exists()
    assert Association.objects.filter(search_vector__isnull=True).count() == 0
    assert all("<h2>" in r.body_html for r in Resource.objects.all())
    assert Pathology.objects.count() == len(seeds.PATHOLOGIES)

    call_command("directory", "seed", stdout=io.StringIO())
    assert counts() == first


def test_the_plan_is_the_same_on_every_run():
    ids = {name: n for n, name in enumerate(seeds.PATHOLOGIES)}
    assert seeds.associations_plan(ids) == seeds.associations_plan(ids)
    slugs = [row["slug"] for row in seeds.associations_plan(ids)]
    assert len(set(slugs)) == len(slugs) == seeds.ASSOCIATIONS
    assert {row["regions"][0] for row in seeds.associations_plan(ids) if row["regions"]} == set(
        geo.REGIONS
    )
