"""Issue 14's journey in a real browser: a patient opts in to "people like me", finds another
patient of her région with the same pathology, follows her and writes to her; the other
blocks her; the first can no longer write, and reads only what "nobody" would read."""

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.members import services as members
from tenant_apps.members.models import Consent
from tenant_apps.messaging import services as messaging
from tenant_apps.messaging.models import Message
from tenant_apps.social.models import Block, Follow, SocialSettings

from .test_forums_journey import PASSWORD, sign_in

pytestmark = pytest.mark.browser

# Camille lives in the Rhône; Bastienne and four others in Auvergne-Rhône-Alpes, Paula in
# Paris: all share the pathology and chose to be suggested, only within their région.
SAME_REGION = {"Bastienne": "38", "Ain01": "01", "Loire42": "42", "Savoie73": "73",
               "Annecy74": "74"}  # fmt: skip
# A message posted by hand, without the form the page no longer shows.
FORGED_POST = """async (url) => {
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken=")).slice(10);
  const response = await fetch(url, {method: "POST", body: "body=Encore+moi",
    headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token}});
  return response.status;
}"""
TEXT = "Bonjour Bastienne, je vis la même chose depuis mars. On en parle ?"


def _patient(username: str, department: str, pathology, *, opted_in: bool):
    member = members.member_create(
        username=username, email=f"{username.lower()}@example.org", password=PASSWORD
    ).member
    members.consent_give(member=member, kind=Consent.Kind.HEALTH_DATA)
    members.profile_update(member=member, pathologies=[pathology], department=department)
    if opted_in:
        SocialSettings.objects.create(member=member, matching=True, matching_same_region=True)
    return member


def test_a_patient_finds_follows_and_writes_then_is_blocked(site, browser):
    creation = site.create("alpha", name="Réseau Alpha")
    with tenant_context(creation.tenant):
        lung = members.pathology_create(name="Cancer du poumon")
        camille = _patient("Camille", "69", lung, opted_in=False)
        others = {
            name: _patient(name, dep, lung, opted_in=True) for name, dep in SAME_REGION.items()
        }
        _patient("Paula", "75", lung, opted_in=True)
        bastienne = others["Bastienne"]
        # Bastienne takes first messages from every member.
        messaging.first_contact_set(member=bastienne, choice="everyone")

    # Camille opts in to "people like me", within her région.
    page = sign_in(browser, site, "camille@example.org")
    page.goto(site.url("alpha", "/communaute/rencontres/"))
    expect(page.locator("#no-suggestions")).to_have_attribute("data-reason", "not_opted_in")
    page.locator("#id_matching").check()
    page.locator("#id_matching_same_region").check()
    page.locator("#matching-form button[type=submit]").click()
    suggestions = page.locator("#suggestions")
    expect(suggestions.locator("li")).to_have_count(5)
    expect(suggestions).to_contain_text("Cancer du poumon")
    expect(suggestions).not_to_contain_text("Paula")

    # She opens Bastienne's profile and follows her.
    suggestions.get_by_role("link", name="Bastienne").click()
    expect(page.locator("h1")).to_have_text("Bastienne")
    page.locator("#follow-button").click()
    expect(page.locator("#follow-button")).to_have_attribute("aria-pressed", "true")
    with tenant_context(creation.tenant):
        assert Follow.objects.filter(follower=camille, followed=bastienne).exists()

    # She writes to her from the profile.
    page.locator("#write-button").click()
    page.locator("#id_body").fill(TEXT)
    page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#messages")).to_contain_text(TEXT)
    conversation_url = page.url

    # Bastienne reads it (the header counts it) and blocks Camille from the conversation.
    bastienne_page = sign_in(browser, site, "bastienne@example.org")
    expect(bastienne_page.locator("#unread-messages")).to_contain_text("1")
    bastienne_page.goto(site.url("alpha", "/messages/"))
    bastienne_page.locator("#conversations").get_by_role("link", name="Camille").click()
    expect(bastienne_page.locator("#messages")).to_contain_text(TEXT)
    bastienne_page.locator("#block").click()
    expect(bastienne_page.locator("#blocked")).to_be_visible()
    with tenant_context(creation.tenant):
        assert Block.objects.filter(blocker=bastienne, blocked=camille).exists()

    # Camille can no longer write: no form, the same words as for a member who takes no
    # first message, nothing that says she was blocked.
    page.goto(conversation_url)
    expect(page.locator("#cannot-write")).to_be_visible()
    expect(page.locator("#message-form")).to_have_count(0)
    expect(page.locator("#blocked")).to_have_count(0)
    expect(page.locator("#messages")).to_contain_text(TEXT)
    said = page.locator("#cannot-write").inner_text()
    page.goto(site.url("alpha", f"/messages/ecrire/{others['Ain01'].pk}/"))
    assert page.locator("#cannot-write").inner_text() == said
    # A forged post changes nothing either.
    status = page.evaluate(FORGED_POST, conversation_url)
    assert status == 200  # the page again, with the same refusal
    with tenant_context(creation.tenant):
        assert list(Message.objects.values_list("body", flat=True)) == [TEXT]
