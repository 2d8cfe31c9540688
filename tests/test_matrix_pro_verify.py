"""Authorization matrix of the professionals' hub (/pro/) and verification pages: anonymous,
another network's session, a suspended member, a patient member (Bob), a member whose
request awaits review (Paulette, the applicant), a verified professional (Vera), a moderator
(a patient partner: not a professional by role), an admin. Refusals are 404 (or sign-in for
signed-out visitors) and change nothing."""

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import tenant_context

from tenant_apps.members.models import Member, NetworkSettings
from tenant_apps.pro.models import VerificationRequest
from tenant_apps.pro.verification import services
from tests.events.factories import picture
from tests.matrix import Route, api, cases, check
from tests.members.factories import account

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_network", "suspended", "member", "applicant", "pro", "moderator",
         "admin")  # fmt: skip
SIGNED_IN = frozenset({"member", "applicant", "pro", "moderator", "admin"})
PROFESSIONALS = frozenset({"pro", "admin"})
ADMIN = frozenset({"admin"})
PRO = frozenset({"pro"})


@pytest.fixture(scope="module")
def pro_world(shared_world, session_networks, django_db_blocker):
    w = shared_world
    with django_db_blocker.unblock(), tenant_context(session_networks.get("alpha")):
        w.applicant = account("Paulette").member
        w.vera = account("Vera").member
        w.request = services.verification_request_create(
            member=w.applicant, profession="nurse", workplace="CHU de Lille", rpps="10001234567",
            document=picture("carte.jpg"),
        )  # fmt: skip
        with w.request.document.open("rb") as stored:
            w.document_bytes = stored.read()
        asked = services.verification_request_create(
            member=w.vera, profession="pulmonologist", workplace="Centre Oscar Lambret",
            other_identifier="ADELI 591234567",
        )  # fmt: skip
        services.verification_verify(admin=w.people["admin"], request_id=asked.pk)
        w.people.update({"applicant": w.applicant, "pro": Member.objects.get(pk=w.vera.pk)})
    return w


@pytest.fixture
def world(pro_world, tenant):
    # Each test has its own MEDIA_ROOT (tests/fixtures.py): put the document back in it.
    document = pro_world.request.document
    document.storage.save(document.name, ContentFile(pro_world.document_bytes))
    return pro_world


@pytest.fixture
def role_accounts(pro_world):
    return {**pro_world.accounts, "applicant": pro_world.applicant.user, "pro": pro_world.vera.user}


def _status(w) -> str:
    return VerificationRequest.objects.get(pk=w.request.pk).status


def _queue_lists(response, w, role):
    body = response.content.decode()
    assert f'id="request-{w.request.pk}"' in body
    assert f'id="verified-{w.vera.pk}"' in body
    assert "paulette@example.org" not in body


ROUTES = {
    "pro:hub": Route("get", lambda w: "/pro/", PROFESSIONALS, roles=ROLES),
    "pro:verification_request": Route(
        "get", lambda w: "/pro/verification/", SIGNED_IN, roles=ROLES
    ),
    "pro:real_name": Route(
        "post",
        lambda w: "/pro/verification/nom/",
        PRO,
        302,
        data=lambda w: {"show": "on", "real_name": "Dr Vera Lemaire"},
        roles=ROLES,
        check=lambda r, w, role: (
            Member.objects.get(pk=w.vera.pk).real_name_shown == "Dr Vera Lemaire"
        ),
    ),
    "pro:verification_queue": Route(
        "get", lambda w: "/pro/verifications/", ADMIN, roles=ROLES, check=_queue_lists
    ),
    "pro:verification_decide": Route(
        "post",
        lambda w: f"/pro/verifications/{w.request.pk}/decision/",
        ADMIN,
        302,
        data=lambda w: {"decision": "verify", "reason": ""},
        roles=ROLES,
        check=lambda r, w, role: (
            _status(w) == "verified" and Member.objects.get(pk=w.applicant.pk).verified_professional
        ),
    ),
    "pro:verification_document": Route(
        "get",
        lambda w: f"/pro/verifications/{w.request.pk}/document/",
        ADMIN,
        roles=ROLES,
        check=lambda r, w, role: b"".join(r.streaming_content) == w.document_bytes,
    ),
    "pro:verification_withdraw": Route(
        "post",
        lambda w: f"/pro/verifications/membres/{w.vera.pk}/retrait/",
        ADMIN,
        302,
        data=lambda w: {"reason": "Fin d'exercice"},
        roles=ROLES,
        check=lambda r, w, role: not Member.objects.get(pk=w.vera.pk).verified_professional,
    ),
    # The API.
    "api_pro_verification_requests": api(
        "get",
        lambda w: "/api/pro/verification/requests/",
        SIGNED_IN,
        roles=ROLES,
        check=lambda r, w, role: (
            [row["id"] for row in r.json()] == [w.request.pk]
            if role == "applicant"
            else all(row["id"] != w.request.pk for row in r.json())
        ),
    ),  # fmt: skip
    "api_pro_verification_pending": api(
        "get",
        lambda w: "/api/pro/verification/pending/",
        ADMIN,
        roles=ROLES,
        check=lambda r, w, role: [row["id"] for row in r.json()] == [w.request.pk],
    ),
    "api_pro_verification_decide": api(
        "post",
        lambda w: f"/api/pro/verification/pending/{w.request.pk}/decision/",
        ADMIN,
        data=lambda w: {"decision": "refuse", "reason": "Identifiant introuvable"},
        roles=ROLES,
        check=lambda r, w, role: _status(w) == "refused",
    ),
    # The network's audience, in the admins' settings (tenant_apps.members).
    "members_admin:audience": Route(
        "post",
        lambda w: "/association/reglages/public/",
        ADMIN,
        302,
        data=lambda w: {"audience-audience": "both", "audience-local_groups_open": "on"},
        roles=ROLES,
        check=lambda r, w, role: (
            NetworkSettings.objects.get().audience == "both"
            and NetworkSettings.objects.get().local_groups_open
        ),
    ),
}


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_pro_verify_matrix(client_as, world, route, role):
    check(ROUTES, route, role, client_as, world)
