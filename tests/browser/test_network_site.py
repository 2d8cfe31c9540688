"""A network's site in a real browser: invitation, branding, language, keyboard, status pages.

Every test runs against pytest-django's live server (the ``site`` fixture of conftest.py), so
the networks are created for real (committed) and their schemas are dropped afterwards.
"""

import re

import pytest
from playwright.sync_api import expect

from provisioning import services

pytestmark = pytest.mark.browser


def rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def contrast(css_a: str, css_b: str) -> float:
    """WCAG 2.1 contrast ratio between two computed ``rgb(r, g, b)`` colours."""

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(css_a), luminance(css_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_first_admin_creates_their_account_from_the_invitation_with_the_keyboard(
    site, page, press_tab
):
    creation = site.create("alpha", name="Réseau Alpha")
    assert creation.invitation_url.startswith(site.url("alpha", "/invitation/"))

    response = page.goto(creation.invitation_url)
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créez votre compte")
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll("main input:not([type=hidden])"))
                 .filter((input) => !input.labels.length).map((input) => input.name)"""
    )
    assert unlabelled == []

    # Too short and not confirmed: the mismatch is reported, the pseudonym stays.
    page.get_by_label("Pseudonyme").fill("Mistral")
    page.get_by_label("Mot de passe", exact=True).fill("court")
    page.get_by_label("Confirmez le mot de passe").fill("autre")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créez votre compte")
    expect(page.locator(".field.has-error")).to_contain_text(
        "Les deux mots de passe ne sont pas identiques."
    )
    expect(page.get_by_label("Pseudonyme")).to_have_value("Mistral")
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")

    # Confirmed but still too short: the password rules answer, in French too.
    page.get_by_label("Mot de passe", exact=True).fill("court")
    page.get_by_label("Confirmez le mot de passe").fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator(".field.has-error")).to_contain_text(
        "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères."
    )
    expect(page.get_by_label("Pseudonyme")).to_have_value("Mistral")

    # Now only the keyboard, from the top of the page: through the header to the kept
    # pseudonym, then through the two password fields.
    path = []
    while not path or path[-1]["id"] != "id_username":
        assert len(path) < 10, f"the pseudonym field is not reachable with Tab: {path}"
        path.append(press_tab(page))
    assert path[0]["text"] == "Aller au contenu"
    assert path[-1]["labels"] == ["Pseudonyme"]
    assert press_tab(page)["labels"] == ["Mot de passe"]
    page.keyboard.type("une-longue-phrase-secrete")
    assert press_tab(page)["labels"] == ["Confirmez le mot de passe"]
    page.keyboard.type("une-longue-phrase-secrete")
    page.keyboard.press("Enter")

    # The account exists and is signed in; an admin is sent on to set up their second
    # factor (today through allauth's password check: see the next test).
    expect(page).to_have_url(
        re.compile(
            r"/comptes/(reauthenticate/\?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F"
            r"|2fa/totp/activate/)$"
        )
    )
    expect(page.locator("header")).to_contain_text("Compte\u00a0: Mistral")
    expect(page.locator("header .site-name")).to_contain_text("Réseau Alpha")

    # The link works once.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("header")).not_to_contain_text("Compte\u00a0:")
    response = page.goto(creation.invitation_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def accept_invitation(page, invitation_url: str, pseudonym: str, password: str) -> None:
    page.goto(invitation_url)
    page.get_by_label("Pseudonyme").fill(pseudonym)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmez le mot de passe").fill(password)
    page.get_by_role("button", name="Créer mon compte").click()


def expect_the_home_page_signed_in(page, site, pseudonym: str) -> None:
    page.goto(site.url("alpha"))
    expect(page).to_have_url(site.url("alpha"))
    expect(page.locator("header")).to_contain_text(f"Compte\u00a0: {pseudonym}")
    expect(page.locator("header .site-name")).to_contain_text("Réseau Alpha")
    expect(page.get_by_role("heading", level=1)).to_contain_text(pseudonym)
    # The member's spaces are links to the forums (found by the home section's ids).
    spaces = page.locator("#home-spaces [id^=home-space-] > a")
    expect(spaces).to_have_text(["Patients", "Proches aidants"])  # an admin sees every space
    crisis = page.get_by_role("complementary", name="Besoin d'aide tout de suite ?")
    expect(crisis.get_by_role("link", name="3114")).to_have_attribute("href", "tel:3114")


def test_the_invited_admin_goes_straight_on_to_set_up_the_authenticator_app(
    site, page, activate_totp
):
    creation = site.create("alpha", name="Réseau Alpha")
    accept_invitation(page, creation.invitation_url, "Mistral", "une-longue-phrase-secrete")

    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/totp/activate/"))
    activate_totp(page)
    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/recovery-codes/"))
    expect_the_home_page_signed_in(page, site, "Mistral")


def test_an_admin_without_a_second_factor_sets_it_up_before_reaching_the_network(
    site, page, activate_totp
):
    creation = site.create("alpha", name="Réseau Alpha")
    accept_invitation(page, creation.invitation_url, "Mistral", "une-longue-phrase-secrete")
    expect(page.locator("header")).to_contain_text("Compte\u00a0: Mistral")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("header")).not_to_contain_text("Compte\u00a0:")

    # Signing in with the email and password, the admin is held on the TOTP set-up: every
    # other page sends them back there. The password just typed counts as a fresh
    # authentication, so allauth does not ask for it a second time before the set-up.
    page.goto(site.url("alpha", "/comptes/login/"))
    page.get_by_label("Courriel").fill("admin@alpha.example")
    page.get_by_label("Mot de passe").fill("une-longue-phrase-secrete")
    page.get_by_role("button", name="Connexion").click()
    to_activation = site.url("alpha", "/comptes/2fa/totp/activate/")
    expect(page).to_have_url(to_activation)
    page.goto(site.url("alpha", "/profil/"))
    expect(page).to_have_url(to_activation)

    # A wrong code is refused; the secret shown and the right code set it up.
    page.get_by_label("Code de l'authentificateur").fill("000000")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_label("Code de l'authentificateur")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator(".field.has-error")).to_contain_text("Code incorrect.")
    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/totp/activate/"))
    activate_totp(page)
    expect(page).to_have_url(site.url("alpha", "/comptes/2fa/recovery-codes/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    # The recovery codes lead on, to the page last asked for (the profile).
    page.get_by_role("link", name="Continuer").click()
    expect(page).to_have_url(site.url("alpha", "/profil/"))

    expect_the_home_page_signed_in(page, site, "Mistral")


def test_each_network_wears_its_own_colours_with_readable_header_text(site, page):
    colours = {"alpha": "#0b6e4f", "beta": "#9b1c1f"}  # neither is the stylesheet's default
    for slug, colour in colours.items():
        site.create(slug, primary_color=colour)

    for slug, colour in colours.items():
        assert page.goto(site.url(slug)).status == 200
        expect(page.locator("header .site-name")).to_contain_text(f"Réseau {slug}")
        # The colour as chosen bands the header and fills the monogram; the name and the
        # monogram's letters read on what they sit on (docs/design.md, "Colours").
        header = page.evaluate(
            """() => {
              const root = getComputedStyle(document.documentElement);
              const header = document.querySelector("header.site-header");
              const monogram = header.querySelector(".monogram");
              return {
                band: getComputedStyle(header).borderTopColor,
                brand: root.getPropertyValue("--brand").trim(),
                tint: root.getPropertyValue("--primary-tint").trim(),
                name: getComputedStyle(header.querySelector(".site-name")).color,
                monogram: getComputedStyle(monogram).backgroundColor,
                initials: getComputedStyle(monogram).color,
              };
            }"""
        )
        assert header["brand"] == colour, slug
        assert header["band"] == rgb(colour), slug
        assert header["monogram"] == rgb(colour), slug
        assert contrast(header["initials"], header["monogram"]) >= 4.5, slug
        # The header's background goes from the primary tint to white and the accent tint.
        assert contrast(header["name"], rgb(header["tint"])) >= 4.5, slug


def test_the_skip_link_and_the_language_choice_work_from_the_keyboard(site, page, press_tab):
    creation = site.create("alpha")
    page.goto(creation.invitation_url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    skip = page.locator("a.skip-link")
    expect(skip).to_have_text("Aller au contenu")
    expect(skip).not_to_be_in_viewport()
    assert press_tab(page)["text"] == "Aller au contenu"
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues from the content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page).to_have_url(creation.invitation_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    expect(page.get_by_label("Pseudonym")).to_be_visible()

    # The choice sticks: another page, loaded afresh, is in English too.
    page.goto(site.url("alpha"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="Spaces")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page.locator("a.skip-link")).to_have_text("Skip to content")


def test_a_suspended_network_answers_503_in_french(site, page):
    site.create("alpha", name="Réseau Alpha")
    assert page.goto(site.url("alpha")).status == 200

    services.tenant_suspend(slug="alpha", actor="test", reason="impayé")
    response = page.goto(site.url("alpha"))
    assert response.status == 503
    assert response.headers["retry-after"] == "3600"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Momentanément indisponible")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ce réseau est momentanément indisponible"
    )
    expect(page.get_by_role("main")).to_contain_text("Réseau Alpha est en pause")
    expect(page.get_by_role("main")).to_contain_text("appelez le 3114")


def test_an_unknown_host_gets_the_not_found_page(site, page):
    response = page.goto(site.url("nowhere"))
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def test_screen_readers_hear_each_fields_help_text(site, page):
    creation = site.create("alpha")
    page.goto(creation.invitation_url)
    expect(page.get_by_label("Pseudonyme")).to_have_accessible_description(
        "Visible par les autres membres. N'utilisez pas votre vrai nom.", timeout=1_000
    )
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_accessible_description(
        re.compile("au minimum 10 caractères"), timeout=1_000
    )
