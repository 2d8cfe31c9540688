"""The one-click unsubscribe link: no sign-in, a confirmation before any change, one network."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from tenant_apps.members.services import member_erase
from tenant_apps.notifications.models import NotificationSettings
from tenant_apps.notifications.tokens import unsubscribe_token
from tests.fixtures import host_of
from tests.notifications.factories import account

pytestmark = pytest.mark.django_db


def frequencies() -> list[tuple[int, str]]:
    return list(NotificationSettings.objects.order_by("pk").values_list("member_id", "frequency"))


@pytest.fixture
def bob(tenant):
    return account("Bob").member


@pytest.fixture
def mail_client(tenant):
    """A mail provider or a link scanner: no session, and CSRF checks enforced."""
    with schema_context("public"):
        return Client(HTTP_HOST=host_of(tenant), enforce_csrf_checks=True)


def url(token: str) -> str:
    return f"/notifications/desabonnement/{token}/"


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_link_only_asks_for_confirmation(bob, mail_client, method):
    response = getattr(mail_client, method)(url(unsubscribe_token(member=bob)))
    assert response.status_code == 200
    if method == "get":
        page = response.content.decode()
        assert 'id="confirm-unsubscribe"' in page and 'method="post"' in page
    assert frequencies() == []


def test_the_confirmation_button_unsubscribes_without_a_session(bob, mail_client):
    response = mail_client.post(url(unsubscribe_token(member=bob)))
    assert response.status_code == 200
    assert 'id="unsubscribed"' in response.content.decode()
    assert 'role="status"' in response.content.decode()
    assert frequencies() == [(bob.pk, "never")]


def test_the_rfc_8058_one_click_post_works_without_session_or_csrf_token(bob, mail_client):
    weekly = NotificationSettings.objects.create(member=bob, frequency="weekly")
    response = mail_client.post(
        url(unsubscribe_token(member=bob)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequencies() == [(bob.pk, "never")]
    weekly.refresh_from_db()
    assert weekly.frequency == "never"
    # Twice is the same as once.
    assert mail_client.post(url(unsubscribe_token(member=bob))).status_code == 200
    assert frequencies() == [(bob.pk, "never")]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "nimportequoi",
        lambda t: t.split(":")[0] + ":" + t.split(":")[1] + ":",
    ],
)
def test_a_tampered_token_is_a_404(bob, mail_client, method, tamper):
    token = tamper(unsubscribe_token(member=bob))
    assert getattr(mail_client, method)(url(token)).status_code == 404
    assert frequencies() == []


def test_a_token_signed_for_another_purpose_is_a_404(bob, mail_client):
    from django.core import signing

    token = signing.dumps({"m": str(bob.anonymous_id), "s": "alpha"}, salt="another.salt")
    assert mail_client.post(url(token)).status_code == 404
    assert frequencies() == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_from_another_network_is_a_404(tenant, other_tenant, bob, mail_client, method):
    with tenant_context(other_tenant):
        # Beta's own "Bob": his token must not work on alpha's host, even for alpha's Bob.
        beta_bob = account("Bob").member
        token = unsubscribe_token(member=beta_bob)
    assert getattr(mail_client, method)(url(token)).status_code == 404
    assert frequencies() == []
    with tenant_context(other_tenant):
        assert frequencies() == []
    # Even naming alpha's Bob, a token issued for beta's schema does nothing on alpha.
    from django.core import signing

    from tenant_apps.notifications.tokens import UNSUBSCRIBE_SALT

    foreign = signing.dumps({"m": str(bob.anonymous_id), "s": "beta"}, salt=UNSUBSCRIBE_SALT)
    assert getattr(mail_client, method)(url(foreign)).status_code == 404
    assert frequencies() == []


def test_an_erased_members_token_is_a_404(bob, mail_client):
    token = unsubscribe_token(member=bob)
    member_erase(member=bob)
    assert mail_client.post(url(token)).status_code == 404
    assert frequencies() == []
