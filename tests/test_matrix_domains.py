"""Authorization matrix of the network's domains (/association/domaines/): admins only.

Domains are rows of the public schema, which the matrices' snapshot of the network's schema
does not see: every refusal here also shows that no domain and no platform audit entry
changed. Another network's domain, asked for by id, is a 404 for the admin too.
"""

import pytest
from django_tenants.utils import schema_context

from tenants.models import AuditEntry, Domain
from tests import matrix
from tests.matrix import ADMIN, Route, cases, check
from tests.tenants import fakedns

pytestmark = pytest.mark.django_db
role_accounts = matrix.role_accounts
fake_dns, zone = fakedns.fake_dns, fakedns.zone
PAGE = "/association/domaines/"


@pytest.fixture
def world(shared_world, tenant):
    """alpha's platform address, a domain waiting for its record and a verified one (the
    browser sweep builds its world with this fixture too: it takes only what the sweep
    gives)."""
    world = shared_world
    with schema_context("public"):
        world.pending = Domain.objects.create(
            domain="attente.fr", tenant=tenant, is_primary=False, verification_token="p" * 32
        )
        world.verified = Domain.objects.create(
            domain="verifie.fr", tenant=tenant, is_primary=False, verified=True,
            verification_token="v" * 32,
        )  # fmt: skip
    return world


@pytest.fixture
def theirs(other_tenant):
    """beta's own custom domain, verified."""
    with schema_context("public"):
        return Domain.objects.create(
            domain="autre-reseau.fr", tenant=other_tenant, is_primary=False, verified=True,
            verification_token="t" * 32,
        )  # fmt: skip


@pytest.fixture(autouse=True)
def published(world, theirs, zone):
    """Every custom domain's records are in the DNS: an admin's check finds them."""
    for domain in (world.pending, world.verified, theirs):
        zone.txt(f"_entraide.{domain.domain}", domain.verification_token)
        zone.add(domain.domain, "CNAME", fakedns.CNAME_TARGET)


def public_snapshot() -> tuple:
    with schema_context("public"):
        return (
            list(Domain.objects.order_by("pk").values_list()),
            list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
        )


def _lists_alpha_only(response, world, role):
    page = response.content.decode()
    assert "alpha.localhost" in page and "attente.fr" in page and "verifie.fr" in page
    assert "p" * 32 in page  # the record to create is shown
    assert "autre-reseau.fr" not in page and "beta.localhost" not in page


def _row(pk):
    with schema_context("public"):
        return Domain.objects.filter(pk=pk).first()


def _checked(response, world, role):
    assert _row(world.pending.pk).verified  # its record is in the zone


def _primary(response, world, role):
    assert _row(world.verified.pk).is_primary
    assert not Domain.objects.get(domain="alpha.localhost").is_primary


def _removed(response, world, role):
    assert _row(world.pending.pk) is None


def _added(response, world, role):
    with schema_context("public"):
        added = Domain.objects.get(domain="nouveau-reseau.fr")
    assert added.tenant_id == world.pending.tenant_id and not added.verified


ROUTES = {
    "members_admin:domains": Route("get", lambda w: PAGE, ADMIN, check=_lists_alpha_only),
    "members_admin:domain_verify": Route(
        "post", lambda w: f"{PAGE}{w.pending.pk}/verifier/", ADMIN, status=302, check=_checked
    ),
    "members_admin:domain_primary": Route(
        "post", lambda w: f"{PAGE}{w.verified.pk}/principal/", ADMIN, status=302, check=_primary
    ),
    "members_admin:domain_remove": Route(
        "post", lambda w: f"{PAGE}{w.pending.pk}/supprimer/", ADMIN, status=302, check=_removed
    ),
}
# The page's form, posted: the same route as the page.
ADD = {
    "members_admin:domains": Route(
        "post",
        lambda w: PAGE,
        ADMIN,
        status=302,
        data=lambda w: {"domain": "nouveau-reseau.fr"},
        check=_added,
    )
}


def _check(routes, route, role, client_as, world):
    before = public_snapshot()
    check(routes, route, role, client_as, world)
    if role not in routes[route].allowed:
        assert public_snapshot() == before


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_domains_matrix(client_as, world, route, role):
    _check(ROUTES, route, role, client_as, world)


@pytest.mark.parametrize(("route", "role"), cases(ADD))
def test_domain_add_matrix(client_as, world, route, role):
    _check(ADD, route, role, client_as, world)


@pytest.mark.parametrize("action", ["verifier", "principal", "supprimer"])
def test_another_networks_domain_is_404_for_the_admin_and_nothing_changes(
    client_as, world, theirs, zone, action
):
    before = public_snapshot()
    zone.queries.clear()

    response = client_as("admin").post(f"{PAGE}{theirs.pk}/{action}/")

    assert response.status_code == 404
    assert public_snapshot() == before
    assert zone.queries == []  # not even looked up
