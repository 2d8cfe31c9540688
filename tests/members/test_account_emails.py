"""allauth's emails speak in the network's name: the subject, the sender, the greeting and
the sentence that says why the email came, never the server's address."""

import re

import pytest
from django.core import mail

from tests.members.factories import account
from tests.members.test_registration import (
    pathologies,  # noqa: F401  (a fixture)
    signup_data,
)

pytestmark = pytest.mark.django_db


def _without_links(body: str) -> str:
    return re.sub(r"https?://\S+", "", body)


def test_the_sign_up_email_names_the_network_not_its_host(tenant, pathologies, client_for):  # noqa: F811
    client_for(tenant).post("/comptes/signup/", signup_data(pathologies))
    (message,) = mail.outbox
    name = tenant.branding.display_name
    host = tenant.domains.get(is_primary=True).domain
    assert message.subject.startswith(f"[{name}]")
    assert message.from_email.startswith(name)
    assert message.body.splitlines()[0].count(name) == 1  # the greeting
    text = _without_links(message.body)
    assert host not in text
    assert text.count(name) >= 3  # greeting, why the email came, signature
    assert f"https://{host}/comptes/confirm-email/" in message.body


def test_the_password_reset_email_names_the_network_not_its_host(tenant, client_for):
    account("Alize")
    client_for(tenant).post("/comptes/password/reset/", {"email": "alize@example.org"})
    (message,) = mail.outbox
    name = tenant.branding.display_name
    assert message.subject.startswith(f"[{name}]")
    assert name in message.body.splitlines()[0]
    assert tenant.domains.get(is_primary=True).domain not in _without_links(message.body)
