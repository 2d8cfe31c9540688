"""An outside tester's attacks on the social layer and private messages: blocks through
every path, forged ids, another network's ids, moderators reading what was not reported,
matching lists under five or with opted-out members, 1 MB fields, double and concurrent
submits, hostile Host headers. Refusals are 404 (or a 400 with field errors) and never 500."""

import threading

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.members.models import Member, Pathology, Role
from tenant_apps.messaging import services as messaging
from tenant_apps.messaging.models import Conversation, Message
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.notifications.models import Notification
from tenant_apps.social import matching, relations, services
from tenant_apps.social.models import Experience, ExperienceComment, Follow
from tests.members.factories import account
from tests.messaging.factories import open_to

pytestmark = pytest.mark.django_db

MEGABYTE = "a" * (1024 * 1024)


@pytest.fixture
def cast(tenant):
    """Wendy blocked Bob. Before that, Wendy shared an experience (whole network) and
    commented on Tina's; Bob and Wendy had a conversation; Bob followed Wendy."""
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    bob, wendy, tina = (account(n).member for n in ("Bob", "Wendy", "Tina"))
    mona = account("Mona", Role.MODERATOR).member
    for m in (bob, wendy, tina):
        open_to(m)
    relations.follow_create(follower=bob, followed=wendy)
    wendys = services.experience_create(author=wendy, body="Ma chimio, semaine 3.")
    tinas = services.experience_create(author=tina, body="Reprise du travail.")
    comment = services.comment_create(author=wendy, experience=tinas, body="Bravo Tina")
    message = messaging.message_send(author=bob, recipient=wendy, body="Salut Wendy")
    relations.block_create(blocker=wendy, blocked=bob)
    return {
        "bob": bob, "wendy": wendy, "tina": tina, "mona": mona, "wendys": wendys,
        "tinas": tinas, "comment": comment, "conversation": message.conversation,
    }  # fmt: skip


def _text(response) -> str:
    return response.content.decode()


# --- a block, through every path -----------------------------------------------------------


def test_blocked_member_sees_nothing_of_the_blocker_on_any_page(cast, client_as):
    bob = client_as(cast["bob"])
    wendy = cast["wendy"]
    assert bob.get(f"/communaute/membres/{wendy.user.username}/").status_code == 404
    assert bob.get(f"/experiences/{cast['wendys'].pk}/").status_code == 404
    assert bob.get(f"/experiences/{cast['wendys'].pk}/image/").status_code == 404
    listing = bob.get("/experiences/")
    assert listing.status_code == 200 and "Ma chimio" not in _text(listing)
    # Tina's experience shows without Wendy's comment.
    tinas = bob.get(f"/experiences/{cast['tinas'].pk}/")
    assert tinas.status_code == 200 and "Bravo Tina" not in _text(tinas)
    feed = bob.get("/communaute/")
    assert feed.status_code == 200
    assert "Ma chimio" not in _text(feed) and wendy.user.username not in _text(feed)
    following = bob.get("/communaute/abonnements/")
    assert wendy.user.username not in _text(following)
    matches = bob.get("/communaute/rencontres/")
    assert matches.status_code == 200 and wendy.user.username not in _text(matches)


def test_blocked_member_sees_nothing_of_the_blocker_in_the_api(cast, client_as):
    bob = client_as(cast["bob"])
    wendys, tinas = cast["wendys"], cast["tinas"]
    ids = [row["id"] for row in bob.get("/api/experiences/").json()["results"]]
    assert wendys.pk not in ids and tinas.pk in ids
    assert bob.get(f"/api/experiences/{wendys.pk}/").status_code == 404
    assert bob.get(f"/api/experiences/{wendys.pk}/comments/").status_code == 404
    comments = bob.get(f"/api/experiences/{tinas.pk}/comments/").json()
    comments = comments["results"] if isinstance(comments, dict) else comments
    assert cast["comment"].pk not in [row["id"] for row in comments]
    feed = bob.get("/api/community/feed/").json()
    assert "Ma chimio" not in str(feed)
    api_follow = bob.post(
        "/api/community/follows/", {"pseudonym": cast["wendy"].user.username}, "application/json"
    )
    assert api_follow.status_code == 400 and "pseudonym" in api_follow.json()
    follows = bob.get("/api/community/follows/").json()
    assert cast["wendy"].user.username not in str(follows)


