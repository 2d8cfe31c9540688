"""Proposals to the platform's directory: each spam defence on its own (honeypot, time check,
rate limit per address), a double submit, a 1 MB field, and what a proposal holds."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from shared_apps.accounts.services import operator_create
from shared_apps.directory import forms
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Review,
    Theme,
)

pytestmark = pytest.mark.django_db

PROPOSE = "/annuaire/proposer/{}/"


def token(age: float = 60, submission: str = "s1") -> str:
    """A form's signed timestamp, opened ``age`` seconds ago."""
    return signing.dumps({"t": int(time.time() - age), "n": submission}, salt=forms.TIMESTAMP_SALT)


@pytest.fixture
def platform(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        yield Client(HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.7")


def public(query):
    with schema_context("public"):
        return query()


def association_data(**overrides) -> dict:
    return {
        "name": "Souffle Solidaire",
        "description": "Entraide entre personnes atteintes de BPCO.",
        "regions": ["53"],
        "departments": ["29"],
        "website": "https://souffle.example.org",
        "contact_email": "contact@souffle.example.org",
        "legal_form": "association",
        "rna": "W291234567",
        "approval": "",
        "proposer_email": "camille@example.org",
        "homepage": "",
        "started": token(),
        **overrides,
    }


def initiative_data(**overrides) -> dict:
    return {
        "title": "Café des aidants de Brest",
        "description": "Un café mensuel pour les aidants.",
        "carrier": "caregiver",
        "form": "volunteer",
        "roles": ["peer"],
        "region": "",
        "department": "29",
        "activity": "active",
        "motivation": "Ne plus être seule.",
        "success_factors": ["peers", "association"],
        "success_text": "La régularité.",
        "proposer_email": "camille@example.org",
        "started": token(),
        **overrides,
    }


def event_data(**overrides) -> dict:
    return {
        "title": "Marche bleue",
        "summary": "Une marche ouverte à tous.",
        "format": "in_person",
        "starts_at": "2027-03-05T10:00",
        "ends_at": "2027-03-05T12:00",
        "place": "Quimper",
        "region": "53",
        "network_name": "Association Souffle",
        "url": "https://souffle.example.org/marche",
        "proposer_email": "camille@example.org",
        "started": token(),
        **overrides,
    }


def operator(username="operateur"):
    """A platform operator with a second factor (public schema)."""
    with schema_context("public"):
        user = operator_create(
            username=username, email=f"{username}@example.org", password="x-long-secret-1"
        )
        TOTP.activate(user, generate_totp_secret())
    return user


def platform_account(username="Iris"):
    """A signed-in platform account without any right."""
    with schema_context("public"):
        return get_user_model().objects.create_user(
            username=username, email=f"{username.lower()}@example.org", password="x"
        )


# --- What a proposal holds ------------------------------------------------------------------


def test_an_association_proposal_waits_for_review_with_its_proposers_address(platform):
    with schema_context("public"):
        lung = Pathology.objects.create(name="BPCO", slug="bpco")
    response = platform.post(PROPOSE.format("association"), association_data(pathologies=[lung.pk]))
    assert (response.status_code, response["Location"]) == (302, "/annuaire/proposer/merci/")
    (row,) = public(lambda: list(Association.objects.all()))
    assert row.review == Review.PROPOSED
    assert (row.name, row.slug, row.rna) == ("Souffle Solidaire", "souffle-solidaire", "W291234567")
    assert (row.regions, row.departments) == (["53"], ["29"])
    assert row.proposer_email == "camille@example.org"
    assert public(lambda: list(row.pathologies.values_list("slug", flat=True))) == ["bpco"]
    assert row.published_at is None and row.search_vector is not None


def test_an_initiative_and_an_event_are_proposed_too(platform):
    with schema_context("public"):
        theme = Theme.objects.create(name="Entraide", slug="entraide")
    assert (
        platform.post(PROPOSE.format("initiative"), initiative_data(themes=[theme.pk])).status_code
        == 302
    )
    assert (
        platform.post(
            PROPOSE.format("evenement"), event_data(started=token(submission="s2"))
        ).status_code
        == 302
    )
    initiative = public(lambda: Initiative.objects.get())
    # The département names its région.
    assert (initiative.department, initiative.region, initiative.review) == ("29", "53", "proposed")
    assert initiative.success_factors == ["peers", "association"]
    event = public(lambda: DirectoryEvent.objects.get())
    assert (event.tenant_id, event.event_id, event.review, event.format) == (
        None, None, "proposed", "in_person",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "value"),
    [("rna", "W12345"), ("rna", "X123456789"), ("departments", ["999"]), ("regions", ["00"]),
     ("website", "javascript:alert(1)"), ("approval", "national")],
)  # fmt: skip
def test_bad_values_re_render_with_what_was_typed(platform, field, value):
    response = platform.post(PROPOSE.format("association"), association_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors or (
        field == "approval" and "approval_ends" in response.context["form"].errors
    )
    assert "Souffle Solidaire" in response.content.decode()
    assert public(lambda: Association.objects.count()) == 0


def test_an_unknown_kind_does_not_exist(platform):
    assert platform.get(PROPOSE.format("personne")).status_code == 404


def test_a_1_mb_field_re_renders_with_a_message(platform):
    response = platform.post(
        PROPOSE.format("association"), association_data(description="x" * 1_000_000)
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert public(lambda: Association.objects.count()) == 0


# --- Spam defences, one by one ----------------------------------------------------------------


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(platform):
    response = platform.post(
        PROPOSE.format("association"), association_data(homepage="http://spam")
    )
    assert (response.status_code, response["Location"]) == (302, "/annuaire/proposer/merci/")
    assert public(lambda: Association.objects.count()) == 0
    # The field is there for robots, hidden from people and screen readers.
    page = platform.get(PROPOSE.format("association")).content.decode()
    assert '<div hidden><label for="id_homepage">' in page


def test_a_form_sent_back_too_fast_is_refused_calmly_with_what_was_typed(platform):
    response = platform.post(PROPOSE.format("association"), association_data(started=token(age=1)))
    assert response.status_code == 400
    assert response.context["notice"]
    assert "Souffle Solidaire" in response.content.decode()
    assert public(lambda: Association.objects.count()) == 0
    # The page carries a fresh token: sent again a little later, it is accepted.
    fresh = response.context["form"].data["started"]
    assert fresh != association_data()["started"]
    assert forms.token_check(fresh, now=time.time() + 10)


# Named cases: a token made at collection would differ between xdist's workers.
@pytest.mark.parametrize("case", ["old", "forged", "empty"])
def test_an_old_or_forged_timestamp_asks_to_send_again(platform, case):
    started = {"old": token(age=forms.MAX_SECONDS + 60), "forged": "forged", "empty": ""}[case]
    response = platform.post(PROPOSE.format("association"), association_data(started=started))
    assert response.status_code == 200
    assert response.context["notice"]
    assert 'id="form-notice"' in response.content.decode()
    assert public(lambda: Association.objects.count()) == 0


def test_proposals_are_limited_per_address(platform, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "directory.propose": "2/hour"}
    for number in range(2):
        data = association_data(name=f"Asso {number}", started=token(submission=f"n{number}"))
        assert platform.post(PROPOSE.format("association"), data).status_code == 302
    refused = platform.post(
        PROPOSE.format("association"),
        association_data(name="Asso 2", started=token(submission="n2")),
    )
    assert refused.status_code == 429
    assert refused.context["notice"] and "Asso 2" in refused.content.decode()
    # Another address is not limited by this one.
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="198.51.100.9")
    data = association_data(name="Asso 3", started=token(submission="n3"))
    assert other.post(PROPOSE.format("association"), data).status_code == 302
    assert public(lambda: sorted(Association.objects.values_list("name", flat=True))) == [
        "Asso 0", "Asso 1", "Asso 3",
    ]  # fmt: skip


def test_a_double_submit_creates_one_proposal(platform):
    data = association_data(started=token(submission="twice"))
    first = platform.post(PROPOSE.format("association"), data)
    second = platform.post(PROPOSE.format("association"), data)
    assert first.status_code == second.status_code == 302
    assert public(lambda: Association.objects.count()) == 1


def test_the_form_page_carries_a_fresh_token(platform):
    response = platform.get(PROPOSE.format("initiative"))
    assert response.status_code == 200
    started = response.context["form"].initial["started"]
    with pytest.raises(forms.TooFast):
        forms.token_check(started)
    assert forms.token_check(started, now=time.time() + 30)


@pytest.mark.parametrize("kind", ["association", "initiative", "evenement"])
def test_a_form_page_does_not_grow_its_queries_with_the_choices(platform, kind):
    def queries(count: int) -> int:
        with schema_context("public"):
            start = Pathology.objects.count()
            for number in range(start, start + count):
                Pathology.objects.create(name=f"Pathologie {number}", slug=f"p-{number}")
                Theme.objects.create(name=f"Thème {number}", slug=f"t-{number}")
        with CaptureQueriesContext(connection) as captured:
            assert platform.get(PROPOSE.format(kind)).status_code == 200
        return len(captured)

    platform.get(PROPOSE.format(kind))  # the host, resolved and cached once
    assert queries(2) == queries(30)
