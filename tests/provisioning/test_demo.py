"""``manage.py tenants demo``: the demo networks come up with their content, twice over."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from provisioning.demo import DEMO_NETWORKS
from tenant_apps.forums.models import Topic
from tenant_apps.knowledge.models import Article
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def contents() -> dict[str, tuple[int, int, set[str]]]:
    found = {}
    for network in DEMO_NETWORKS:
        with tenant_context(Tenant.objects.get(slug=network["slug"])):
            published = Article.objects.filter(status=Article.Status.PUBLISHED)
            found[network["slug"]] = (
                Topic.objects.count(),
                published.count(),
                set(published.values_list("reviewer__user__username", flat=True)),
            )
    return found


def test_the_demo_seeds_every_network_with_reviewed_articles_and_is_idempotent():
    call_command("tenants", "template")
    call_command("tenants", "demo")
    first = contents()
    for slug, (topics, articles, reviewers) in first.items():
        assert topics > 0 and articles > 0, slug
        # Publishing health information needs a second factor: the reviewer account has one.
        assert reviewers == {f"relecture-{slug}"}, slug

    call_command("tenants", "demo")
    assert contents() == first
