"""The operators' admin is usable with a screen reader and on a phone: every field it offers
has a label (no split date and time inputs, no tabular inline, no two-box filter), its
breadcrumbs' links are underlined, and a domain's verification time is recorded rather than
typed. The browser sweep (tests/browser/test_sweep.py) runs axe on the same pages."""

from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services
from shared_apps.accounts.services import operator_create
from tenants.admin import DomainForm
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db

FIELDS = ("input", "select", "textarea")
UNLABELLED_TYPES = ("hidden", "submit", "button", "reset", "image")


class _Fields(HTMLParser):
    """The form fields of a page, and the ids its labels point to."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.labels_open = 0
        self.classes: set[str] = set()
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes.update((attributes.get("class") or "").split())
        if tag == "label":
            self.labels_open += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        elif tag in FIELDS and attributes.get("type") not in UNLABELLED_TYPES:
            self.fields.append({**attributes, "wrapped": "yes" if self.labels_open else None})

    def handle_endtag(self, tag):
        if tag == "label":
            self.labels_open -= 1


def _fields(response) -> _Fields:
    assert response.status_code == 200
    parser = _Fields()
    parser.feed(response.content.decode())
    return parser


def _unlabelled(page: _Fields) -> list[str]:
    return [
        str(field.get("id") or field.get("name"))
        for field in page.fields
        if not field["wrapped"]
        and field.get("id") not in page.label_targets
        and not field.get("aria-label")
        and not field.get("aria-labelledby")
    ]


@pytest.fixture
def operator(make_tenant):
    services.platform_ensure()
    make_tenant("gamma")
    with schema_context("public"):
        operator = operator_create(
            username="operateur", email="ops@example.org", password="x-long-secret-1"
        )
        operator.is_superuser = True
        operator.save()
        TOTP.activate(operator, generate_totp_secret())
    return operator


@pytest.fixture
def operator_client(operator):
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(operator)
    return client


def test_every_field_of_the_admin_forms_has_a_label(operator, operator_client):
    with schema_context("public"):
        tenant = Tenant.objects.get(slug="gamma")
        Domain.objects.create(domain="gamma.example.org", tenant=tenant, is_primary=False)
        group = Group.objects.create(name="Support")
        address = EmailAddress.objects.get(user=operator)
        confirmation = EmailConfirmation.create(address)
        factor = Authenticator.objects.get(user=operator)
    pages = [
        f"/admin/tenants/tenant/{tenant.pk}/change/",
        f"/admin/accounts/user/{operator.pk}/change/",
        "/admin/auth/group/add/",
        f"/admin/auth/group/{group.pk}/change/",
        "/admin/account/emailconfirmation/add/",
        f"/admin/account/emailconfirmation/{confirmation.pk}/change/",
        "/admin/mfa/authenticator/add/",
        f"/admin/mfa/authenticator/{factor.pk}/change/",
    ]
    for path in pages:
        page = _fields(operator_client.get(path))
        assert page.fields, path
        assert _unlabelled(page) == [], path
        # Django's two-box filter (filter_horizontal) is not used.
        assert "selectfilter" not in page.classes, path
    network = operator_client.get(pages[0]).content.decode()
    assert "gamma.example.org" in network and 'name="domains-0-verified_at' not in network
    user = operator_client.get(pages[1]).content.decode()
    assert 'name="last_login_0"' not in user and 'name="groups"' in user


def test_the_check_finds_an_unlabelled_field():
    page = _Fields()
    page.feed('<label for="a">A</label><input id="a"><label>B <input id="b"></label><input id="c">')
    assert _unlabelled(page) == ["c"]


def test_every_admin_page_loads_the_accessibility_styles(operator_client):
    for path in ("/admin/", "/admin/tenants/tenant/", "/admin/password_change/"):
        page = _fields(operator_client.get(path))
        assert any(href.endswith("css/admin.css") for href in page.stylesheets), path
    styles = open(finders.find("css/admin.css"), encoding="utf-8").read()
    assert "div.breadcrumbs a" in styles and "text-decoration: underline" in styles
    assert "overflow-wrap: anywhere" in styles


def _save(domain: Domain, data: dict[str, str]) -> Domain:
    """The domain saved through the network page's inline form, as the admin does."""
    form = DomainForm(data, instance=domain)
    assert form.is_valid(), form.errors
    form.save()
    domain.refresh_from_db()
    return domain


def test_a_domain_is_verified_at_the_moment_an_operator_ticks_it(make_tenant):
    tenant = make_tenant("delta")
    with schema_context("public"):
        domain = Domain.objects.create(domain="delta.example.org", tenant=tenant, is_primary=False)
        data = {"domain": domain.domain, "is_primary": "", "verified": "on"}
        domain = _save(domain, data)
        assert domain.verified and domain.verified_at is not None
        verified_at = domain.verified_at

        # Saved again unchanged, the time stays; unticked, it is cleared.
        assert _save(domain, data).verified_at == verified_at
        domain = _save(domain, {**data, "verified": ""})
        assert not domain.verified and domain.verified_at is None
