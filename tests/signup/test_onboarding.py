"""The new network's checklist on its admins' home page: every item ticked by what the
network really holds, one query, admins only, gone once everything is done."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django_tenants.utils import tenant_context

from tenant_apps.home import onboarding
from tenant_apps.knowledge.models import Article
from tenant_apps.members import services as members
from tenant_apps.members.models import Role, Space

pytestmark = pytest.mark.django_db


def test_each_item_is_ticked_by_the_networks_real_state(make_tenant, django_assert_num_queries):
    tenant = make_tenant("accueil")
    with tenant_context(tenant):
        user = members.member_create(
            username="Fondatrice",
            email="f@example.org",
            password="x-long-secret-9",
            role=Role.ADMIN,
        )
        TOTP.activate(user, generate_totp_secret())  # an admin without one is sent to set it up
        admin = user.member
        member = members.member_create(
            username="Membre", email="m@example.org", password="x-long-secret-9"
        )
        client = Client(HTTP_HOST="accueil.localhost")
        client.force_login(user)

        def ticked() -> dict[str, bool]:
            checklist = client.get("/").context["onboarding"]
            return checklist and {step.key: step.done for step in checklist.steps}

        keys = ["branding", "spaces", "charter", "article", "moderators"]
        assert ticked() == dict.fromkeys(keys, False)
        page = client.get("/").content.decode()
        assert 'id="onboarding"' in page
        assert re.search(r'id="onboarding-count">0\D+5\D', page), "0 of 5 done"
        with django_assert_num_queries(1):
            onboarding.checklist_for(admin)
        # A member's home has no checklist, and costs no query for it.
        assert onboarding.checklist_for(member.member) is None

        members.branding_update(tenant=tenant, actor=admin, primary_color="#0b5d3b")
        assert ticked()["branding"] is True
        members.space_update(
            actor=admin, space=Space.objects.get(slug="patients"), name="Patients",
            description="Pour les patients de Bretagne.", audience=["patient"],
        )  # fmt: skip
        assert ticked()["spaces"] is True
        members.charter_publish(title="Notre charte", body="Bienveillance.", actor=admin)
        assert ticked()["charter"] is True
        Article.objects.create(title="Premier", summary="S", body="B", body_html="<p>B</p>")
        assert ticked()["article"] is True
        assert ticked() == {**dict.fromkeys(keys, True), "moderators": False}
        members.invitation_create(email="mod@example.org", role=Role.MODERATOR, actor=admin)
        # Everything done: the checklist is gone.
        assert ticked() is None
        assert 'id="onboarding"' not in client.get("/").content.decode()