def test_blocked_member_cannot_comment_react_follow_or_write(cast, client_as):
    bob = client_as(cast["bob"])
    wendy, wendys = cast["wendy"], cast["wendys"]
    before = (ExperienceComment.objects.count(), Message.objects.count(), Follow.objects.count())
    assert bob.post(f"/experiences/{wendys.pk}/commenter/", {"body": "Coucou"}).status_code == 404
    assert bob.post(f"/experiences/{wendys.pk}/reagir/", {"kind": "same"}).status_code == 404
    api_comment = bob.post(
        f"/api/experiences/{wendys.pk}/comments/", {"body": "Coucou"}, "application/json"
    )
    assert api_comment.status_code == 404
    api_react = bob.post(
        f"/api/experiences/{wendys.pk}/reactions/", {"kind": "same"}, "application/json"
    )
    assert api_react.status_code == 404
    assert bob.post(f"/communaute/membres/{wendy.user.username}/suivre/").status_code == 404
    # The new conversation form: the same page as for someone who does not take messages.
    page = bob.get(f"/messages/ecrire/{wendy.user.username}/", follow=True)
    assert page.status_code in (200, 404)
    if page.status_code == 200:
        assert page.context["can_write"] is False
    sent = bob.post(
        "/api/messages/send/",
        {"recipient": wendy.pk, "body": "Tu m'ignores ?"},
        "application/json",
    )
    assert sent.status_code in (400, 404)
    in_thread = bob.post(f"/messages/{cast['conversation'].pk}/", {"body": "Réponds !"})
    assert in_thread.status_code in (200, 404)
    assert not Message.objects.filter(body="Réponds !").exists()
    assert before == (
        ExperienceComment.objects.count(),
        Message.objects.count(),
        Follow.objects.count(),
    )


def test_blocked_member_is_not_told(cast, client_as):
    """The blocked member's pages say nothing of the block: no notice, Wendy is in none of
    Bob's relation lists, and the conversation reads as one Bob may not write in."""
    bob = client_as(cast["bob"])
    assert not Notification.objects.filter(recipient=cast["bob"], actor=cast["wendy"]).exists()
    assert cast["wendy"].user.username not in _text(bob.get("/communaute/bloques/"))
    page = bob.get(f"/messages/{cast['conversation'].pk}/")
    assert page.status_code == 200
    assert page.context["i_blocked"] is False
    assert b'id="blocked"' not in page.content


def test_blocker_no_longer_notified_of_a_blocked_comment_on_a_shared_thread(cast, client_as):
    """Bob comments on Tina's experience, where Wendy commented: nothing reaches Wendy."""
    bob = client_as(cast["bob"])
    Notification.objects.filter(recipient=cast["wendy"]).delete()
    response = bob.post(f"/experiences/{cast['tinas'].pk}/commenter/", {"body": "Moi aussi"})
    assert response.status_code in (200, 302)
    assert not Notification.objects.filter(recipient=cast["wendy"], actor=cast["bob"]).exists()


# --- forged ids -----------------------------------------------------------------------------


def test_followers_only_experience_by_forged_id(cast, client_as):
    tina, bob = cast["tina"], cast["bob"]
    secret = services.experience_create(
        author=tina, body="Pour mes abonnés seulement", audience=Experience.Audience.FOLLOWERS
    )
    client = client_as(bob)
    for path in (
        f"/experiences/{secret.pk}/",
        f"/experiences/{secret.pk}/image/",
        f"/api/experiences/{secret.pk}/",
        f"/api/experiences/{secret.pk}/comments/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/experiences/{secret.pk}/commenter/", {"body": "x"}).status_code == 404
    assert client.get(f"/experiences/{secret.pk}/modifier/").status_code == 404
    assert client.post(f"/experiences/{secret.pk}/supprimer/").status_code == 404
    assert Experience.objects.filter(pk=secret.pk).exists()


