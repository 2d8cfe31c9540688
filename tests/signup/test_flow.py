"""Sign-up from the server's side: the steps before the form, the form, the job that creates
the network, the progress page and the one-time link into the new network as its admin;
one more network later; a double submit; a failure told in words."""

import html

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext
from django_tenants.utils import schema_context, tenant_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan, Subscription
from shared_apps.signup import selectors, services
from shared_apps.signup.models import SignupRequest
from tenant_apps.members.models import Member, Role
from tenants.models import AuditEntry, Organization, Tenant
from tests.jobs import JobQueue, committed
from tests.signup.factories import PASSWORD, form_data, platform_client, representative

pytestmark = pytest.mark.django_db

JOB = "shared_apps.signup.jobs.network_create"


@pytest.fixture
def public(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        yield


def submit(client, path: str, data: dict):
    queue = JobQueue()
    with committed():
        response = client.post(path, data)
    return response, queue


def test_a_representative_creates_a_network_and_enters_it_as_its_admin(public):
    rep = representative("rep-flow")
    client = platform_client(rep)
    start = client.get("/inscription/")
    assert start.status_code == 200 and start.context["ready"]
    assert client.get("/inscription/reseau/").status_code == 200

    response, queue = submit(client, "/inscription/reseau/", form_data("poumon-flow"))
    signup = SignupRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inscription/{signup.pk}/"
    assert (signup.status, signup.subdomain, signup.account) == ("queued", "poumon-flow", rep)
    assert signup.organization.name == "Association poumon-flow"
    assert queue.names() == [JOB]
    waiting = client.get(f"/inscription/{signup.pk}/")
    # htmx asks again every second; without JavaScript the page refreshes itself.
    assert b'hx-trigger="every 1s"' in waiting.content
    assert b'http-equiv="refresh"' in waiting.content
    # While nothing changes, the polling gets "204 No Content": the live region says nothing.
    assert client.get(f"/inscription/{signup.pk}/etat/?vu=queued").status_code == 204

    assert queue.run("network_create") == [JOB]
    signup.refresh_from_db()
    tenant = Tenant.objects.get(slug="poumon-flow")
    assert (signup.status, signup.tenant, tenant.status) == ("ready", tenant, "active")
    assert tenant.organization == signup.organization
    assert AuditEntry.objects.filter(action="signup", tenant_slug="poumon-flow").count() == 1

    # The progress page: ready, polling stops, the one-time link into the network.
    status = client.get(f"/inscription/{signup.pk}/etat/?vu=queued")
    assert status.status_code == 200
    assert b'data-status="ready"' in status.content
    assert b"hx-trigger" not in status.content  # the poller, swapped out of band, stops
    link = status.context["handover_url"]
    entered = client.get(link)
    assert entered.status_code == 302
    invitation = entered["Location"]
    assert invitation.startswith(
        f"{settings.PLATFORM_URL_SCHEME}://poumon-flow.localhost/invitation/"
    )
    # Once only: the same link again goes back to the progress page, with a fresh one.
    again = client.get(link)
    assert again["Location"] == f"/inscription/{signup.pk}/"
    assert client.get(f"/inscription/{signup.pk}/").context["handover_url"] != link

    # On the new network's own domain: the invitation makes the representative its admin.
    schema_client = Client(HTTP_HOST="poumon-flow.localhost")
    path = invitation.split("localhost", 1)[1]
    assert schema_client.get(path).status_code == 200
    accepted = schema_client.post(
        path, {"username": "Camille", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert accepted.status_code == 302
    with tenant_context(tenant):
        admin = Member.objects.get(user__username="Camille")
        assert admin.role == Role.ADMIN
        assert admin.user.email == rep.email
    connection.set_schema_to_public()
    # The network answers on its domain.
    assert Client(HTTP_HOST="poumon-flow.localhost").get("/").status_code == 200


def test_steps_before_the_form(public):
    signed_out = platform_client()
    assert signed_out.get("/inscription/").context["missing"] == ["account", "email", "totp"]
    assert signed_out.get("/inscription/reseau/")["Location"] == (
        "/comptes/login/?next=/inscription/reseau/"
    )
    unverified = platform_client(representative("rep-unverified", verified=False))
    assert unverified.get("/inscription/").context["missing"] == ["email"]
    no_totp = platform_client(representative("rep-no-totp", totp=False))
    assert no_totp.get("/inscription/").context["missing"] == ["totp"]
    for client in (unverified, no_totp):
        response, queue = submit(client, "/inscription/reseau/", form_data("sans-etapes"))
        assert response["Location"] == "/inscription/"
        assert queue.names() == []
    assert not SignupRequest.objects.exists()


def test_a_double_submit_makes_one_request_and_one_job(public):
    client = platform_client(representative("rep-double"))
    first, queue = submit(client, "/inscription/reseau/", form_data("double"))
    second, _queue = submit(client, "/inscription/reseau/", form_data("double"))
    assert first["Location"] == second["Location"]
    assert SignupRequest.objects.count() == 1
    assert Organization.objects.filter(name="Association double").count() == 1
    assert queue.names() == [JOB]


def test_bad_input_gives_the_form_back_with_what_was_typed(public):
    client = platform_client(representative("rep-bad"))
    huge = "x" * 1_000_000
    response, queue = submit(
        client, "/inscription/reseau/", form_data("Bad-Input", organization_name=huge)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "organization_name" in form.errors
    assert form["subdomain"].value() == "Bad-Input"
    assert queue.names() == []
    response, _queue = submit(client, "/inscription/reseau/", form_data("admin"))
    assert response.status_code == 400
    assert "réservé" in " ".join(response.context["form"].errors["subdomain"])
    assert not SignupRequest.objects.exists()


def test_a_later_network_joins_the_organization_from_my_networks(public):
    rep = representative("rep-more")
    other = representative("rep-other")
    client = platform_client(rep)
    submit(client, "/inscription/reseau/", form_data("premier"))
    first = SignupRequest.objects.get()
    # Someone else's organization does not exist for them.
    assert (
        platform_client(other).get(f"/mes-reseaux/{first.organization_id}/nouveau/").status_code
        == 404
    )
    # My networks says so before anyone tries: the free plan's one network is taken.
    [row] = client.get("/mes-reseaux/").context["organizations"]
    assert (row.used, row.allowed, row.full) == (1, 1, True)
    data = {"network_name": "Réseau des aidants", "subdomain": "aidants-premier"}
    # The free plan allows one network: the form says so, and nothing is made.
    refused, queue = submit(client, f"/mes-reseaux/{first.organization_id}/nouveau/", data)
    assert refused.status_code == 400
    expected = ngettext(
        "Your plan allows %(max)d network and your organization has %(used)d. "
        "Choose a larger plan to add one.",
        "Your plan allows %(max)d networks and your organization has %(used)d. "
        "Choose a larger plan to add one.",
        1,
    ) % {"max": 1, "used": 1}
    assert refused.context["form"].non_field_errors() == [expected]
    assert SignupRequest.objects.count() == 1 and queue.names() == []
    # On a plan of three networks (billing records it), the second one is made.
    Subscription.objects.filter(organization_id=first.organization_id).update(
        plan=Plan.objects.get(code="association-mensuel"), status=Subscription.Status.ACTIVE
    )
    response, queue = submit(client, f"/mes-reseaux/{first.organization_id}/nouveau/", data)
    second = SignupRequest.objects.exclude(pk=first.pk).get()
    assert response["Location"] == f"/inscription/{second.pk}/"
    assert second.organization_id == first.organization_id
    assert Organization.objects.filter(name="Association premier").count() == 1
    assert queue.names() == [JOB]
    page = client.get("/mes-reseaux/")
    assert [[r.pk for r in row.requests] for row in page.context["organizations"]] == [
        [first.pk, second.pk]
    ]
    assert [(row.used, row.allowed) for row in page.context["organizations"]] == [(2, 3)]
    assert platform_client(other).get("/mes-reseaux/").context["organizations"] == []


def test_my_networks_reads_in_one_query_whatever_their_number(public):
    rep = representative("rep-many")
    organization = Organization.objects.create(name="Asso", slug="asso-many")

    def queries(count: int) -> int:
        for number in range(count):
            SignupRequest.objects.create(
                account=rep, organization=organization, network_name=f"R{count}-{number}",
                subdomain=f"many-{count}-{number}",
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert len(selectors.networks_of(rep)[0].requests) >= count
        return len(captured)

    assert queries(1) == queries(5) == 1


def test_a_failure_is_told_in_words_and_can_be_tried_again(public):
    client = platform_client(representative("rep-fail"))
    response, queue = submit(client, "/inscription/reseau/", form_data("prise"))
    signup = SignupRequest.objects.get()
    # An operator creates a network at this address before the job runs.
    Tenant.objects.create(
        schema_name="prise", slug="prise", name="Prise",
        organization=Organization.objects.create(name="Autre", slug="autre"),
    )  # fmt: skip
    queue.run("network_create")
    signup.refresh_from_db()
    assert signup.status == "failed"
    assert "prise" in signup.error and "Traceback" not in signup.error
    page = client.get(f"/inscription/{signup.pk}/")
    assert html.escape(signup.error) in page.content.decode()
    # Trying again with the address still taken says so, and changes nothing.
    retried, queue = submit(client, f"/inscription/{signup.pk}/reessayer/", {})
    assert retried.status_code == 302
    signup.refresh_from_db()
    assert signup.status == "failed" and queue.names() == []


def test_the_job_run_twice_creates_one_network(public):
    client = platform_client(representative("rep-twice"))
    submit(client, "/inscription/reseau/", form_data("deux-fois"))
    signup = SignupRequest.objects.get()
    assert services.request_provision(request_id=signup.pk) is not None
    assert services.request_provision(request_id=signup.pk) is None
    assert Tenant.objects.filter(slug="deux-fois").count() == 1


def test_the_handover_link_is_for_its_request_and_short_lived(public, settings):
    rep = representative("rep-handover")
    client = platform_client(rep)
    submit(client, "/inscription/reseau/", form_data("lien"))
    signup = SignupRequest.objects.get()
    services.request_provision(request_id=signup.pk)
    signup.refresh_from_db()
    old = signing.dumps({"r": signup.pk, "n": signup.handover_nonce}, salt=services.HANDOVER_SALT)
    forged = signing.dumps({"r": signup.pk, "n": "guess"}, salt=services.HANDOVER_SALT)
    for token in (forged, "not-a-token", old + "x"):
        response = client.get(f"/inscription/{signup.pk}/ouvrir/?jeton={token}")
        assert response["Location"] == f"/inscription/{signup.pk}/"
    # Too old: signed more than ten minutes ago.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "HANDOVER_MAX_AGE", -1)
        assert services.handover_use(request=signup, token=old) is None
    assert services.handover_use(request=signup, token=old).startswith(
        f"{settings.PLATFORM_URL_SCHEME}://lien.localhost/invitation/"
    )
