"""Customer associations: the listing created at provisioning when the association opts in,
kept in step with its organization (name) and its listed, active networks (name, tagline,
colour, address on the primary domain) by the sync job; a network unlisted, suspended or
deleted leaves the listing, and the job changes nothing when run again."""

import pytest
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from shared_apps.directory import jobs
from shared_apps.directory.models import Association, AssociationNetwork, Review
from shared_apps.directory.services import directory_network_remove
from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tests.jobs import JobQueue, committed
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def listing(organization_id) -> Association:
    with schema_context("public"):
        return Association.objects.get(organization_id=organization_id)


def networks(association) -> list[tuple]:
    with schema_context("public"):
        return list(
            AssociationNetwork.objects.filter(association=association)
            .order_by("name")
            .values_list("name", "tagline", "primary_color", "url")
        )


def sync(organization_id) -> None:
    jobs.customer_sync.func.__wrapped__(organization_id=organization_id)


def test_the_listing_is_created_at_provisioning_only_when_the_association_opts_in(make_tenant):
    listed = make_tenant(
        "souffle", listed=True, tagline="Respirer ensemble", directory_listing=True
    )
    quiet = make_tenant("discret", listed=True)
    association = listing(listed.organization_id)
    assert (association.name, association.review) == ("asso-souffle", Review.PUBLISHED)
    assert association.description == "Respirer ensemble"
    assert networks(association) == [
        ("Réseau souffle", "Respirer ensemble", listed.branding.primary_color,
         "https://souffle.localhost/"),
    ]  # fmt: skip
    with schema_context("public"):
        assert not Association.objects.filter(organization_id=quiet.organization_id).exists()


def test_rename_unlist_suspend_resume_and_removal_are_followed(make_tenant):
    first = make_tenant("souffle", listed=True, directory_listing=True)
    # A second network of the same organization, not listed on the platform: not shown.
    second = make_tenant("aidants", listed=False, organization_slug="asso-souffle")
    association = listing(first.organization_id)
    assert [n[0] for n in networks(association)] == ["Réseau souffle"]

    with schema_context("public"):
        organization = first.organization
        organization.name = "Souffle France"
        organization.save()
        second.listed = True
        second.save()
    sync(first.organization_id)
    sync(first.organization_id)  # idempotent
    assert listing(first.organization_id).name == "Souffle France"
    assert [n[0] for n in networks(association)] == ["Réseau aidants", "Réseau souffle"]

    second.listed = False
    with schema_context("public"):
        second.save()
    sync(first.organization_id)
    assert [n[0] for n in networks(association)] == ["Réseau souffle"]

    provisioning.tenant_suspend(slug="souffle", actor="test")
    assert networks(association) == []  # at once, and the job agrees
    sync(first.organization_id)
    assert networks(association) == []
    provisioning.tenant_resume(slug="souffle", actor="test")
    assert [n[0] for n in networks(association)] == ["Réseau souffle"]

    # What tenant_delete calls before dropping the schema (which a test's transaction cannot).
    directory_network_remove(tenant=first)
    assert networks(association) == []
    # The association's own listing stays: it is the association's, not the network's.
    assert listing(first.organization_id).pk == association.pk


def test_a_branding_change_defers_the_sync_which_copies_it(make_tenant):
    network = make_tenant("souffle", listed=True, directory_listing=True)
    with tenant_context(network):
        admin = account("Alice", Role.ADMIN).member
        queue = JobQueue()
        with committed():
            members.branding_update(
                tenant=network, actor=admin, display_name="Souffle Bretagne",
                tagline="Près de chez vous", primary_color="#0b3d91",
            )  # fmt: skip
        assert queue.names() == ["shared_apps.directory.jobs.customer_sync"]
        queue.run()
    assert networks(listing(network.organization_id)) == [
        ("Souffle Bretagne", "Près de chez vous", "#0b3d91", "https://souffle.localhost/"),
    ]


def test_the_nightly_sweep_walks_every_customer_listing(make_tenant):
    network = make_tenant("souffle", listed=True, directory_listing=True)
    with schema_context("public"):
        AssociationNetwork.objects.all().delete()  # a missed change
    assert jobs.customers_sync_all() == 1
    assert [n[0] for n in networks(listing(network.organization_id))] == ["Réseau souffle"]