def test_another_network_experience_and_message_ids(cast, client_as, other_tenant):
    """beta's experience and conversation ids, asked on alpha by a member of beta, and a
    conversation of two other members asked by a third."""
    with tenant_context(other_tenant):
        ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
        zoe, yan = account("Zoe").member, account("Yan").member
        open_to(yan)
        theirs = services.experience_create(author=zoe, body="Chez beta")
        their_message = messaging.message_send(author=zoe, recipient=yan, body="Secret beta")
    stranger = client_as("other_network")
    for path in (
        f"/experiences/{theirs.pk}/",
        f"/api/experiences/{theirs.pk}/",
        f"/api/messages/conversations/{their_message.conversation_id}/messages/",
    ):
        response = stranger.get(path)
        assert response.status_code in (302, 404), path
        assert b"Secret beta" not in response.content and b"Chez beta" not in response.content
    third = client_as(cast["tina"])
    conversation = cast["conversation"].pk
    assert third.get(f"/messages/{conversation}/").status_code == 404
    assert third.get(f"/api/messages/conversations/{conversation}/messages/").status_code == 404
    assert third.post(f"/messages/{conversation}/", {"body": "Intrus"}).status_code == 404
    assert not Message.objects.filter(body="Intrus").exists()


def test_staff_cannot_read_a_conversation_not_reported(cast, client_as):
    admin = account("Alice", Role.ADMIN).member
    conversation = cast["conversation"]
    message = Message.objects.get(conversation=conversation)
    for who in (cast["mona"], admin):
        client = client_as(who)
        assert client.get(f"/messages/{conversation.pk}/").status_code == 404
        api_path = f"/api/messages/conversations/{conversation.pk}/messages/"
        assert client.get(api_path).status_code == 404
        assert client.post(f"/moderation/messages-prives/{message.pk}/hide/").status_code == 404
        assert client.post(f"/moderation/messages-prives/{message.pk}/approve/").status_code == 404
        assert b"Salut Wendy" not in client.get("/moderation/").content
    assert Message.objects.get(pk=message.pk).status == message.status


# --- matching ---------------------------------------------------------------------------------


def _matcher(name, pathology, *, opted=True, **fields):
    member = account(name, **fields).member
    Member.objects.filter(pk=member.pk).update(department="69")
    member.pathologies.set([pathology])
    matching.matching_settings_update(member=member, matching=opted, matching_same_region=False)
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def five_and_me(tenant):
    lung = Pathology.objects.get_or_create(name="Cancer du poumon")[0]
    me = _matcher("Moi", lung)
    return me, [_matcher(f"Pair{n}", lung) for n in range(5)], lung


def _suggested_anywhere(client, pseudonym) -> bool:
    page = client.get("/communaute/rencontres/")
    api = client.get("/api/community/matching/suggestions/")
    return pseudonym in _text(page) or pseudonym in _text(api)


def test_opted_out_member_leaves_every_list_at_once(five_and_me, client_as):
    me, five, lung = five_and_me
    extra = _matcher("Sixieme", lung)
    client = client_as(me)
    assert _suggested_anywhere(client, "Sixieme")
    opt_out = client_as(extra).put(
        "/api/community/matching/",
        {"matching": False, "matching_same_region": False},
        "application/json",
    )
    assert opt_out.status_code == 200, opt_out.content
    assert not _suggested_anywhere(client, "Sixieme")
    # An opted-out member asking gets no list either.
    assert not matching.suggestions_for(Member.objects.get(pk=extra.pk)).shown


@pytest.mark.parametrize("how", ["suspended", "blocked", "blocker", "opted_out"])
def test_four_real_matches_is_never_a_list(five_and_me, client_as, how):
    """Five match on paper, but one of them cannot be shown: no list on the page nor the API."""
    me, five, _lung = five_and_me
    gone = five[0]
    if how == "suspended":
        Member.objects.filter(pk=gone.pk).update(status=Member.Status.SUSPENDED)
    elif how == "blocked":
        relations.block_create(blocker=me, blocked=gone)
    elif how == "blocker":
        relations.block_create(blocker=gone, blocked=me)
    else:
        matching.matching_settings_update(member=gone, matching=False, matching_same_region=False)
    client = client_as(me)
    page = client.get("/communaute/rencontres/")
    assert page.status_code == 200
    for other in five:
        assert other.user.username not in _text(page)
    api = client.get("/api/community/matching/suggestions/")
    assert api.status_code == 200
    assert api.json()["results"] == []


