"""Generated requests against the platform directory's OpenAPI schema (/api/annuaire/schema/,
shared_apps/directory/urls_api.py), as tests/api/test_schemathesis.py does for a network's:
as an anonymous visitor (reads are public) and as an operator signed in by session, who
writes. No 5xx, no answer that breaks the schema."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.accounts.services import operator_create
from tests.api.fuzzing import assert_clean, fuzz_schema, platform_schema
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    """A few published rows of the platform's directory, and an operator signed in by
    session (with the CSRF pair a browser would send)."""
    with schema_context("public"):
        provisioning.platform_ensure()
        cancer = data.pathology("Cancer du poumon")
        rows = {
            "associations": data.association("Les Souffles", pathologies=[cancer]),
            "initiatives": data.initiative("Marche fictive", pathologies=[cancer]),
            "evenements": data.event("Atelier fictif", online=False, place="Brest"),
            "ressources": data.resource("Animer un webinaire"),
        }
        operator = operator_create(
            username="operateur", email="ops@example.org", password="x-long-secret-1"
        )
        TOTP.activate(operator, generate_totp_secret())
        client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
        client.force_login(operator)
    csrf = _get_new_csrf_string()
    operator = {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }
    known = {}
    for prefix, row in rows.items():
        for tail in ("", "publish/", "refuse/"):
            if not (prefix == "ressources" and tail == "refuse/"):  # no refusal for a resource
                known[f"/api/annuaire/{prefix}/{{id}}/{tail}"] = {"id": row.pk}
    return SimpleNamespace(operator=operator, known=known, event=rows["evenements"])


def test_the_directory_api_answers_every_generated_request_by_its_schema(directory):
    schema, host = platform_schema()
    results = fuzz_schema(
        schema,
        host=host,
        identities={"anonymous": {}, "operator": directory.operator},
        skip={"GET /api/annuaire/schema/"},
        known=directory.known,
    )
    assert_clean("directory API", results, operations_at_least=11)


def test_an_event_dated_before_2000_is_refused_with_its_field(directory):
    """Found by the generated requests: year 229 was saved, and read back with Paris's offset
    of the time (+00:09:21), which is no date-time of the schema."""
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    client.cookies.load(directory.operator["cookies"])
    response = client.patch(
        f"/api/annuaire/evenements/{directory.event.pk}/",
        {"starts_at": "0229-07-03T03:59:26Z"},
        content_type="application/json",
        headers=directory.operator["headers"],
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["starts_at"]
    directory.event.refresh_from_db()
    assert directory.event.starts_at.year >= 2000
