"""The Django admin, which operators keep for what the console does not cover, reads in
French on every page: each registered ModelAdmin's list and add page, asked in French and
in English, shows no label (column, filter, form field, fieldset) that stayed in English.

A label is the same in both languages only when the word is (``SAME_IN_BOTH``); anything
else the same on both pages is a name that no catalogue translates ("ID", a field without a
verbose name, a msgid the French catalogue lacks)."""

import html
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_tenants.utils import schema_context

from provisioning import services
from shared_apps.accounts.services import operator_create

pytestmark = pytest.mark.django_db

URLCONF = "config.urls_public"
# Words that are written the same in French and in English.
SAME_IN_BOTH = {"Action", "Actions", "Description", "Date", "Position", "Code", "Type", "Message",
                "Total", "Notes", "Arguments", "Source", "Version", "Article", "Articles",
                "Question", "Stripe", "Slug", "Page", "Pages", "Description :", "Code :",
                "Type :", "Position :", "Date :", "Message :", "Version :", "Source :",
                "Notes :"}  # fmt: skip

_LABELS = (
    # A list's column headers, a filter's title, a form field's label, a fieldset's or an
    # inline's heading.
    re.compile(r'<th scope="col"[^>]*>(.*?)</th>', re.S),
    re.compile(r"<summary>(.*?)</summary>", re.S),
    re.compile(r"<label[^>]*>(.*?)</label>", re.S),
    re.compile(r"<h2[^>]*>(.*?)</h2>", re.S),
)


@pytest.fixture
def operator():
    services.platform_ensure()
    with schema_context("public"):
        operator = operator_create(
            username="operatrice", email="ops@example.org", password="x-long-secret-1"
        )
        operator.is_superuser = True
        operator.save()
        TOTP.activate(operator, generate_totp_secret())
    return operator


def _labels(client: Client, path: str, language: str) -> list[str]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (path, response.status_code)
    page = response.content.decode()
    found = []
    for pattern in _LABELS:
        for raw in pattern.findall(page):
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
            if text and any(c.isalpha() for c in text):
                found.append(text)
    return found


def _pages() -> list[str]:
    paths = []
    with schema_context("public"):
        for model in admin.site._registry:
            meta = model._meta
            for view in ("changelist", "add"):
                try:
                    paths.append(
                        reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", urlconf=URLCONF)
                    )
                except NoReverseMatch:
                    continue
    return sorted(paths)


def test_every_list_and_add_page_of_the_admin_reads_in_french(operator):
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    untranslated: dict[str, list[str]] = {}
    opened = 0
    for path in _pages():
        probe = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        if probe.status_code == 403:  # no add page for this model (networks, audit log…)
            continue
        opened += 1
        french = _labels(client, path, "fr")
        english = set(_labels(client, path, "en"))
        same = sorted({label for label in french if label in english} - SAME_IN_BOTH)
        if same:
            untranslated[path] = same
    assert opened >= 12, opened
    assert untranslated == {}, untranslated