# --- big fields, double submits --------------------------------------------------------------


def test_megabyte_fields_are_refused_without_500(cast, client_as):
    bob = client_as(cast["bob"])
    tinas = cast["tinas"]
    counts = (Experience.objects.count(), ExperienceComment.objects.count(),
              Message.objects.count())  # fmt: skip
    page = bob.post("/experiences/nouvelle/", {"body": MEGABYTE, "audience": "network"})
    assert page.status_code == 200 and page.context["form"].errors
    api = bob.post("/api/experiences/", {"body": MEGABYTE}, "application/json")
    assert api.status_code == 400 and "body" in api.json()
    comment = bob.post(f"/experiences/{tinas.pk}/commenter/", {"body": MEGABYTE})
    assert comment.status_code == 200
    api_comment = bob.post(
        f"/api/experiences/{tinas.pk}/comments/", {"body": MEGABYTE}, "application/json"
    )
    assert api_comment.status_code == 400
    message_page = bob.post(f"/messages/ecrire/{cast['tina'].user.username}/", {"body": MEGABYTE})
    assert message_page.status_code == 200
    api_message = bob.post(
        "/api/messages/send/",
        {"recipient": cast["tina"].pk, "body": MEGABYTE},
        "application/json",
    )
    assert api_message.status_code == 400 and "body" in api_message.json()
    assert counts == (
        Experience.objects.count(),
        ExperienceComment.objects.count(),
        Message.objects.count(),
    )


def test_double_submit_makes_one_of_each(cast, client_as):
    tina = client_as(cast["tina"])
    for _ in range(2):
        tina.post("/experiences/nouvelle/", {"body": "Deux fois", "audience": "network"})
        tina.post("/api/experiences/", {"body": "Deux fois API"}, "application/json")
        tina.post(f"/experiences/{cast['tinas'].pk}/commenter/", {"body": "Commentaire double"})
        tina.post(f"/communaute/membres/{cast['bob'].user.username}/suivre/")
    assert Experience.objects.filter(body="Deux fois").count() == 1
    assert Experience.objects.filter(body="Deux fois API").count() == 1
    assert ExperienceComment.objects.filter(body="Commentaire double").count() == 1
    assert Follow.objects.filter(follower=cast["tina"], followed=cast["bob"]).count() == 1


def test_double_submit_of_a_first_message_sends_it_once(cast, client_as):
    tina = client_as(cast["tina"])
    for _ in range(2):
        tina.post(f"/messages/ecrire/{cast['wendy'].user.username}/", {"body": "Premier mot"})
    assert (
        Conversation.objects.filter(
            member_low_id=min(cast["tina"].pk, cast["wendy"].pk),
            member_high_id=max(cast["tina"].pk, cast["wendy"].pk),
        ).count()
        == 1
    )
    assert Message.objects.filter(body="Premier mot").count() == 1


# --- pseudonyms and hosts --------------------------------------------------------------------


