"""Experiences in Chromium: a member shares one with a picture and a content warning,
reacts in place (htmx) and comments; the list, an experience, the forms and the moderators'
queue with an experience and a comment in it, at 1280 and 390 px, without sideways scroll,
console errors or serious axe violations. With SHOTS set, each page is saved there as a
screenshot at both widths (to look at)."""

import os
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.forums.models import ContentWarning
from tenant_apps.members import services as members
from tenant_apps.members.models import Consent, Member, Role
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.social import services
from tenant_apps.social.models import Experience, ExperienceComment, Follow
from tests.events.factories import picture

from .checks import WIDTHS, ConsoleErrors, page_problems, with_axe
from .conftest import totp_code

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
SHOTS = os.environ.get("SHOTS", "")


def _member(name, role=Role.MEMBER):
    user = members.member_create(
        username=name, email=f"{name.lower()}@example.org", password=PASSWORD, role=role
    )
    for kind in (Consent.Kind.CHARTER, Consent.Kind.HEALTH_DATA):
        members.consent_give(member=user.member, kind=kind)
    return Member.objects.get(pk=user.member.pk)


@pytest.fixture
def alpha(site):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
        camille = _member("Camille")
        nadine = _member("Nadine_63")
        mona = _member("Mona", Role.MODERATOR)
        secret = generate_totp_secret()
        TOTP.activate(mona.user, secret)
        Follow.objects.create(follower=camille, followed=nadine)
        warning = ContentWarning.objects.order_by("position").first() or (
            ContentWarning.objects.create(name="Récidive", position=1)
        )
        long_word = "Anticonstitutionnellement" * 4
        first = services.experience_create(
            author=nadine,
            body="## Six mois après\n\nJ'ai **remarché** vingt minutes ce matin, au bord du "
            f"lac. {long_word}\n\n> Un pas après l'autre.",
            image=picture(),
            image_alt="Le lac au petit matin",
        )
        services.experience_create(
            author=nadine,
            body="La rechute, on en parle ? J'ai eu peur.",
            audience="followers",
            warnings=[warning],
        )
        comment = services.comment_create(
            author=camille, experience=first, body="Bravo Nadine, ça donne du courage."
        )
        moderation.report_create(reporter=camille, target=first, reason="other", detail="Test")
        moderation.report_create(reporter=nadine, target=comment, reason="hurtful")
    return creation.tenant, camille, nadine, secret


def _sign_in(page, site, email, secret=None):
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    if secret:
        page.locator("#id_code").fill(totp_code(secret))
        page.locator("#id_code").press("Enter")
    expect(page.locator("header")).to_contain_text(email.split("@")[0].capitalize()[:4])


def _check(page, name: str) -> list[str]:
    problems = []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{name} at {width}px: {p}" for p in page_problems(page)]
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    return problems


def test_share_react_comment_and_the_pages(site, browser, alpha):
    tenant, camille, nadine, secret = alpha
    context = browser.new_context(locale="fr-FR")
    with_axe(context)
    page = context.new_page()
    console = ConsoleErrors()
    console.listen(page)
    _sign_in(page, site, "camille@example.org")
    problems = []

    page.goto(site.url("alpha", "/experiences/"))
    expect(page.locator("#experiences article")).to_have_count(2)
    problems += _check(page, "experience-list")

    # React in place: the footer is swapped, the page stays.
    with tenant_context(tenant):
        first = Experience.objects.filter(audience="network").get()
    button = page.locator(f"#react-{first.pk}-support")
    expect(button).to_have_attribute("aria-pressed", "false")
    url = page.url
    button.click()
    expect(page.locator(f"#react-{first.pk}-support")).to_have_attribute("aria-pressed", "true")
    assert page.url == url
    with tenant_context(tenant):
        assert Experience.objects.get(pk=first.pk).support_count == 1

    page.goto(site.url("alpha", f"/experiences/{first.pk}/"))
    expect(page.locator("img.experience-image")).to_be_visible()
    problems += _check(page, "experience-detail")
    page.locator("#comment-form textarea").fill("Merci pour ce partage.")
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator("#comments > li")).to_have_count(2)
    with tenant_context(tenant):
        assert ExperienceComment.objects.filter(author=camille).count() == 2

    page.goto(site.url("alpha", "/experiences/nouvelle/"))
    problems += _check(page, "experience-new")
    page.locator("#id_body").fill("Mon premier partage : écrivez-moi à camille@exemple.fr")
    page.locator("#id_audience_1").check()
    page.locator("#experience-form button[type=submit]").click()
    # Identifying data: the text is kept, a confirmation is asked.
    expect(page.locator("#id_confirm_identifying")).to_be_visible()
    problems += _check(page, "experience-confirm")
    page.locator("#id_confirm_identifying").check()
    page.locator("#experience-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Camille")
    with tenant_context(tenant):
        mine = Experience.objects.get(author=camille)
        assert mine.audience == "spaces"
    page.goto(site.url("alpha", f"/experiences/{mine.pk}/modifier/"))
    problems += _check(page, "experience-edit")
    page.goto(site.url("alpha", f"/moderation/signaler/experience/{first.pk}/"))
    problems += _check(page, "experience-report")
    assert problems + console.take() == []
    context.close()

    moderator = browser.new_context(locale="fr-FR")
    with_axe(moderator)
    page = moderator.new_page()
    console.listen(page)
    _sign_in(page, site, "mona@example.org", secret)
    page.goto(site.url("alpha", "/moderation/"))
    expect(page.locator(f"#case-experience-{first.pk}")).to_be_visible()
    expect(page.locator("article.case")).to_have_count(2)
    problems += _check(page, "moderation-queue")
    assert problems + console.take() == []
    moderator.close()
