"""Follows and blocks: services, their pages, and what a block hides (both ways, untold)."""

import re
import threading

import pytest
from django.db import connection

from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tenant_apps.social import relations
from tenant_apps.social.models import Block, Follow
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(tenant):
    return account("Basile").member


@pytest.fixture
def lea(tenant):
    return account("Lea").member


def _follows_notified(member) -> int:
    return Notification.objects.filter(recipient=member, kind=Notification.Kind.FOLLOW).count()


def test_follow_tells_the_followed_member_once_whatever_the_submits(bob, lea):
    relations.follow_create(follower=bob, followed=lea)
    relations.follow_create(follower=bob, followed=lea)  # a double submit
    assert Follow.objects.filter(follower=bob, followed=lea).count() == 1
    assert _follows_notified(lea) == 1
    note = Notification.objects.get(recipient=lea)
    assert note.actor_id == bob.pk
    assert "Basile" not in note.url and "Basile" not in note.subject  # no pseudonym stored
    relations.follow_delete(follower=bob, followed=lea)
    relations.follow_create(follower=bob, followed=lea)  # follow, unfollow, follow again
    assert _follows_notified(lea) == 1
    assert _follows_notified(bob) == 0


@pytest.mark.parametrize("who", ["self", "suspended", "erased", "blocked", "blocker"])
def test_follow_is_refused_for_oneself_and_members_out_of_reach(bob, lea, who):
    from django.core.exceptions import ValidationError

    target = lea
    if who == "self":
        target = bob
    elif who == "suspended":
        Member.objects.filter(pk=lea.pk).update(status=Member.Status.SUSPENDED)
        target = Member.objects.get(pk=lea.pk)
    elif who == "erased":
        Member.objects.filter(pk=lea.pk).update(user=None)
        target = Member.objects.get(pk=lea.pk)
    elif who == "blocked":
        relations.block_create(blocker=bob, blocked=lea)
    elif who == "blocker":
        relations.block_create(blocker=lea, blocked=bob)
    bob = Member.objects.get(pk=bob.pk)  # a new request: no memo
    with pytest.raises(ValidationError):
        relations.follow_create(follower=bob, followed=target)
    assert not Follow.objects.exists()
    assert not Notification.objects.filter(kind=Notification.Kind.FOLLOW).exists()


def test_block_removes_follows_both_ways_tells_nobody_and_is_idempotent(bob, lea):
    relations.follow_create(follower=bob, followed=lea)
    relations.follow_create(follower=lea, followed=bob)
    told_bob = set(Notification.objects.filter(recipient=bob).values_list("pk", flat=True))
    relations.block_create(blocker=lea, blocked=bob)
    relations.block_create(blocker=lea, blocked=bob)
    assert not Follow.objects.exists()
    assert Block.objects.filter(blocker=lea, blocked=bob).count() == 1
    # Nobody is told; Léa no longer reads Bob's name in hers, Bob's stay as they were.
    assert not Notification.objects.filter(recipient=lea, actor=bob).exists()
    assert set(Notification.objects.values_list("pk", flat=True)) == told_bob
    assert relations.blocked_ids(Member.objects.get(pk=bob.pk)) == {lea.pk}
    assert relations.blocked_ids(Member.objects.get(pk=lea.pk)) == {bob.pk}
    bob, lea = Member.objects.get(pk=bob.pk), Member.objects.get(pk=lea.pk)  # a new request
    assert relations.is_blocked(bob, lea) and relations.is_blocked(lea, bob)
    assert relations.block_delete(blocker=lea, blocked=bob)
    assert relations.blocked_ids(lea) == set()
    assert not relations.block_delete(blocker=lea, blocked=bob)


def test_blocked_ids_query_matches_blocked_ids(bob, lea):
    carl = account("Carl").member
    relations.block_create(blocker=bob, blocked=lea)
    relations.block_create(blocker=carl, blocked=bob)
    fresh = Member.objects.get(pk=bob.pk)
    assert (
        set(
            Member.objects.filter(pk__in=relations.blocked_ids_query(fresh)).values_list(
                "pk", flat=True
            )
        )
        == relations.blocked_ids(fresh)
        == {lea.pk, carl.pk}
    )


def test_remove_a_follower(bob, lea):
    relations.follow_create(follower=bob, followed=lea)
    assert relations.follower_remove(member=lea, follower=bob)
    assert not relations.follows(bob, lea)
    assert not relations.follower_remove(member=lea, follower=bob)


@pytest.mark.django_db(transaction=True)
def test_two_follows_at_once_make_one_row_and_one_notification(make_tenant, drop_tenant_schemas):
    from django_tenants.utils import tenant_context

    network = make_tenant("gamma")
    with tenant_context(network):
        bob = account("Basile").member
        lea = account("Lea").member
    barrier = threading.Barrier(2)
    errors = []

    def follow():
        try:
            with tenant_context(network):
                barrier.wait()
                relations.follow_create(follower=bob, followed=lea)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=follow) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with tenant_context(network):
        assert Follow.objects.filter(follower=bob, followed=lea).count() == 1
        assert Notification.objects.filter(recipient=lea, kind="follow").count() == 1


