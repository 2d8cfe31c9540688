"""Issue 4's journey in a real browser: a patient posts in the Patients space, a caregiver
cannot see it, another patient reports it, a moderator hides it from the queue with a
reason, and the author sees why."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.forums.models import Post
from tenant_apps.members import services as members
from tenant_apps.members.models import ProfileType, Role
from tenant_apps.moderation.models import ModerationSettings

from .conftest import totp_code

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"
REASON = "Ce message donnait une posologie qui n'est pas à suivre sans avis médical."


def sign_in(browser, site, email, *, totp_secret=None):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    if totp_secret:
        page.locator("#id_code").fill(totp_code(totp_secret))
        page.locator("#id_code").press("Enter")
    expect(page.locator("header")).to_contain_text("Compte\u00a0:")
    return page


def test_a_post_is_reported_hidden_by_a_moderator_and_its_author_sees_why(site, browser):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        for username, profile_type in (
            ("Camille", ProfileType.PATIENT),
            ("Bastien", ProfileType.PATIENT),
            ("Paul", ProfileType.CAREGIVER),
        ):
            members.member_create(username=username, email=f"{username.lower()}@example.org",
                                  password=PASSWORD, profile_type=profile_type)  # fmt: skip
        moderator = members.member_create(
            username="Mona", email="mona@example.org", password=PASSWORD, role=Role.MODERATOR
        )
        secret = generate_totp_secret()
        TOTP.activate(moderator, secret)
        # Established members: no pre-moderation of first posts in this journey.
        ModerationSettings.objects.update(premoderated_posts=0)

    # Camille opens a topic in the Patients space.
    camille = sign_in(browser, site, "camille@example.org")
    camille.goto(site.url("alpha", "/forums/"))
    camille.get_by_role("link", name="Traitements et effets secondaires").click()
    camille.locator("#new-topic").click()
    camille.locator("#id_title").fill("Immunothérapie et fatigue")
    camille.locator("#id_body").fill("Je double ma dose de cortisone quand je suis fatiguée.")
    camille.locator("#topic-form button[type=submit]").click()
    expect(camille.locator("h1")).to_have_text("Immunothérapie et fatigue")
    topic_url = camille.url
    with tenant_context(creation.tenant):
        post = Post.objects.get(topic__title="Immunothérapie et fatigue")
    expect(camille.locator(f"#message-{post.pk} .post-body")).to_contain_text("cortisone")

    # Paul, a caregiver, sees neither the forum nor the topic.
    paul = sign_in(browser, site, "paul@example.org")
    paul.goto(site.url("alpha", "/forums/"))
    expect(paul.get_by_role("link", name="Traitements et effets secondaires")).to_have_count(0)
    response = paul.goto(topic_url)
    assert response.status == 404
    expect(paul.locator("body")).not_to_contain_text("cortisone")

    # Bastien reports it.
    bastien = sign_in(browser, site, "bastien@example.org")
    bastien.goto(topic_url)
    bastien.locator(f"#message-{post.pk} a.report").click()
    bastien.locator("input[name=reason][value=medical]").check()
    bastien.locator("form.form button[type=submit]").click()
    expect(bastien.get_by_role("status")).to_be_visible()

    # Mona finds it in the queue and hides it with a reason.
    mona = sign_in(browser, site, "mona@example.org", totp_secret=secret)
    mona.goto(site.url("alpha", "/moderation/"))
    case = mona.locator(f"#case-post-{post.pk}")
    expect(case).to_contain_text("Immunothérapie et fatigue")
    case.locator(f"#reason-{post.pk}").fill(REASON)
    case.locator(f"#reason-{post.pk}").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(mona.locator(f"#case-post-{post.pk}")).to_have_count(0)

    # Camille sees why, on her message and in her notifications; Bastien no longer sees it.
    camille.goto(topic_url)
    expect(camille.locator(f"#message-{post.pk} .hidden-reason")).to_contain_text(REASON)
    camille.goto(site.url("alpha", "/notifications/"))
    expect(camille.locator("main")).to_contain_text(REASON)
    bastien.goto(topic_url)
    expect(bastien.locator("body")).not_to_contain_text("cortisone")
