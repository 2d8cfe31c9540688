"""A visitor joins a network in a real browser: sign-up, email confirmation, profile, sign-in
again with the email, and a second factor of their own choosing.

Runs against the live server (``site`` fixture of conftest.py); it runs in this process, so the
confirmation message lands in ``django.core.mail.outbox`` (locmem backend).
"""

import re

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member

pytestmark = pytest.mark.browser

PASSWORD = "une-longue-phrase-secrete"
UNLABELLED = """() => Array.from(
  document.querySelectorAll("main input:not([type=hidden]), main select, main textarea")
).filter((control) => !control.labels.length).map((control) => control.name || control.id)"""


def expect_every_control_labelled(page) -> None:
    assert page.evaluate(UNLABELLED) == []


def tab_to(page, press_tab, element_id: str, limit: int = 15) -> dict:
    """Tab forward until the control with this id has the focus."""
    path = []
    while not path or path[-1]["id"] != element_id:
        assert len(path) < limit, f"#{element_id} is not reachable with Tab: {path}"
        path.append(press_tab(page))
    return path[-1]


def test_a_visitor_joins_completes_the_profile_signs_in_again_and_adds_a_second_factor(
    site, page, press_tab, activate_totp, mailoutbox
):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        members.pathology_create(name="Cancer du poumon")
        lymphoma = members.pathology_create(name="Lymphome")

    # --- Sign-up, with the keyboard from the top of the form ---------------------------------
    assert page.goto(site.url("alpha", "/comptes/signup/")).status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Création de compte")
    expect_every_control_labelled(page)

    tab_to(page, press_tab, "id_username")
    page.keyboard.type("Alizé")
    assert press_tab(page)["labels"] == ["Courriel"]
    page.keyboard.type("alize@example.org")
    assert press_tab(page)["labels"] == ["Mot de passe"]
    page.keyboard.type(PASSWORD)
    assert press_tab(page)["labels"] == ["Mot de passe (confirmation)"]
    page.keyboard.type(PASSWORD)
    assert press_tab(page)["id"] == "id_profile_type"
    page.keyboard.press("ArrowDown")  # Patient → Former patient
    expect(page.locator("#id_profile_type")).to_have_value("former_patient")
    # The pathologies are checkboxes in a fieldset; each one has its own label.
    first = press_tab(page)
    assert first["tag"] == "input" and first["labels"] == ["Cancer du poumon"]
    assert press_tab(page)["labels"] == ["Lymphome"]
    page.keyboard.press("Space")
    focused = press_tab(page)
    assert focused["id"] == "id_department"
    # Départements are grouped by région (optgroups); picking one is the select's business.
    assert page.locator("#id_department optgroup").count() == 18
    page.locator("#id_department").select_option("33")
    expect(page.locator("#id_department")).to_be_focused()
    assert press_tab(page)["id"] == "id_accept_charter"
    page.keyboard.press("Space")
    assert press_tab(page)["tag"] == "a"  # the link to read the charter, inside the label
    assert press_tab(page)["id"] == "id_consent_health_data"
    page.keyboard.press("Space")
    assert press_tab(page)["tag"] == "button"
    page.keyboard.press("Enter")

    # --- "Check your inbox", then the link in the message ------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")
    expect(page.locator("header")).not_to_contain_text("Compte\u00a0:")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alize@example.org"]
    assert message.subject.startswith("[Réseau Alpha]")
    link = re.search(r"http://alpha\.localhost:\d+/comptes/confirm-email/\S+/", message.body)
    assert link, message.body
    with tenant_context(creation.tenant):
        member = Member.objects.select_related("user").get(user__username="Alizé")
        assert member.profile_type == "former_patient"
        assert member.department == "33"
        assert [p.pk for p in member.pathologies.all()] == [lymphoma.pk]
        assert sorted(member.consents.values_list("kind", flat=True)) == [
            Consent.Kind.CHARTER,
            Consent.Kind.HEALTH_DATA,
        ]
        assert not member.user.emailaddress_set.get().verified

    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer l'adresse e-mail")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("header")).to_contain_text("Compte\u00a0: Alizé")
    expect(page.get_by_role("status")).to_contain_text("Vous avez confirmé alize@example.org.")
    with tenant_context(creation.tenant):
        assert member.user.emailaddress_set.get().verified

    # --- The profile -------------------------------------------------------------------------
    page.locator('header a[href="/profil/"]').click()
    expect(page).to_have_url(site.url("alpha", "/profil/"))
    expect_every_control_labelled(page)
    expect(page.locator("#id_profile_type")).to_have_value("former_patient")
    expect(page.locator("#id_department")).to_have_value("33")
    expect(page.locator(f"#id_pathologies input[value='{lymphoma.pk}']")).to_be_checked()
    tab_to(page, press_tab, "id_bio", limit=30)
    page.keyboard.type("Randonneuse, en rémission depuis deux ans.")
    page.locator("#id_visibility_pathologies").select_option("nobody")
    page.locator("#id_visibility_region").select_option("network")
    page.locator("#id_visibility_bio").select_option("spaces")
    page.locator("main form button[type=submit]").press("Enter")
    expect(page).to_have_url(site.url("alpha", "/membres/Aliz%C3%A9/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alizé")
    expect(page.get_by_role("main")).to_contain_text("Randonneuse, en rémission depuis deux ans.")
    expect(page.get_by_role("main")).to_contain_text("Nouvelle-Aquitaine")
    expect(page.get_by_role("main")).to_contain_text("Lymphome")  # "nobody" but herself
    with tenant_context(creation.tenant):
        member.refresh_from_db()
        assert member.bio == "Randonneuse, en rémission depuis deux ans."
        assert (member.visibility_pathologies, member.visibility_region, member.visibility_bio) == (
            "nobody",
            "network",
            "spaces",
        )

    # --- Sign out, sign in again with the email ----------------------------------------------
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(site.url("alpha"))
    expect(page.locator("header")).not_to_contain_text("Compte\u00a0:")
    page.locator("header").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect_every_control_labelled(page)
    tab_to(page, press_tab, "id_login", limit=20)
    page.keyboard.type("alize@example.org")
    assert press_tab(page)["tag"] == "a"  # "Forgotten password?", the field's help text
    assert press_tab(page)["labels"] == ["Mot de passe"]
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("alpha"))
    expect(page.locator("header")).to_contain_text("Compte\u00a0: Alizé")

    # --- A second factor, though a member need not have one ----------------------------------
    page.goto(site.url("alpha", "/comptes/2fa/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
    page.get_by_role("link", name="Activer").first.click()
    # The password typed at sign-in, minutes ago, counts: it is not asked for again.
    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/totp/activate/"))
    expect_every_control_labelled(page)
    activate_totp(page)

    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    codes = page.get_by_label("Codes inutilisés").input_value().split()
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    expect(page.get_by_role("link", name="Télécharger les codes")).to_be_visible()
    with tenant_context(creation.tenant):
        assert sorted(member.user.authenticator_set.values_list("type", flat=True)) == [
            "recovery_codes",
            "totp",
        ]
