""" "My account": the hub and its navigation on every account page, staff's sign-in with
one password prompt then the second factor then the recovery codes' way on, and the
consent to health data given from the profile form in one go."""

import re

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tenant_apps.members.models import Consent, Pathology, Role
from tests.fixtures import totp_code
from tests.members.factories import PASSWORD, account

pytestmark = pytest.mark.django_db


def _without_second_factor(user):
    Authenticator.objects.filter(user=user).delete()
    return user


def _code(secret: str) -> str:
    return totp_code(secret)  # waits for the next period near the end of one


# --- Staff sign-in: one password, then TOTP, then the recovery codes and a way on ----------


def test_staff_type_their_password_once_then_set_up_totp_and_go_on(tenant, client_for):
    user = _without_second_factor(account("Alice", Role.ADMIN))
    client = client_for(tenant)

    signed_in = client.post(
        reverse("account_login") + "?next=/forums/", {"login": user.email, "password": PASSWORD}
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/forums/")
    sent_on = client.get("/forums/")
    assert (sent_on.status_code, sent_on["Location"]) == (302, reverse("mfa_activate_totp"))

    # Straight to the setup: the password typed a moment ago is not asked again.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200, setup.get("Location")
    done = client.post(reverse("mfa_activate_totp"), {"code": _code(setup.context["form"].secret)})
    assert (done.status_code, done["Location"]) == (302, reverse("mfa_view_recovery_codes"))

    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    page = codes.content.decode()
    assert f'href="{reverse("account_continue")}"' in page
    assert 'aria-label="Mon compte"' in page or 'aria-label="My account"' in page
    onward = client.get(reverse("account_continue"))
    assert (onward.status_code, onward["Location"]) == (302, "/forums/")
    assert client.get("/forums/").status_code == 200
    # Once only: the next "Continue" goes home.
    assert client.get(reverse("account_continue"))["Location"] == reverse("home")


def test_an_old_sign_in_still_asks_for_the_password_before_adding_a_factor(tenant, client_for):
    user = _without_second_factor(account("Alice", Role.ADMIN))
    client = client_for(tenant)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= 3600
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_a_failed_password_is_no_recent_sign_in(tenant, client_for):
    user = _without_second_factor(account("Alice", Role.ADMIN))
    client = client_for(tenant)
    refused = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert refused.status_code == 200
    assert AUTHENTICATION_METHODS_SESSION_KEY not in client.session


def test_continue_goes_nowhere_outside_the_site(tenant, client_as):
    client = client_as(account("Bob"))
    session = client.session
    session["members:second_factor_next"] = "//evil.example/"
    session.save()
    response = client.get(reverse("account_continue"))
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_a_post_refused_for_want_of_totp_is_not_where_continue_leads(tenant, client_for):
    user = _without_second_factor(account("Alice", Role.ADMIN))
    client = client_for(tenant)
    client.force_login(user)
    client.post("/forums/")  # sent to the setup, but a form's target is no page to go back to
    assert "members:second_factor_next" not in client.session


# --- The hub -----------------------------------------------------------------------------


def test_the_hub_leads_to_every_account_page(tenant, client_as):
    response = client_as(account("Bob")).get(reverse("account_home"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in (
        "profile_edit",
        "account_email",
        "account_change_password",
        "mfa_index",
        "notifications:preferences",
        "gdpr_overview",
        "gdpr_export",
        "gdpr_erase",
    ):
        assert f'href="{reverse(name)}"' in page, name
    assert 'aria-current="page"' in page


def test_the_header_leads_to_the_hub(tenant, client_as):
    page = client_as(account("Bob")).get(reverse("charter")).content.decode()
    assert f'href="{reverse("account_home")}"' in page


@pytest.mark.parametrize(
    "name",
    [
        "account_home",
        "profile_edit",
        "account_email",
        "account_change_password",
        "mfa_index",
        "notifications:preferences",
        "gdpr_overview",
        "gdpr_export",
        "gdpr_erase",
    ],
)
def test_every_account_page_shows_the_account_navigation_marking_itself(tenant, client_as, name):
    response = client_as(account("Bob")).get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    nav = page[page.index('class="admin-nav account-nav"') :]
    nav = nav[: nav.index("</nav>")]
    marked = re.findall(r'<a href="([^"]+)" aria-current="page">', nav)
    section = "gdpr_overview" if name.startswith("gdpr_") else name
    assert marked == [reverse(section)]


def test_the_hub_says_whether_two_step_sign_in_is_on_and_required(tenant, client_as):
    staff = client_as(account("Mona", Role.MODERATOR)).get(reverse("account_home")).context
    assert (staff["second_factor_on"], staff["second_factor_required"]) == (True, True)
    member = client_as(account("Bob")).get(reverse("account_home")).context
    assert (member["second_factor_on"], member["second_factor_required"]) == (False, False)


# --- Consent to health data from the profile form ---------------------------------------


def _profile_data(member, **extra):
    return {
        "profile_type": member.profile_type,
        "department": "",
        "bio": "",
        "visibility_profile_type": "network",
        "visibility_pathologies": "nobody",
        "visibility_region": "spaces",
        "visibility_bio": "network",
        "visibility_avatar": "spaces",
        **extra,
    }


@pytest.fixture
def without_consent(tenant):
    member = account("Bob").member
    Consent.objects.filter(member=member, kind=Consent.Kind.HEALTH_DATA).delete()
    return member


def test_the_profile_form_offers_the_consent_and_a_link_back(tenant, client_as, without_consent):
    page = client_as(without_consent).get(reverse("profile_edit")).content.decode()
    assert 'name="consent_health_data"' in page
    assert (
        f'href="{reverse("gdpr_overview")}?next={reverse("profile_edit")}#consents-title"' in page
    )


def test_pathologies_without_the_consent_are_refused_with_the_way_to_give_it(
    tenant, client_as, without_consent
):
    pathology = Pathology.objects.create(name="Cancer bronchique")
    response = client_as(without_consent).post(
        reverse("profile_edit"), _profile_data(without_consent, pathologies=[pathology.pk])
    )
    assert response.status_code == 200
    assert "consent" in str(response.context["form"].errors["pathologies"])
    assert not without_consent.pathologies.exists()
    assert not Consent.objects.filter(
        member=without_consent, kind=Consent.Kind.HEALTH_DATA
    ).exists()


def test_one_tick_gives_the_consent_and_states_the_pathologies(tenant, client_as, without_consent):
    pathology = Pathology.objects.create(name="Cancer bronchique")
    response = client_as(without_consent).post(
        reverse("profile_edit"),
        _profile_data(without_consent, pathologies=[pathology.pk], consent_health_data="on"),
    )
    assert response.status_code == 302
    assert list(without_consent.pathologies.all()) == [pathology]
    assert Consent.objects.filter(
        member=without_consent, kind=Consent.Kind.HEALTH_DATA, withdrawn__isnull=True
    ).exists()
    # Given, the box is gone from the form.
    page = client_as(without_consent).get(reverse("profile_edit")).content.decode()
    assert 'name="consent_health_data"' not in page


def test_the_consent_page_brings_the_member_back_to_the_profile(tenant, client_as, without_consent):
    client = client_as(without_consent)
    page = client.get(reverse("gdpr_overview") + "?next=/profil/").content.decode()
    assert '<input type="hidden" name="next" value="/profil/">' in page
    response = client.post(reverse("gdpr_consent_give"), {"next": "/profil/"})
    assert (response.status_code, response["Location"]) == (302, "/profil/")
    elsewhere = client.post(reverse("gdpr_consent_give"), {"next": "https://evil.example/"})
    assert elsewhere["Location"] == reverse("gdpr_overview")
