"""Experience pages and API: writing with an image (re-encoded, no EXIF), keyset pages, query
counts with two sizes of data, bad input (a 1 MB text, forged ids, a malformed cursor,
another network's session, a double submit), reactions, comments, and a member's export
and erasure."""

import contextlib
import io

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image

from tenant_apps.members import services as members
from tenant_apps.members.models import Role
from tenant_apps.moderation.models import ModerationSettings
from tenant_apps.notifications.models import Notification
from tenant_apps.social import personal_data, services
from tenant_apps.social.models import (
    Block,
    Experience,
    ExperienceComment,
    ExperienceReaction,
    Follow,
)
from tests.events.factories import picture
from tests.members.factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tenant):
    ModerationSettings.objects.update_or_create(defaults={"premoderated_posts": 0})
    return {
        "author": account("Elsa").member,
        "reader": account("Bob").member,
        "moderator": account("Mona", Role.MODERATOR).member,
    }


@pytest.fixture
def role_accounts(cast):
    return {role: member.user for role, member in cast.items()}


def _many(author, count, audience="network"):
    return [
        services.experience_create(
            author=author, body=f"Expérience {audience} {n}", audience=audience
        )
        for n in range(count)
    ]


def test_writing_an_experience_with_an_image_drops_its_exif(cast, client_as):
    client = client_as("author")
    response = client.post(
        reverse("social:experience_new"),
        {
            "body": "Ma **première** promenade <script>alert(1)</script>",
            "audience": "followers",
            "image": picture(),
            "image_alt": "Un chemin en forêt",
        },
    )
    experience = Experience.objects.get()
    assert response.status_code == 302
    assert "<strong>première</strong>" in experience.body_html
    assert "<script" not in experience.body_html
    with experience.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert not image.getexif()  # no GPS, no device
    served = client.get(reverse("social:experience_image", args=[experience.pk]))
    assert served.status_code == 200
    # A member who does not follow Elsa reads neither the experience nor its image.
    other = client_as("reader")
    assert other.get(reverse("social:experience", args=[experience.pk])).status_code == 404
    assert other.get(reverse("social:experience_image", args=[experience.pk])).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_and_the_text_kept(cast, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client_as("author").post(
        reverse("social:experience_new"), {"body": "Gardé", "audience": "network", "image": fake}
    )
    assert response.status_code == 200 and not Experience.objects.exists()
    assert "Gardé" in response.content.decode()


def test_bad_input_re_renders_or_answers_400_never_500(cast, client_as):
    client = client_as("author")
    huge = "a" * 1_000_000
    response = client.post(reverse("social:experience_new"), {"body": huge, "audience": "network"})
    assert response.status_code == 200 and not Experience.objects.exists()
    response = client.post(reverse("social:experience_new"), {"body": "ok", "audience": "moon"})
    assert response.status_code == 200 and not Experience.objects.exists()
    api = client.post(
        reverse("api_experiences"),
        data={"body": huge, "audience": "network"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "body" in api.json()
    api = client.post(
        reverse("api_experiences"), data={"body": "ok", "warnings": [999999]},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 400 and "warnings" in api.json()
    assert client.get(reverse("social:experiences") + "?apres=abc").status_code == 404
    assert client.get(reverse("api_experiences") + "?apres=9" * 3).status_code == 404
    assert client.get(reverse("social:experience", args=[987654321])).status_code == 404
    assert not Experience.objects.exists()


def test_identifying_data_in_the_api_asks_for_a_confirmation(cast, client_as):
    client = client_as("author")
    body = {"body": "Appelez-moi au 06 12 34 56 78", "audience": "network"}
    response = client.post(reverse("api_experiences"), data=body, content_type="application/json")
    assert response.status_code == 400 and not Experience.objects.exists()
    response = client.post(
        reverse("api_experiences"),
        data={**body, "confirm_identifying": True},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "published"


def test_no_page_is_for_search_engines(cast, client_as):
    experience = services.experience_create(author=cast["author"], body="Chez nous")
    client = client_as("reader")
    for url in (
        reverse("social:experiences"),
        reverse("social:experience", args=[experience.pk]),
        reverse("social:experience_new"),
    ):
        assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_another_networks_session_reads_nothing(cast, client_as):
    services.experience_create(author=cast["author"], body="Chez nous")
    client = client_as("other_network")
    assert client.get(reverse("social:experiences")).status_code == 302
    assert client.get(reverse("api_experiences")).status_code == 404


def test_a_double_submit_reacts_once(cast, client_as):
    experience = services.experience_create(author=cast["author"], body="Merci")
    client = client_as("reader")
    url = reverse("social:experience_react", args=[experience.pk])
    for _ in range(2):
        assert client.post(url, {"press": "thanks"}).status_code == 302
    assert Experience.objects.get(pk=experience.pk).thanks_count == 1
    response = client.post(url, {"release": "thanks"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b'id="reactions-' in response.content
    assert Experience.objects.get(pk=experience.pk).thanks_count == 0
    api = client.post(
        reverse("api_experience_reactions", args=[experience.pk]),
        data={"kind": "same", "pressed": True},
        content_type="application/json",
    )
    assert api.json()["reactions"][3] == {"kind": "same", "count": 1, "pressed": True}


def test_a_double_submit_publishes_once(cast, client_as):
    client = client_as("author")
    data = {"body": "Deux clics trop rapides", "audience": "network"}
    first = client.post(reverse("social:experience_new"), data)
    second = client.post(reverse("social:experience_new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] and Experience.objects.count() == 1
    experience = Experience.objects.get()
    reader = client_as("reader")
    for _ in range(2):
        reader.post(reverse("social:comment_create", args=[experience.pk]), {"body": "Bravo"})
    assert ExperienceComment.objects.count() == 1
    assert Experience.objects.get(pk=experience.pk).comment_count == 1
    assert Notification.objects.filter(recipient=cast["author"]).count() == 1
    # The same words later, or on another experience, are a new message.
    services.comment_create(
        author=cast["reader"],
        experience=services.experience_create(author=cast["author"], body="Autre"),
        body="Bravo",
    )
    assert ExperienceComment.objects.count() == 2


def test_editing_replaces_or_removes_the_image(cast, client_as):
    experience = services.experience_create(
        author=cast["author"], body="Avec image", image=picture(), image_alt="Un lac"
    )
    storage, first = experience.image.storage, experience.image.name
    client = client_as("author")
    url = reverse("social:experience_edit", args=[experience.pk])
    data = {"body": "Avec une autre image", "audience": "network", "image_alt": "Un pré"}
    assert client.post(url, {**data, "image": picture("autre.jpg")}).status_code == 302
    experience.refresh_from_db()
    assert experience.image.name != first and not storage.exists(first)
    assert client.post(url, {**data, "remove_image": "on"}).status_code == 302
    experience.refresh_from_db()
    assert not experience.image and experience.image_alt == ""


def test_a_comment_tells_the_author_unless_blocked(cast, client_as):
    experience = services.experience_create(author=cast["author"], body="Merci")
    client = client_as("reader")
    response = client.post(
        reverse("social:comment_create", args=[experience.pk]), {"body": "Courage à toi"}
    )
    comment = ExperienceComment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    note = Notification.objects.get(recipient=cast["author"])
    assert note.actor_id == cast["reader"].pk and "Courage" not in note.subject
    Block.objects.create(blocker=cast["author"], blocked=cast["reader"])
    # Blocked: the experience is out of reach, and so is commenting it.
    response = client.post(reverse("social:comment_create", args=[experience.pk]), {"body": "Re"})
    assert response.status_code == 404 and ExperienceComment.objects.count() == 1


def test_the_list_pages_newest_first_by_keyset(cast, client_as):
    made = _many(cast["author"], 25)
    client = client_as("reader")
    first = client.get(reverse("social:experiences"))
    ids = [e.pk for e in first.context["experiences"]]
    assert ids == [e.pk for e in reversed(made)][:20]
    cursor = first.context["next_cursor"]
    second = client.get(reverse("social:experiences") + f"?apres={cursor}")
    assert [e.pk for e in second.context["experiences"]] == [e.pk for e in reversed(made)][20:]
    assert second.context["next_cursor"] is None
    api = client.get(reverse("api_experiences")).json()
    assert [e["id"] for e in api["results"]] == ids and api["next"] == str(cursor)
    follow = client.get(reverse("api_experiences") + f"?apres={api['next']}").json()
    assert len(follow["results"]) == 5 and follow["next"] is None


@contextlib.contextmanager
def counted():
    """The SQL statements run inside the block (request_started resets Django's own log)."""
    statements: list[str] = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def _grow(cast, size):
    for experience in _many(cast["author"], size):
        services.reaction_set(member=cast["reader"], experience=experience, kind="thanks",
                              pressed=True)  # fmt: skip
        services.comment_create(author=cast["reader"], experience=experience, body="Oui")
    _many(cast["author"], size, audience="followers")


def _pages(client, one) -> tuple[int, int, int]:
    with counted() as listed:
        client.get(reverse("social:experiences"))
    with counted() as detail:
        response = client.get(reverse("social:experience", args=[one.pk]))
    assert len(response.context["comments"]) >= 1
    with counted() as api:
        client.get(reverse("api_experiences"))
    return len(listed), len(detail), len(api)


def test_the_list_and_a_page_run_the_same_queries_whatever_the_data(cast, client_as):
    Follow.objects.create(follower=cast["reader"], followed=cast["author"])
    _grow(cast, 3)
    one = Experience.objects.filter(audience="network").first()
    client = client_as("reader")
    client.get(reverse("social:experiences"))  # the session's first request is longer
    small = _pages(client, one)
    _grow(cast, 30)
    assert _pages(client, one) == small
    # The layout's own (session, account, member, counts in the header) and the page's: the
    # member's spaces and blocks once (the rule's memo), the page, its pressed reactions;
    # for one experience, the experience, its reactions, its comments.
    assert small[0] <= 11 and small[1] <= 12 and small[2] <= 8, small


def test_export_and_erasure(cast, client_as):
    author, reader = cast["author"], cast["reader"]
    mine = services.experience_create(author=author, body="Mon histoire", image=picture())
    theirs = services.experience_create(author=reader, body="La sienne")
    services.comment_create(author=author, experience=theirs, body="Mon commentaire")
    services.comment_create(author=reader, experience=mine, body="Son commentaire")
    services.reaction_set(member=author, experience=theirs, kind="courage", pressed=True)
    Follow.objects.create(follower=author, followed=reader)
    exported = personal_data.export(member=author)
    assert [e["body"] for e in exported["experiences"]] == ["Mon histoire"]
    assert exported["experience_comments"][0]["experience"] == theirs.pk
    assert exported["experience_reactions"] == [{"experience": theirs.pk, "kind": "courage"}]
    assert exported["following"] == ["Bob"]

    image_name = Experience.objects.get(pk=mine.pk).image.name
    storage = mine.image.storage
    members.member_erase(member=author, delete_content=True)
    assert not Experience.objects.filter(author=author).exists()
    assert not ExperienceComment.objects.filter(author=author).exists()
    assert not ExperienceReaction.objects.exists() and not Follow.objects.exists()
    assert not storage.exists(image_name)
    theirs.refresh_from_db()
    assert theirs.courage_count == 0 and theirs.comment_count == 0
    assert ExperienceComment.objects.filter(author=reader).count() == 0  # on a deleted one
