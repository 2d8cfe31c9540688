"""Two sign-ups with look-alike pseudonyms at the same moment: one account, one clear error."""

import pytest
from django.contrib.auth import get_user_model

from shared_apps.accounts import adapter as accounts_adapter
from tenant_apps.members import services as members
from tenant_apps.members.models import Member

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "une-longue-phrase-secrete"


def test_the_sign_up_that_loses_a_race_gets_its_form_back_with_a_message(
    tenant, client_for, monkeypatch
):
    pathology = members.pathology_create(name="Cancer du poumon")
    check = accounts_adapter.pseudonym_clean

    def rival_signs_up_meanwhile(value, **kwargs):
        # The other request commits its account between this one's check and its insert.
        cleaned = check(value, **kwargs)
        User.objects.create_user(username="ALIZÉ", email="rival@example.org")
        return cleaned

    monkeypatch.setattr(accounts_adapter, "pseudonym_clean", rival_signs_up_meanwhile)
    members_before = Member.objects.count()
    response = client_for(tenant).post(
        "/comptes/signup/",
        {
            "username": "Alizé",
            "email": "alize@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "profile_type": "caregiver",
            "pathologies": [pathology.pk],
            "department": "2A",
            "accept_charter": "on",
            "consent_health_data": "on",
        },
    )

    assert response.status_code == 200
    assert "Ce pseudonyme est déjà pris." in response.content.decode()
    assert 'value="alize@example.org"' in response.content.decode()
    assert list(User.objects.filter(email="alize@example.org")) == []
    assert Member.objects.count() == members_before
