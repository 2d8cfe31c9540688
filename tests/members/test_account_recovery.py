"""Password reset and change of email, per network, through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tenant_apps.members import services
from tenants.links import tenant_base_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def iris(tenant):
    return services.member_create(
        username="Iris", email="iris@example.org", password="un-long-secret-42"
    )


def test_password_reset_mails_a_link_to_this_network_only(iris, tenant, client_for, mailoutbox):
    client = client_for(tenant)
    response = client.post("/comptes/password/reset/", {"email": "iris@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["iris@example.org"]
    assert message.from_email == "Réseau alpha <no-reply@localhost>"
    base = tenant_base_url(tenant)
    link = re.search(rf"{re.escape(base)}/comptes/password/reset/key/\S+", message.body)
    assert link, message.body
    path = link.group(0).removeprefix(base)

    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "un-nouveau-secret-43", "password2": "un-nouveau-secret-43"},
    )
    assert done.status_code == 302
    iris.refresh_from_db()
    assert iris.check_password("un-nouveau-secret-43")


def test_password_reset_for_an_unknown_address_looks_the_same(
    iris, tenant, other_tenant, client_for, mailoutbox
):
    known = client_for(tenant).post("/comptes/password/reset/", {"email": "iris@example.org"})
    # Iris has no account on beta: same answer, and the only message says so to the address.
    unknown = client_for(other_tenant).post(
        "/comptes/password/reset/", {"email": "iris@example.org"}
    )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert all("reset/key/" not in m.body for m in mailoutbox[1:])


def test_a_new_email_replaces_the_old_one_only_once_verified(iris, tenant, client_for, mailoutbox):
    client = client_for(tenant)
    client.force_login(iris)
    response = client.post(
        "/comptes/email/", {"action_add": "", "email": "iris.nouvelle@example.org"}
    )
    assert response.status_code == 302
    iris.refresh_from_db()
    assert iris.email == "iris@example.org"  # unchanged until the new address is confirmed
    pending = EmailAddress.objects.get(email="iris.nouvelle@example.org")
    assert not pending.verified
    base = re.escape(tenant_base_url(tenant))
    link = re.search(rf"{base}(/comptes/confirm-email/\S+/)", mailoutbox[-1].body)
    assert link and mailoutbox[-1].to == ["iris.nouvelle@example.org"]

    client.post(link.group(1))
    iris.refresh_from_db()
    assert iris.email == "iris.nouvelle@example.org"
    assert not EmailAddress.objects.filter(email="iris@example.org").exists()
    assert get_user_model().objects.filter(email="iris@example.org").count() == 0