# --- pages ------------------------------------------------------------------------------------


def test_profile_shows_pseudonym_and_chosen_fields_never_the_email(bob, lea, client_as):
    response = client_as(bob).get("/communaute/membres/Lea/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lea" in page and "lea@example.org" not in page
    assert 'id="follow-button"' in page and 'aria-pressed="false"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_follow_button_without_js_and_with_htmx(bob, lea, client_as):
    client = client_as(bob)
    response = client.post("/communaute/membres/Lea/suivre/", {"follow": "1"})
    assert response.status_code == 302 and response["Location"] == "/communaute/membres/Lea/"
    assert relations.follows(bob, lea)
    response = client.post(
        "/communaute/membres/Lea/suivre/", {"follow": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b'id="follow-form"' in response.content and b'aria-pressed="false"' in response.content
    assert not relations.follows(bob, lea)
    client.post("/communaute/membres/Lea/suivre/", {"follow": "1"}, HTTP_HX_REQUEST="true")
    client.post("/communaute/membres/Lea/suivre/", {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert Follow.objects.filter(follower=bob, followed=lea).count() == 1


def test_following_oneself_or_a_forged_pseudonym_is_a_404(bob, client_as):
    client = client_as(bob)
    assert client.post("/communaute/membres/Basile/suivre/").status_code == 404
    assert client.post("/communaute/membres/Nobody/suivre/").status_code == 404
    assert client.post("/communaute/membres/" + "x" * 5000 + "/suivre/").status_code == 404
    assert not Follow.objects.exists()


def test_block_in_one_click_hides_both_profiles_and_the_blocked_member_sees_no_trace(
    bob, lea, client_as
):
    client_as(lea).post("/communaute/membres/Basile/suivre/")
    lea_client = client_as(lea)
    bob_client = client_as(bob)
    nobody = bob_client.get("/communaute/membres/Nobody/")
    response = lea_client.post("/communaute/membres/Basile/bloquer/")
    assert response.status_code == 302 and response["Location"] == "/communaute/bloques/"
    assert Block.objects.filter(blocker=lea, blocked=bob).exists()
    assert not Follow.objects.exists()
    # Basile: Lea's profile is exactly what a pseudonym nobody has answers.
    hidden = bob_client.get("/communaute/membres/Lea/")
    assert hidden.status_code == nobody.status_code == 404
    assert bob_client.post("/communaute/membres/Lea/suivre/").status_code == 404
    assert lea_client.get("/communaute/membres/Basile/").status_code == 404
    # Nothing told: no notification, and his own pages carry no word of it.
    assert not Notification.objects.filter(recipient=bob).exclude(kind="follow").exists()
    for path in ("/communaute/abonnes/", "/communaute/abonnements/", "/communaute/bloques/"):
        page = bob_client.get(path).content.decode()
        assert "Lea" not in page
    # Lea's list of blocks, and unblocking.
    page = lea_client.get("/communaute/bloques/").content.decode()
    assert f'id="blocked-{bob.pk}"' in page
    assert lea_client.post("/communaute/bloques/Basile/debloquer/").status_code == 302
    assert not Block.objects.exists()
    assert bob_client.get("/communaute/membres/Lea/").status_code == 200


def test_block_with_htmx_leads_to_the_list(bob, lea, client_as):
    response = client_as(lea).post("/communaute/membres/Basile/bloquer/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/communaute/bloques/"
    assert Block.objects.filter(blocker=lea, blocked=bob).exists()


def test_unblock_and_remove_follower_refuse_what_is_not_mine(bob, lea, client_as):
    carl = account("Carl").member
    relations.block_create(blocker=carl, blocked=bob)
    relations.follow_create(follower=lea, followed=carl)
    client = client_as(bob)
    assert client.post("/communaute/bloques/Carl/debloquer/").status_code == 404
    assert client.post("/communaute/abonnes/Lea/retirer/").status_code == 404
    assert Block.objects.filter(blocker=carl, blocked=bob).exists()
    assert Follow.objects.filter(follower=lea, followed=carl).exists()


def _ids(response, prefix) -> list[int]:
    return [int(pk) for pk in re.findall(rf'id="{prefix}-(\d+)"'.encode(), response.content)]


def test_lists_by_keyset_in_a_constant_number_of_queries(
    bob, client_as, django_assert_max_num_queries
):
    from tenant_apps.social import views_relations

    client = client_as(bob)
    client.get("/communaute/abonnes/")
    others = [account(f"Fan{n}").member for n in range(3)]
    for other in others:
        relations.follow_create(follower=other, followed=bob)
        relations.follow_create(follower=bob, followed=other)
    with django_assert_max_num_queries(12) as few:
        response = client.get("/communaute/abonnes/")
    assert _ids(response, "follower") == [o.pk for o in reversed(others)]
    more = [account(f"Ami{n}").member for n in range(views_relations.PER_PAGE + 2)]
    for other in more:
        relations.follow_create(follower=other, followed=bob)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/communaute/abonnes/")
    first = _ids(response, "follower")
    assert len(first) == views_relations.PER_PAGE
    cursor = re.search(rb'\?avant=(\d+)"', response.content).group(1).decode()
    second = _ids(client.get(f"/communaute/abonnes/?avant={cursor}"), "follower")
    assert set(first).isdisjoint(second)
    assert len(first) + len(second) == len(more) + len(others)
    assert _ids(client.get("/communaute/abonnements/"), "followed") == [
        o.pk for o in reversed(others)
    ]
    assert client.get("/communaute/abonnes/?avant=abc").status_code == 404
    # A suspended follower leaves the list.
    Member.objects.filter(pk=others[0].pk).update(status=Member.Status.SUSPENDED)
    assert others[0].pk not in _ids(client.get("/communaute/abonnes/"), "follower")


def test_another_networks_session_reads_nothing(bob, lea, client_as):
    relations.follow_create(follower=lea, followed=bob)
    stranger = client_as("other_network")
    response = stranger.get("/communaute/abonnes/")
    assert response.status_code == 302  # signed out on this network: sent to sign in
    assert stranger.post("/communaute/membres/Basile/bloquer/").status_code == 302
    assert not Block.objects.exists()


def test_the_follow_notification_reads_with_the_followers_pseudonym(bob, lea):
    from django.utils.translation import gettext

    from tenant_apps.notifications import presentation

    relations.follow_create(follower=bob, followed=lea)
    note = Notification.objects.get(recipient=lea)
    assert presentation.sentence(note) == gettext("@%(actor)s now follows you") % {
        "actor": "Basile"
    }
    assert note.url == "/communaute/abonnes/"


def test_api_bad_input_is_400_on_its_field_and_changes_nothing(bob, lea, client_as):
    client = client_as(bob)
    for body in ({"pseudonym": "x" * 1_000_000}, {}, {"pseudonym": "Basile"}, {"pseudonym": 3}):
        for url in ("/api/community/follows/", "/api/community/blocks/"):
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 400, (url, body)
            assert "pseudonym" in response.json()
    assert not Follow.objects.exists() and not Block.objects.exists()
    assert client.delete("/api/community/follows/Nobody/").status_code == 404
    assert client.get("/api/community/follows/?cursor=forged").status_code == 404
    response = client.post(
        "/api/community/follows/", {"pseudonym": "Lea"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["member"]["id"] == lea.pk
    again = client.post(
        "/api/community/follows/", {"pseudonym": "Lea"}, content_type="application/json"
    )
    assert again.status_code == 201 and again.json()["id"] == response.json()["id"]


def test_the_follow_email_names_the_follower_and_links_through_the_site(bob, lea, mailoutbox):
    from django.utils.translation import gettext

    from tenant_apps.notifications import services as notifications
    from tenant_apps.notifications.models import NotificationSettings

    NotificationSettings.objects.create(member=lea, frequency="immediately")
    relations.follow_create(follower=bob, followed=lea)
    note = Notification.objects.get(recipient=lea)
    assert notifications.notification_email_send(notification_id=note.pk)
    (email,) = mailoutbox
    assert email.to == ["lea@example.org"]
    assert gettext("@%(actor)s now follows you") % {"actor": "Basile"} in email.body
    assert f"/notifications/{note.pk}/" in email.body
    assert "basile@example.org" not in email.body


def test_blocking_twice_answers_as_the_first_time(bob, lea, client_as):
    client = client_as(lea)
    first = client.post("/communaute/membres/Basile/bloquer/")
    second = client.post("/communaute/membres/Basile/bloquer/")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/communaute/bloques/"
    for _ in range(2):
        response = client.post(
            "/api/community/blocks/", {"pseudonym": "Basile"}, content_type="application/json"
        )
        assert response.status_code == 201
    assert Block.objects.filter(blocker=lea, blocked=bob).count() == 1
    # The blocked member, trying the same: as if nobody had that pseudonym.
    basile = client_as(bob)
    assert basile.post("/communaute/membres/Lea/bloquer/").status_code == 404
    response = basile.post(
        "/api/community/blocks/", {"pseudonym": "Lea"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert Block.objects.count() == 1


def test_profile_shows_what_they_shared_that_i_may_read(bob, lea, client_as):
    from tenant_apps.social.models import Experience

    def shared(audience, status="published"):
        return Experience.objects.create(
            author=lea, body="Texte", body_html="<p>Texte</p>", audience=audience, status=status
        )

    public = shared("network")
    for_followers = shared("followers")
    held = shared("network", status="held")
    client = client_as(bob)
    page = client.get("/communaute/membres/Lea/").content.decode()
    assert f'id="experience-{public.pk}"' in page
    assert f'id="experience-{for_followers.pk}"' not in page
    assert f'id="experience-{held.pk}"' not in page
    relations.follow_create(follower=bob, followed=lea)
    page = client.get("/communaute/membres/Lea/").content.decode()
    assert f'id="experience-{for_followers.pk}"' in page
