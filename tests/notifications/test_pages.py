"""The notification pages: who may see them, the list, opening, marking read, preferences."""

import pytest
from django.utils.translation import gettext

from tenant_apps.notifications.models import Notification, NotificationSettings
from tests.notifications.factories import notify

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (
        list(Notification.objects.order_by("pk").values_list("pk", "read_at", "emailed_at")),
        list(NotificationSettings.objects.order_by("pk").values_list("member_id", "frequency")),
    )


PAGES = [
    ("get", "/notifications/", None),
    ("get", "/notifications/{pk}/", None),
    ("post", "/notifications/tout-lu/", {}),
    ("post", "/notifications/{pk}/lu/", {}),
    ("get", "/notifications/compte/", None),
    ("get", "/notifications/preferences/", None),
    ("post", "/notifications/preferences/", {"frequency": "never"}),
]


@pytest.mark.parametrize("method,path,data", PAGES)
@pytest.mark.parametrize("who", ["anonymous", "other_network", "suspended"])
def test_the_pages_refuse_anyone_but_an_active_member(client_as, people, who, method, path, data):
    notification = notify(people["member"].member)
    client = client_as(who)
    before = snapshot()
    url = path.format(pk=notification.pk)
    response = client.post(url, data) if method == "post" else client.get(url)
    if who == "suspended":
        # The members middleware signs a suspended member out and sends them home.
        assert (response.status_code, response.url) == (302, "/")
        response = client.get(url)
    # Signed out on this network: sent to sign in, the page asked for kept for afterwards.
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/?next=/notifications/")
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "head"])
def test_another_members_notification_is_a_404_and_stays_unread(client_as, people, method):
    theirs = notify(people["other"].member)
    response = getattr(client_as("member"), method)(f"/notifications/{theirs.pk}/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_missing_notification_is_the_same_404(client_as, people):
    assert client_as("member").get("/notifications/999999/").status_code == 404


def test_the_list_shows_only_mine_newest_first_with_unread_marked_in_text(client_as, people):
    bob, carla = people["member"].member, people["other"].member
    old = notify(bob, actor=carla, subject="Ancien sujet")
    old.read_at = old.created
    old.save()
    new = notify(bob, actor=carla, kind=Notification.Kind.REPLY, subject="Nouveau sujet")
    notify(carla, actor=bob, subject="Pas pour Bob")

    response = client_as("member").get("/notifications/")

    assert response.status_code == 200
    page = response.content.decode()
    assert [i["notification"].pk for i in response.context["items"]] == [new.pk, old.pk]
    assert "Pas pour Bob" not in page
    # Unread is said in words, not only shown by a colour.
    unread_item = page.split(f'id="notification-{new.pk}"')[1].split("</li>")[0]
    read_item = page.split(f'id="notification-{old.pk}"')[1].split("</li>")[0]
    assert "unread-label" in unread_item and gettext("Unread") in unread_item
    assert "unread-label" not in read_item
    assert f'href="/notifications/{new.pk}/"' in page
    # Each kind reads as its own sentence, with the actor's pseudonym and the subject.
    assert (
        gettext("@%(actor)s replied in “%(subject)s”")
        % {"actor": "Carla", "subject": "Nouveau sujet"}
        in response.context["items"][0]["sentence"]
    )


def test_a_moderation_decision_shows_its_reason_in_the_site(client_as, people):
    notify(
        people["member"].member,
        kind=Notification.Kind.MODERATION,
        subject="Mon message",
        detail="Conseil médical non sourcé",
    )
    response = client_as("member").get("/notifications/")
    assert "Conseil médical non sourcé" in response.content.decode()


def test_the_list_pages_by_keyset_in_a_constant_number_of_queries(
    client_as, people, django_assert_max_num_queries
):
    bob = people["member"].member
    actors = [people["other"].member, people["moderator"].member]
    made = [notify(bob, actor=actors[i % 2], subject=f"Sujet {i}") for i in range(30)]
    client = client_as("member")
    client.get("/notifications/")
    # Schema, session, user+member, unread count (header), page of 26 with actors: no N+1.
    with django_assert_max_num_queries(6):
        first = client.get("/notifications/")
    assert len(first.context["items"]) == 25
    cursor = first.context["next_cursor"]
    assert cursor == made[5].pk
    with django_assert_max_num_queries(6):
        second = client.get(f"/notifications/?avant={cursor}")
    assert [i["notification"].pk for i in second.context["items"]] == [
        n.pk for n in reversed(made[:5])
    ]
    assert second.context["next_cursor"] is None
    # A bad cursor is the first page, not an error.
    assert client.get("/notifications/?avant=abc").status_code == 200


def test_the_header_shows_the_unread_count(client_as, people):
    bob = people["member"].member
    notify(bob)
    notify(bob)
    response = client_as("member").get("/")
    page = response.content.decode()
    assert '<span class="badge">2' in page


def test_opening_marks_read_and_goes_to_the_url(client_as, people):
    notification = notify(people["member"].member, url="/forums/sujets/7/#message-3")
    response = client_as("member").get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response.url == "/forums/sujets/7/#message-3"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    client_as("member").get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_opening_never_redirects_off_the_site(client_as, people, url):
    notification = notify(people["member"].member, url=url)
    response = client_as("member").get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response.url == "/notifications/"


def test_mark_all_read_only_touches_mine(client_as, people):
    bob, carla = people["member"].member, people["other"].member
    mine = [notify(bob), notify(bob)]
    theirs = notify(carla)
    client = client_as("member")
    assert client.get("/notifications/tout-lu/").status_code == 405
    response = client.post("/notifications/tout-lu/", follow=True)
    assert response.redirect_chain == [("/notifications/", 302)]
    assert 'role="status"' in response.content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_preferences_default_to_the_daily_digest_and_save(client_as, people):
    client = client_as("member")
    response = client.get("/notifications/preferences/")
    assert response.status_code == 200
    assert response.context["form"].initial["frequency"] == "daily"
    page = response.content.decode()
    assert "<fieldset" in page and "<legend>" in page
    assert 'id="no-verified-email"' not in page

    response = client.post("/notifications/preferences/", {"frequency": "weekly"}, follow=True)
    assert response.redirect_chain == [("/notifications/preferences/", 302)]
    assert NotificationSettings.objects.get(member=people["member"].member).frequency == "weekly"
    assert response.context["form"].initial["frequency"] == "weekly"


@pytest.mark.parametrize("data", [{}, {"frequency": "hourly"}])
def test_preferences_form_errors_rerender_and_save_nothing(client_as, people, data):
    response = client_as("member").post("/notifications/preferences/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]
    page = response.content.decode()
    assert 'class="errors"' in page and 'aria-invalid="true"' in page
    assert not NotificationSettings.objects.exists()


def test_preferences_say_when_no_email_can_be_sent(client_as, people):
    from tests.notifications.factories import unverify

    unverify(people["member"])
    response = client_as("member").get("/notifications/preferences/")
    assert 'id="no-verified-email"' in response.content.decode()
