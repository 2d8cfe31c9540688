"""The knowledge base in a real browser: a member searches without accents, opens the article
and sees who verified it and its sources."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.knowledge import services
from tenant_apps.knowledge.models import Category
from tenant_apps.knowledge.services import SourceData
from tenant_apps.members import services as members
from tenant_apps.members.models import ProfileType, Role

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"


def test_a_member_finds_an_article_without_accents_and_sees_its_reviewer_and_sources(site, page):
    import datetime

    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        members.member_create(username="Bastien", email="bastien@example.org",
                              password=PASSWORD, profile_type=ProfileType.PATIENT)  # fmt: skip
        editor = members.member_create(
            username="Redac", email="redac@example.org", password=PASSWORD, role=Role.ADMIN
        ).member
        TOTP.activate(editor.user, generate_totp_secret())  # an admin writes only with it
        reviewer = members.member_create(
            username="DrMartin", email="martin@example.org", password=PASSWORD,
            profile_type=ProfileType.PROFESSIONAL,
        ).member  # fmt: skip
        services.editorial_role_grant(member=reviewer, kind="reviewer", actor=editor)
        TOTP.activate(reviewer.user, generate_totp_secret())  # the role asks for it
        article = services.article_create(
            author=editor,
            title="Comprendre la thérapie ciblée",
            summary="Ce qu'est une thérapie ciblée et ses effets indésirables fréquents.",
            body="Une **thérapie ciblée** agit sur une anomalie précise des cellules.",
            categories=list(Category.objects.filter(slug="therapie-ciblee")),
            sources=[
                SourceData(
                    title="Les thérapies ciblées", publisher="INCa",
                    url="https://www.e-cancer.fr/", published_on=datetime.date(2023, 5, 12),
                )
            ],
        )  # fmt: skip
        services.article_submit(article=article, by=editor)
        services.article_publish(article=article, reviewer=reviewer)

    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("bastien@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("header")).to_contain_text("Bastien")

    page.goto(site.url("alpha", "/recherche/"))
    search_box = page.locator("#id_q")
    expect(search_box).to_have_count(1)
    assert page.evaluate("() => document.querySelector('#id_q').labels.length") == 1
    search_box.fill("therapie ciblee")
    search_box.press("Enter")
    results = page.locator("#results .result-article")
    expect(results).to_have_count(1)
    expect(results.locator("mark").first).to_have_text("thérapie")
    results.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comprendre la thérapie ciblée")
    expect(page.locator("#verified-by")).to_contain_text("DrMartin")
    sources = page.locator("#sources li")
    expect(sources).to_have_count(1)
    expect(sources).to_contain_text("INCa")
    expect(sources.get_by_role("link")).to_have_attribute("href", "https://www.e-cancer.fr/")
    expect(page.locator("body")).not_to_contain_text("martin@example.org")
