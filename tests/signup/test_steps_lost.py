"""A representative who loses a step after asking (removes their authenticator app, or their
email address is no longer verified) may no longer pay, try again or enter the network with
the one-time link: each is sent to the steps, as the form sends them, and nothing changes.
The progress page shows no link into the network until the steps are done again."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.billing.models import Plan
from shared_apps.signup import access, services
from shared_apps.signup.models import SignupRequest
from tenants.models import Organization, Tenant
from tests.fixtures import db_snapshot
from tests.jobs import JobQueue, committed
from tests.signup.factories import platform_client, representative

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lost", [access.STEP_TOTP, access.STEP_EMAIL])
def test_a_representative_who_lost_a_step_is_sent_back_to_the_steps(db, seeded_plans, lost):
    with schema_context("public"):
        provisioning.platform_ensure()
        rep = representative("rep-lost")
        org = Organization.objects.create(name="Asso perdue", slug="asso-perdue")
        network = Tenant.objects.create(
            schema_name="perdu", slug="perdu", name="Perdu", organization=org
        )
        ready = SignupRequest.objects.create(
            account=rep, organization=org, network_name="Réseau perdu", subdomain="perdu",
            status=SignupRequest.Status.READY, tenant=network,
            invitation_url="/invitation/cle-perdue/", handover_nonce="nonce-perdu",
        )  # fmt: skip
        failed = SignupRequest.objects.create(
            account=rep, organization=org, network_name="Réseau échoué",
            subdomain="echec-perdu", status=SignupRequest.Status.FAILED, error="Erreur.",
        )  # fmt: skip
        paying = SignupRequest.objects.create(
            account=rep, organization=org, network_name="Réseau payant",
            subdomain="payant-perdu", plan=Plan.objects.get(code="association-mensuel"),
            status=SignupRequest.Status.AWAITING_PAYMENT,
        )  # fmt: skip
        client = platform_client(rep)
        # While every step was done, the page gave a link into the network.
        assert client.get(f"/inscription/{ready.pk}/").context["handover_url"]
        token = services.handover_token(request=ready)

        if lost == access.STEP_TOTP:
            Authenticator.objects.filter(user=rep, type=Authenticator.Type.TOTP).delete()
        else:
            EmailAddress.objects.filter(user=rep).update(verified=False)
        assert access.steps_missing(rep) == [lost]

        before = db_snapshot()
        queue = JobQueue()
        with committed():
            refused = [
                client.get(f"/inscription/{ready.pk}/ouvrir/?jeton={token}"),
                client.post(f"/inscription/{failed.pk}/reessayer/"),
                client.post(f"/inscription/{paying.pk}/paiement/"),
            ]
        for response in refused:
            assert (response.status_code, response["Location"]) == (302, "/inscription/")
        # One message per refusal, none shown yet.
        assert {m.message for m in get_messages(refused[-1].wsgi_request)} == {
            gettext("A few steps remain before you can create your network.")
        }
        # No link used, no creation queued, no payment started: nothing changed.
        after = db_snapshot()
        before.pop("django_session"), after.pop("django_session")
        assert after == before
        assert queue.names() == []

        # The progress page (and its polled block) gives no link, and sends to the steps.
        for path in (f"/inscription/{ready.pk}/", f"/inscription/{ready.pk}/etat/"):
            page = client.get(path)
            assert page.status_code == 200
            assert "handover_url" not in page.context
            assert page.context["steps_missing"] == [lost]
            assert b"/ouvrir/" not in page.content and b'href="/inscription/"' in page.content
        steps = client.get("/inscription/")
        assert steps.context["missing"] == [lost]

        # The step done again: the link is offered again (the old one was never used).
        if lost == access.STEP_TOTP:
            TOTP.activate(rep, generate_totp_secret())
        else:
            EmailAddress.objects.filter(user=rep).update(verified=True)
        assert client.get(f"/inscription/{ready.pk}/").context["handover_url"]
        ready.refresh_from_db()
        assert ready.handover_nonce == "nonce-perdu"
