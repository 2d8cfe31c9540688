"""Issue 11 in a real browser: a member reacts, follows a topic and marks notifications read
without the page reloading (htmx), and the same actions work with JavaScript turned off."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation
from django.utils.translation import pgettext
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category, Post, Reaction, Subscription
from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tenant_apps.moderation import services as moderation
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.notifications.models import Notification
from tests.notifications.factories import notify

from .conftest import totp_code

pytestmark = pytest.mark.browser

PASSWORD = "un-long-secret-42"


@pytest.fixture
def alpha(site):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        camille = members.member_create(
            username="Camille", email="camille@example.org", password=PASSWORD
        ).member
        bastien = members.member_create(
            username="Bastien", email="bastien@example.org", password=PASSWORD
        ).member
        ModerationSettings.objects.update(premoderated_posts=0)
        topic = forums.topic_create(
            author=camille,
            category=Category.objects.get(slug="traitements"),
            title="La fatigue sous immunothérapie",
            body="Comment tenez-vous le coup en fin de journée ?",
        )
        reply = forums.post_create(author=camille, topic=topic, body="Pour moi, la sieste aide.")
        for _ in range(2):
            notify(bastien)
    return creation.tenant, topic, reply, bastien


def _sign_in(browser, site, *, javascript: bool):
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("bastien@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).not_to_have_url(site.url("alpha", "/comptes/login/"))
    return page


def test_react_follow_and_mark_read_without_a_reload(site, browser, alpha):
    tenant, topic, reply, bastien = alpha
    page = _sign_in(browser, site, javascript=True)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(site.url("alpha", f"/forums/sujet/{topic.pk}/"))
    page.evaluate("window.__stayed = true")
    loads.clear()

    # A reaction: pressed, counted, said, with the focus still on it; no navigation.
    button = page.locator(f"#react-{reply.pk}-thanks")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    button = page.locator(f"#react-{reply.pk}-thanks")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".count")).to_have_text("1")
    expect(page.locator("#live-status")).to_contain_text("Merci")
    assert page.evaluate("document.activeElement.id") == f"react-{reply.pk}-thanks"
    # Released again.
    button.click()
    expect(page.locator(f"#react-{reply.pk}-thanks")).to_have_attribute("aria-pressed", "false")

    # Follow, then press again to stop.
    follow = page.locator("#follow-button")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    expect(page.locator("#follow-button")).to_have_attribute("aria-pressed", "true")

    assert page.evaluate("window.__stayed") is True
    assert loads == []
    with tenant_context(tenant):
        assert not Reaction.objects.filter(post=reply, member=bastien).exists()
        assert Subscription.objects.filter(topic=topic, member=bastien).exists()

    # Notifications: one marked read, then all; the header's count follows, no reload.
    page.goto(site.url("alpha", "/notifications/"))
    page.evaluate("window.__stayed = true")
    loads.clear()
    badge = page.locator("#unread-nav .badge")
    expect(badge).to_contain_text("2")
    page.locator(".notification.unread .mark-read button").first.click()
    expect(page.locator("#unread-nav .badge")).to_contain_text("1")
    expect(page.locator(".notification.unread")).to_have_count(1)
    page.locator("#mark-all-read").click()
    expect(page.locator("#unread-nav .badge")).to_have_count(0)
    expect(page.locator(".notification.unread")).to_have_count(0)
    assert page.evaluate("window.__stayed") is True
    assert loads == []
    with tenant_context(tenant):
        assert not Notification.objects.filter(recipient=bastien, read_at__isnull=True).exists()


def test_the_same_actions_work_without_javascript(site, browser, alpha):
    tenant, topic, reply, bastien = alpha
    page = _sign_in(browser, site, javascript=False)
    topic_url = site.url("alpha", f"/forums/sujet/{topic.pk}/")
    page.goto(topic_url)
    # No toolbar without the script: the textarea alone.
    expect(page.locator(".editor-toolbar")).to_have_count(0)

    page.locator(f"#react-{reply.pk}-courage").click()
    expect(page).to_have_url(f"{topic_url}#message-{reply.pk}")
    expect(page.locator(f"#react-{reply.pk}-courage")).to_have_attribute("aria-pressed", "true")

    page.locator("#follow-button").click()
    expect(page).to_have_url(topic_url)
    expect(page.locator("#follow-button")).to_have_attribute("aria-pressed", "true")

    page.goto(site.url("alpha", "/notifications/"))
    page.locator(".notification.unread .mark-read button").first.click()
    expect(page.locator(".notification.unread")).to_have_count(1)
    expect(page.locator("#unread-nav .badge")).to_contain_text("1")
    page.locator("#mark-all-read").click()
    expect(page.locator(".notification.unread")).to_have_count(0)
    with tenant_context(tenant):
        assert Reaction.objects.filter(post=reply, member=bastien, kind="courage").exists()
        assert Subscription.objects.filter(topic=topic, member=bastien).exists()
        assert not Notification.objects.filter(recipient=bastien, read_at__isnull=True).exists()


def test_the_formatting_toolbar_is_used_with_the_keyboard(site, browser, alpha):
    tenant, topic, reply, bastien = alpha
    page = _sign_in(browser, site, javascript=True)
    page.goto(site.url("alpha", f"/forums/sujet/{topic.pk}/"))
    toolbar = page.get_by_role("toolbar")
    expect(toolbar).to_have_count(1)
    with translation.override("fr"):
        words = ("Bold", "Italic", "List", "Link", "Quote")
        names = {word: pgettext("editor", word) for word in words}
    for name in names.values():
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_have_count(1)
    body = page.locator("textarea[name=body]")
    body.fill("courage")
    body.evaluate("area => area.setSelectionRange(0, 7)")
    body.press("Control+b")
    expect(body).to_have_value("**courage**")
    body.press("End")
    body.press("Enter")
    body.type("merci")
    body.evaluate("area => area.setSelectionRange(area.value.length - 5, area.value.length)")
    body.press("Control+i")
    expect(body).to_have_value("**courage**\n*merci*")
    # Reached with Tab from the label's side, applied with Enter and Space.
    toolbar.get_by_role("button", name=names["Quote"], exact=True).focus()
    page.keyboard.press("Enter")
    expect(body).to_have_value("**courage**\n> *merci*")
    toolbar.get_by_role("button", name=names["List"], exact=True).focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip().endswith(names["List"])
    page.keyboard.press("Space")
    expect(body).to_have_value("**courage**\n- > *merci*")


def test_the_moderation_queue_acts_in_place_and_moves_on(site, browser, alpha):
    tenant, topic, reply, bastien = alpha
    with tenant_context(tenant):
        mona = members.member_create(
            username="Mona", email="mona@example.org", password=PASSWORD, role=Role.MODERATOR
        )
        secret = generate_totp_secret()
        TOTP.activate(mona, secret)
        second = forums.post_create(author=bastien, topic=topic, body="Un autre message.")
        for post in (reply, second):
            moderation.report_create(reporter=bastien, post=post, reason="hurtful")
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.goto(site.url("alpha", "/comptes/login/"))
    page.locator("#id_login").fill("mona@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("#id_code").press("Enter")
    page.goto(site.url("alpha", "/moderation/"))
    page.evaluate("window.__stayed = true")
    first_id, next_id = (
        int(i.split("-")[-1])
        for i in page.locator("article.case").evaluate_all("cases => cases.map(c => c.id)")
    )
    # Hidden in place: a confirmation takes its place, the focus goes to the next case.
    page.locator(f"#reason-{first_id}").fill("Propos blessants")
    page.locator(f"#reason-{first_id}").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(f"#case-done-{first_id}")).to_be_visible()
    expect(page.locator(f"#case-post-{first_id}")).to_have_count(0)
    expect(page.locator(f"#case-title-{next_id}")).to_be_focused()
    # Kept (the last case): the focus stays on its confirmation.
    page.locator(f"#case-post-{next_id} .actions form").first.locator("button").click()
    expect(page.locator(f"#case-done-{next_id}")).to_be_focused()
    # The hide is undone from its confirmation.
    page.locator(f"#case-done-{first_id} button").click()
    expect(page.locator(f"#case-done-{first_id}")).to_be_focused()
    expect(page.locator(f"#case-done-{first_id} form")).to_have_count(0)
    assert page.evaluate("window.__stayed") is True
    with tenant_context(tenant):
        assert Post.objects.get(pk=first_id).status == Post.Status.PUBLISHED
    context.close()