@pytest.mark.parametrize("forged", ["Wendy/", "W%2Fendy", "Wеndy", "wendy", "..%2F"])
def test_look_alike_or_slashed_pseudonym_reaches_nobody(cast, client_as, forged):
    """A Cyrillic "е", another case or a slash reach neither Wendy nor a 500."""
    client = client_as(cast["tina"])
    for path in (f"/communaute/membres/{forged}/", f"/messages/ecrire/{forged}/"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
    from urllib.parse import unquote

    response = client.post(
        "/api/community/follows/", {"pseudonym": unquote(forged)}, "application/json"
    )
    assert response.status_code == 400, response.status_code
    assert not Follow.objects.filter(follower=cast["tina"]).exists()


NUL_PATHS = {
    "profile": "/communaute/membres/Wendy%00/",
    "new_message": "/messages/ecrire/Wendy%00/",
    "unblock": "/communaute/bloques/Wendy%00/debloquer/",
    "api_follow": "/api/community/follows/",
    "api_block": "/api/community/blocks/",
}


@pytest.mark.parametrize(
    "name",
    [
        "profile",
        "new_message",
        "unblock",
        "api_follow",
        "api_block",
    ],
)
def test_pseudonym_with_a_nul_byte_is_a_404(cast, client_as, name):
    client = client_as(cast["tina"])
    path = NUL_PATHS[name]
    if name.startswith("api_"):
        response = client.post(path, {"pseudonym": "Wendy\x00"}, "application/json")
        assert response.status_code == 400, response.status_code
        return
    elif name == "unblock":
        response = client.post(path)
    else:
        response = client.get(path)
    assert response.status_code == 404, response.status_code


def test_hostile_host_header_never_leads_anywhere(cast, client_as):
    client = client_as(cast["tina"])
    for header in ({"HTTP_HOST": "evil.example"}, {"HTTP_X_FORWARDED_HOST": "evil.example"}):
        response = client.get("/experiences/", **header)
        assert b"evil.example" not in response.content
        assert "evil.example" not in response.get("Location", "")


def test_message_notice_links_are_on_the_network_domain(cast, client_as, mailoutbox, tenant):
    from tenant_apps.messaging.models import Participation

    client = client_as(cast["tina"])
    response = client.post(
        f"/messages/ecrire/{cast['wendy'].user.username}/",
        {"body": "Texte confidentiel"},
        HTTP_X_FORWARDED_HOST="evil.example",
    )
    assert response.status_code == 302
    side = Participation.objects.get(
        member=cast["wendy"], conversation__messages__body="Texte confidentiel"
    )
    messaging.message_notice_send(participation_id=side.pk)
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "evil.example" not in body
    assert "Texte confidentiel" not in body and "Tina" not in body
    assert tenant.domains.get(is_primary=True).domain in body


# --- concurrency (threads, committed data) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_follow_and_first_message(make_tenant, drop_tenant_schemas):
    network = make_tenant("gamma")
    with tenant_context(network):
        a, b = account("Anna").member, account("Berta").member
        open_to(b)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run(action):
        try:
            with tenant_context(network):
                barrier.wait(timeout=10)
                action()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run, args=(lambda: relations.follow_create(follower=a, followed=b),)
        )
        for _ in range(2)
    ] + [
        threading.Thread(
            target=run,
            args=(lambda: messaging.message_send(author=a, recipient=b, body="Premier"),),
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with tenant_context(network):
        assert Follow.objects.filter(follower=a, followed=b).count() == 1
        assert Conversation.objects.count() == 1
        assert Message.objects.filter(body="Premier").count() == 1
    assert errors == []


# --- another member's experience, junk cursors, NUL bytes -------------------------------------


def test_another_members_experience_and_comment_are_not_mine_to_change(cast, client_as):
    tinas, comment = cast["tinas"], cast["comment"]  # Tina's experience, Wendy's comment
    bob = client_as(cast["bob"])
    assert bob.get(f"/experiences/{tinas.pk}/modifier/").status_code == 404
    assert (
        bob.post(
            f"/experiences/{tinas.pk}/modifier/", {"body": "Piraté", "audience": "network"}
        ).status_code
        == 404
    )
    assert bob.post(f"/experiences/{tinas.pk}/supprimer/").status_code == 404
    assert (
        bob.patch(
            f"/api/experiences/{tinas.pk}/", {"body": "Piraté"}, "application/json"
        ).status_code
        == 404
    )
    assert bob.delete(f"/api/experiences/{tinas.pk}/").status_code == 404
    tina = client_as(cast["tina"])  # Tina may read Wendy's comment, not change it
    assert (
        tina.post(
            f"/experiences/commentaires/{comment.pk}/modifier/", {"body": "Piraté"}
        ).status_code
        == 404
    )
    assert tina.post(f"/experiences/commentaires/{comment.pk}/supprimer/").status_code == 404
    assert (
        tina.patch(
            f"/api/experiences/comments/{comment.pk}/", {"body": "Piraté"}, "application/json"
        ).status_code
        == 404
    )
    assert tina.delete(f"/api/experiences/comments/{comment.pk}/").status_code == 404
    assert Experience.objects.get(pk=tinas.pk).body == "Reprise du travail."
    assert ExperienceComment.objects.get(pk=comment.pk).body == "Bravo Tina"


@pytest.mark.parametrize(
    "path",
    [
        "/experiences/?after=%00",
        "/experiences/?after=abc",
        "/experiences/?after=99999999999999999999999",
        "/api/experiences/?cursor=%00",
        "/api/experiences/?cursor=" + "9" * 50,
        "/api/experiences/?cursor=-1",
        "/communaute/?after=%00",
        "/communaute/abonnes/?after=x",
        "/api/community/feed/?cursor=%00",
        "/api/community/follows/?page=%00",
        "/messages/?after=%00",
        "/api/messages/conversations/?cursor=%00",
    ],
)
def test_junk_cursors_are_no_500(cast, client_as, path):
    response = client_as(cast["bob"]).get(path)
    assert response.status_code in (200, 400, 404), response.status_code


def test_nul_bytes_in_bodies_are_refused_calmly(cast, client_as):
    bob = client_as(cast["bob"])
    tina = cast["tina"]
    page = bob.post("/experiences/nouvelle/", {"body": "a\x00b", "audience": "network"})
    assert page.status_code == 200
    assert bob.post("/api/experiences/", {"body": "a\x00b"}, "application/json").status_code == 400
    comment = bob.post(f"/experiences/{cast['tinas'].pk}/commenter/", {"body": "a\x00b"})
    assert comment.status_code == 200
    message = bob.post(f"/messages/ecrire/{tina.user.username}/", {"body": "a\x00b"})
    assert message.status_code == 200
    api = bob.post(
        "/api/messages/send/", {"recipient": tina.pk, "body": "a\x00b"},
        "application/json",
    )  # fmt: skip
    assert api.status_code == 400 and "body" in api.json()


# --- notifications and the moderation queue -------------------------------------------------


def _notification_text(client) -> str:
    return _text(client.get("/notifications/")) + _text(client.get("/api/notifications/"))


def test_notifications_from_a_blocked_member_no_longer_show(tenant, client_as):
    """Wendy commented on Bob's experience and followed him; then Bob blocked her: his
    notifications no longer carry her pseudonym, on the page or the API."""
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    bob, wendy = account("Bob").member, account("Wendy").member
    mine = services.experience_create(author=bob, body="Mon parcours.")
    services.comment_create(author=wendy, experience=mine, body="Courage Bob")
    relations.follow_create(follower=wendy, followed=bob)
    client = client_as(bob)
    assert "Wendy" in _notification_text(client)
    relations.block_create(blocker=bob, blocked=wendy)
    assert "Wendy" not in _notification_text(client)


def test_a_reported_message_reaches_moderators_alone(cast, client_as):
    """Tina and Wendy talk; Wendy reports Tina's second message: the queue shows that message
    and none of the others of the conversation."""
    from tenant_apps.moderation import services as moderation
    from tenant_apps.moderation.models import Report

    tina, wendy = cast["tina"], cast["wendy"]
    before = messaging.message_send(author=tina, recipient=wendy, body="Premier message avant")
    reported = messaging.message_send(author=tina, recipient=wendy, body="Message signale ici")
    messaging.message_send(author=wendy, recipient=tina, body="Reponse de Wendy apres")
    moderation.report_create(reporter=wendy, target=reported, reason=Report.Reason.OTHER,
                             detail="Insistant")  # fmt: skip
    for who in (cast["mona"], account("Alice", Role.ADMIN).member):
        client = client_as(who)
        queue = _text(client.get("/moderation/"))
        assert "Message signale ici" in queue
        assert "Premier message avant" not in queue and "Reponse de Wendy apres" not in queue
        path = f"/messages/{before.conversation_id}/"
        assert client.get(path).status_code == 404
        for other in (before,):
            action = f"/moderation/messages-prives/{other.pk}/hide/"
            assert client.post(action, {"reason": "x"}).status_code == 404


# --- images -----------------------------------------------------------------------------------


def _jpeg_with_gps() -> bytes:
    from io import BytesIO

    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "Camille Martin"  # Artist
    exif[0x010F] = "AppareilSecret"  # Make (the device)
    out = BytesIO()
    Image.new("RGB", (60, 40), (200, 80, 20)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_an_experience_image_is_a_picture_without_its_hidden_data(cast, client_as):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    bob = client_as(cast["bob"])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>'
    for name, content, kind in (
        ("photo.svg", svg, "image/svg+xml"),
        ("photo.jpg", svg, "image/jpeg"),
        ("photo.gif", b"GIF89a" + svg, "image/gif"),
    ):
        upload = SimpleUploadedFile(name, content, content_type=kind)
        response = bob.post(
            "/experiences/nouvelle/",
            {"body": f"Avec image {name}", "audience": "network", "image": upload},
        )
        assert response.status_code == 200 and "image" in response.context["form"].errors
    assert not Experience.objects.filter(body__startswith="Avec image").exists()
    photo = SimpleUploadedFile("photo.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = bob.post(
        "/experiences/nouvelle/",
        {"body": "Ma photo", "audience": "network", "image": photo, "image_alt": "Un arbre"},
    )
    assert response.status_code == 302
    experience = Experience.objects.get(body="Ma photo")
    served = bob.get(f"/experiences/{experience.pk}/image/")
    assert served.status_code == 200
    content = b"".join(served.streaming_content) if served.streaming else served.content
    assert b"Camille" not in content and b"AppareilSecret" not in content
    with Image.open(BytesIO(content)) as image:
        assert not image.getexif()
    # Another network's member, or a blocked one, does not get the file.
    relations.block_create(blocker=cast["tina"], blocked=cast["bob"])
    assert client_as(cast["tina"]).get(f"/experiences/{experience.pk}/image/").status_code == 404


# --- held, suspended, erased authors ----------------------------------------------------------


def test_a_held_experience_shows_nowhere_but_to_its_author(cast, client_as):
    """A new, pre-moderated member's experience waits: no follower sees it, on any path."""
    bob = cast["bob"]
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 50})
    fresh = account("Nouvelle").member
    relations.follow_create(follower=bob, followed=fresh)
    held = services.experience_create(author=fresh, body="Tenue en attente")
    assert held.status == Experience.Status.HELD
    client = client_as(bob)
    for path in ("/communaute/", "/api/community/feed/", "/experiences/", "/api/experiences/",
                 f"/communaute/membres/{fresh.user.username}/"):  # fmt: skip
        assert "Tenue en attente" not in _text(client.get(path)), path
    for path in (f"/experiences/{held.pk}/", f"/api/experiences/{held.pk}/",
                 f"/api/experiences/{held.pk}/comments/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/experiences/{held.pk}/commenter/", {"body": "Vu"}).status_code == 404
    assert "Tenue en attente" in _text(client_as(fresh).get(f"/experiences/{held.pk}/"))


def test_first_contacts_are_limited_across_the_page_and_the_api(tenant, client_as, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "messages.first_contact": "2/hour"}
    sender = account("Spammeur").member
    targets = [account(f"Cible{n}").member for n in range(4)]
    for target in targets:
        open_to(target)
    client = client_as(sender)
    client.post(f"/messages/ecrire/{targets[0].user.username}/", {"body": "Pub 0"})
    client.post("/api/messages/send/", {"recipient": targets[1].pk, "body": "Pub 1"},
                "application/json")  # fmt: skip
    page = client.post(f"/messages/ecrire/{targets[2].user.username}/", {"body": "Pub 2"})
    api = client.post("/api/messages/send/",
                      {"recipient": targets[3].pk, "body": "Pub 3"},
                      "application/json")  # fmt: skip
    assert page.status_code in (200, 429) and api.status_code == 429
    assert sorted(Message.objects.filter(author=sender).values_list("body", flat=True)) == [
        "Pub 0", "Pub 1",
    ]  # fmt: skip
