"""The operators' admin speaks French: our models and fields are named for translation, and
so are the third-party apps it shows (allauth's second factors, procrastinate's jobs)."""

import html
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import schema_context
from procrastinate.contrib.django import app

from provisioning import services
from shared_apps.accounts.services import operator_create

pytestmark = pytest.mark.django_db

# What the tester saw: labels made up from English names, which no catalogue knows.
MADE_UP = ("Procrastinate jobs", "Is primary", "Last used at", "Task Name",
           "Retry Job", "Administration de Django")  # fmt: skip


@pytest.fixture
def operator_client(make_tenant):
    services.platform_ensure()
    make_tenant("gamma")
    with schema_context("public"):
        operator = operator_create(
            username="operateur", email="ops@example.org", password="x-long-secret-1"
        )
        operator.is_superuser = True
        operator.save()
        TOTP.activate(operator, generate_totp_secret())
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(operator)
    return client


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _fr(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def test_the_index_and_every_changelist_read_in_french(operator_client):
    index = _text(operator_client.get("/admin/"))
    for label in ("Réseaux", "Comptes", "Organisations", "Entrées du journal d'audit"):
        assert label in index
    for label in ("Background jobs", "Two-step sign-in", "authenticators"):
        assert _fr(label).capitalize() in index, label
    changelists = re.findall(
        r'href="(/admin/[a-z_]+/[a-z_]+/)"', operator_client.get("/admin/").content.decode()
    )
    assert len(set(changelists)) >= 9
    for path in sorted(set(changelists)):
        page = _text(operator_client.get(path))
        for english in MADE_UP:
            assert english not in page, (path, english)


def test_the_network_page_names_its_fields(operator_client):
    with schema_context("public"):
        from tenants.models import Tenant

        pk = Tenant.objects.get(slug="gamma").pk
    page = _text(operator_client.get(f"/admin/tenants/tenant/{pk}/change/"))
    assert _fr("schema name").capitalize() in page
    assert _fr("primary").capitalize() in page and "Is primary" not in page


def test_jobs_and_second_factors_are_named_for_translation(operator_client):
    with schema_context("public"):
        app.configure_task("tests.probe", allow_unknown=True).defer(n=1)
    jobs = _text(operator_client.get("/admin/procrastinate/procrastinatejob/"))
    assert _fr("task").capitalize() in jobs and "Task Name" not in jobs
    factors = _text(operator_client.get("/admin/mfa/authenticator/"))
    assert _fr("last used").capitalize() in factors and "Last used at" not in factors
    assert "Created at" not in factors


def test_the_platform_audit_log_shows_labels(operator_client):
    with schema_context("public"):
        services.audit(actor="ops", action="suspend", tenant_slug="gamma")
    page = _text(operator_client.get("/admin/tenants/auditentry/"))
    assert _fr("Network suspended") in page
