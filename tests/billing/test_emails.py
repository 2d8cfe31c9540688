"""A network's emails follow its plan (core.emails.network_email, the one way they are
built): a paid plan's carry no platform mark and come from the network's own sender, a free
plan's end with the platform's mark."""

import pytest
from django.utils.translation import gettext
from django_tenants.utils import schema_context

from core import emails
from shared_apps.billing import services
from shared_apps.billing.models import Plan
from tenant_apps.members import services as members
from tenants import hosts
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db

PLATFORM = "Entraide"


def _on_plan(tenant, code: str) -> None:
    with schema_context("public"):
        organization = Tenant.objects.select_related("organization").get(pk=tenant.pk).organization
        subscription = services.subscription_start_free(organization=organization)
        subscription.plan = Plan.objects.get(code=code)
        subscription.status = "free" if code == "gratuit" else "active"
        subscription.save()
    hosts.forget_hosts()
    # The tenant the test runs in is the fixture's object: read its plan again.
    tenant.organization = organization


def _own_domain(tenant, host: str = "reseau-alpha.example", *, verified: bool = True) -> None:
    with schema_context("public"):
        Domain.objects.create(domain=host, tenant=tenant, is_primary=False, verified=verified)


def _mark(tenant) -> str:
    return gettext("%(network)s is powered by %(platform)s.") % {
        "network": tenant.branding.display_name,
        "platform": PLATFORM,
    }


def _password_reset(tenant, client_for, mailoutbox):
    members.member_create(username="Iris", email="iris@example.org", password="un-secret-42-x")
    response = client_for(tenant).post("/comptes/password/reset/", {"email": "iris@example.org"})
    assert response.status_code == 302
    [message] = mailoutbox
    return message


def test_a_free_plan_s_emails_carry_the_platform_s_mark(tenant, settings, client_for, mailoutbox):
    settings.PLATFORM_NAME = PLATFORM
    settings.EMAIL_FROM_NETWORK_DOMAINS = True
    _own_domain(tenant)  # a free plan never sends from it
    message = emails.network_email(subject="Bonjour", body="Texte", to=["a@example.org"])
    assert message.from_email == "Réseau alpha <no-reply@localhost>"
    assert message.body.rstrip().endswith(_mark(tenant))

    reset = _password_reset(tenant, client_for, mailoutbox)
    assert reset.from_email == "Réseau alpha <no-reply@localhost>"
    assert reset.body.rstrip().endswith(_mark(tenant))


def test_a_paid_plan_s_emails_are_white_label(tenant, settings, client_for, mailoutbox):
    settings.PLATFORM_NAME = PLATFORM
    _on_plan(tenant, "association-mensuel")
    message = emails.network_email(
        subject="Bonjour", body="Texte", to=["a@example.org"], html="<p>Texte</p>"
    )
    # No own domain: the configured address, under the network's name.
    assert message.from_email == "Réseau alpha <no-reply@localhost>"
    assert message.body == "Texte"
    assert message.alternatives[0][0] == "<p>Texte</p>"

    reset = _password_reset(tenant, client_for, mailoutbox)
    for part in (reset.subject, reset.body, reset.from_email):
        assert PLATFORM not in part, part
    assert "Réseau alpha" in reset.subject and "Réseau alpha" in reset.from_email


def test_a_paid_plan_sends_from_its_own_verified_domain_when_allowed(tenant, settings):
    settings.PLATFORM_NAME = PLATFORM
    _on_plan(tenant, "association-mensuel")
    _own_domain(tenant, "pas-encore.example", verified=False)
    settings.EMAIL_FROM_NETWORK_DOMAINS = True
    assert emails.sender() == "Réseau alpha <no-reply@localhost>"  # not verified yet
    _own_domain(tenant)
    assert emails.sender() == "Réseau alpha <no-reply@reseau-alpha.example>"
    settings.EMAIL_FROM_NETWORK_DOMAINS = False  # the relay may not send for it
    assert emails.sender() == "Réseau alpha <no-reply@localhost>"


def test_the_platform_s_own_emails_come_from_the_platform(settings):
    settings.PLATFORM_NAME = PLATFORM
    with schema_context("public"):
        assert emails.sender() == "Entraide <no-reply@localhost>"
        assert emails.network_email(subject="s", body="b", to=["x@example.org"]).body == "b"
