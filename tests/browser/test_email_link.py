"""A notification email's link, opened signed out (the mail app's browser holds no session):
the member signs in and lands on the followed topic. A link to something that does not exist
is sent to sign in exactly the same way, so a signed-out visitor learns nothing from it
(DESIGN invariant 5, ``SignedOutRedirectMiddleware``)."""

import re
from urllib.parse import quote, urlsplit

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Category
from tenant_apps.members.models import Member
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.notifications.models import NotificationSettings
from tests.jobs import JobQueue
from tests.members.factories import PASSWORD, account

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/notifications/\d+/")


def _followed_topic_email(site, mailoutbox):
    """Bob follows his topic and is emailed at once; Olga answers. Bob's email, as sent."""
    creation = site.create("alpha")
    with tenant_context(creation.tenant):
        ModerationSettings.objects.update(premoderated_posts=0)  # established members
        bob, olga = account("Bob").member, account("Olga").member
        NotificationSettings.objects.update_or_create(
            member=bob, defaults={"frequency": NotificationSettings.Frequency.IMMEDIATELY}
        )
        topic = forums.topic_create(
            author=bob, category=Category.objects.get(slug="traitements"),
            title="Immunothérapie et fatigue", body="La fatigue est-elle fréquente ?",
        )  # fmt: skip
        forums.topic_follow(member=Member.objects.get(pk=bob.pk), topic=topic)
        jobs = JobQueue()
        forums.post_create(author=olga, topic=topic, body="Oui, surtout au début.")
        jobs.run()  # the followers' notifications, then Bob's email
    assert [message.to for message in mailoutbox] == [["bob@example.org"]]
    return topic, mailoutbox[0]


def _sign_in_page(page) -> str:
    """The sign-in page as shown, without its ``next`` value (the address asked for) and its
    CSRF token (masked afresh on every response)."""
    main = page.locator("main").inner_html()
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", main)
    return re.sub(r'next=[^"&]*|name="next" value="[^"]*"', "next", main)


def _hops(response) -> list[int]:
    """The statuses of the redirects that led to the response, first first."""
    hops, request = [], response.request
    while request.redirected_from is not None:
        request = request.redirected_from
        hops.insert(0, request.response().status)
    return hops


def test_a_signed_out_member_follows_an_email_link_signs_in_and_lands_on_the_topic(
    site, page, mailoutbox
):
    topic, email = _followed_topic_email(site, mailoutbox)
    links = LINK.findall(email.body)
    assert links, email.body
    link = links[0]
    path = urlsplit(link).path
    assert link.startswith(site.url("alpha", "/notifications/"))

    response = page.goto(link)
    assert response.status == 200
    expect(page).to_have_url(site.url("alpha", f"/comptes/login/?next={quote(path)}"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("#id_login").fill("bob@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")

    expect(page).to_have_url(re.compile(rf"/forums/sujet/{topic.pk}/(\?|#|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Immunothérapie et fatigue")
    expect(page.locator("main")).to_contain_text("Oui, surtout au début.")


def test_a_link_to_nothing_is_sent_to_sign_in_exactly_like_a_real_one(site, page, mailoutbox):
    topic, email = _followed_topic_email(site, mailoutbox)
    real = urlsplit(LINK.findall(email.body)[0]).path
    missing_id = int(real.rstrip("/").rsplit("/", 1)[1]) + 1000
    pairs = [
        (real, f"/notifications/{missing_id}/"),
        (f"/forums/sujet/{topic.pk}/", f"/forums/sujet/{topic.pk + 1000}/"),
        ("/membres/Bob/", "/membres/Personne/"),
    ]
    for existing, missing in pairs:
        seen = []
        for path in (existing, missing):
            response = page.goto(site.url("alpha", path))
            login = site.url("alpha", f"/comptes/login/?next={quote(path)}")
            assert page.url == login, (path, page.url)
            seen.append((_hops(response), response.status, _sign_in_page(page)))
        assert seen[0] == seen[1], (existing, missing)

    # Signed in from the missing address, Bob meets the plain "not found" page.
    page.locator("#id_login").fill("bob@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
