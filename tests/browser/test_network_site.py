"""A network's site in a real browser: invitation, branding, language, keyboard, status pages.

Every test runs against pytest-django's live server, so the networks are created for real
(committed) and their schemas are dropped afterwards. Tenant hosts are ``<slug>.localhost``,
which Chromium resolves to the loopback address.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from provisioning import services
from provisioning.services import Creation

pytestmark = pytest.mark.browser

# What document.activeElement looks like, to follow keyboard focus.
FOCUSED = """() => {
  const el = document.activeElement;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent || "").trim(),
    labels: el.labels ? Array.from(el.labels, (label) => label.textContent.trim()) : null,
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden",
    inViewport: rect.top >= 0 && rect.left >= 0
      && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth,
    focusVisible: el.matches(":focus-visible")
      && (style.outlineStyle !== "none" || style.boxShadow !== "none"),
  };
}"""


@dataclass
class Site:
    port: int

    def url(self, slug: str, path: str = "/") -> str:
        return f"http://{slug}.localhost:{self.port}{path}"

    def create(self, slug: str, **overrides) -> Creation:
        return services.tenant_create(
            slug=slug,
            name=overrides.pop("name", f"Réseau {slug}"),
            organization_slug=f"asso-{slug}",
            admin_email=f"admin@{slug}.example",
            actor="test",
            **overrides,
        )


@pytest.fixture
def site(transactional_db, drop_tenant_schemas, live_server, settings):
    """The live server, with links and cookies that work over plain http on its port."""
    port = urlsplit(live_server.url).port
    settings.PLATFORM_URL_SCHEME = "http"
    settings.PLATFORM_URL_PORT = str(port)
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    services.platform_ensure()
    last_job = _last_job_id()
    yield Site(port=port)
    # Creating a network commits its invitation job; the flush that ends a transactional
    # test leaves procrastinate's (unmanaged) tables alone, so take the jobs out here.
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s", [last_job])


def _last_job_id() -> int:
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        return cursor.fetchone()[0]


def press_tab(page: Page) -> dict:
    """Move focus forward once; the newly focused element must be visible and labelled."""
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "Tab left the page instead of reaching the next control"
    assert focused["visible"] and focused["inViewport"], f"focus is out of sight: {focused}"
    assert focused["focusVisible"], f"no focus indicator: {focused}"
    if focused["tag"] in ("input", "select", "textarea"):
        assert focused["labels"] and all(focused["labels"]), f"control without label: {focused}"
    return focused


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


def test_the_first_admin_creates_their_account_from_the_invitation_with_the_keyboard(site, page):
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

    expect(page).to_have_url(site.url("alpha"))
    expect(page.locator("header")).to_contain_text("Connecté en tant que Mistral")
    expect(page.locator("header .site-name")).to_have_text("Réseau Alpha")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réseau Alpha")
    spaces = page.get_by_role("region", name="Espaces").get_by_role("heading", level=3)
    expect(spaces).to_have_text(["Patients", "Proches aidants"])
    crisis = page.get_by_role("complementary", name="Besoin d'aide tout de suite ?")
    expect(crisis.get_by_role("link", name="3114")).to_have_attribute("href", "tel:3114")

    # The link works once.
    response = page.goto(creation.invitation_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def test_each_network_wears_its_own_colours_with_readable_header_text(site, page):
    colours = {"alpha": "#0b6e4f", "beta": "#9b1c1f"}  # neither is the stylesheet's default
    for slug, colour in colours.items():
        site.create(slug, primary_color=colour)

    for slug, colour in colours.items():
        assert page.goto(site.url(slug)).status == 200
        expect(page.locator("header .site-name")).to_have_text(f"Réseau {slug}")
        header = page.evaluate(
            """() => {
              const header = document.querySelector("header.site-header");
              const name = header.querySelector(".site-name");
              const label = header.querySelector("label");
              return {
                background: getComputedStyle(header).backgroundColor,
                onPrimary: getComputedStyle(document.documentElement)
                  .getPropertyValue("--on-primary").trim(),
                name: getComputedStyle(name).color,
                label: getComputedStyle(label).color,
              };
            }"""
        )
        assert header["background"] == rgb(colour), slug
        assert header["onPrimary"] == "#ffffff", slug
        for text in ("name", "label"):
            assert header[text] == "rgb(255, 255, 255)", (slug, text)
            assert contrast(header[text], header["background"]) >= 4.5, (slug, text)


def test_the_skip_link_and_the_language_choice_work_from_the_keyboard(site, page):
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
