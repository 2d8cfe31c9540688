"""Every knowledge and search page through real requests on the network's host: who may see
and do what (404 for everyone else, and nothing changes), forms, and query counts."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tenant_apps.forums.models import Post
from tenant_apps.knowledge.models import (
    Article,
    ArticleCard,
    ArticleVersion,
    Category,
    EditorialRole,
    Question,
)
from tenant_apps.members.models import AuditEntry
from tenant_apps.notifications.models import Notification

from .conftest import WHO, rolled_back

pytestmark = pytest.mark.django_db

SIGNED_IN = {"member", "outsider", "editor", "reviewer", "moderator", "admin"}
EDITORIAL = {"editor", "reviewer", "admin"}
WRITERS = {"editor", "admin"}
REVIEWERS = {"reviewer", "admin"}
MODERATORS = {"moderator", "admin"}


def snapshot() -> tuple:
    """Everything these pages could change."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title", "status", "reviewer_id")),
        ArticleVersion.objects.count(),
        list(Question.objects.order_by("pk").values_list("pk", "status", "article_id")),
        list(EditorialRole.objects.order_by("pk").values_list("member_id", "kind")),
        list(Category.objects.order_by("pk").values_list("pk", "webinar_planned")),
        Post.objects.count(),
        ArticleCard.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def world(make_article, make_topic, spaces, people):
    from tenant_apps.knowledge import services

    published = make_article("Comprendre la thérapie ciblée")
    draft = make_article("Brouillon sur l'hormonothérapie", status=Article.Status.DRAFT)
    in_review = make_article("La radiothérapie en pratique", status=Article.Status.REVIEW)
    patients_only = make_article("Reprendre le travail", space=spaces["patients"])
    question = services.question_ask(asker=people["member"].member, text="Et la perruque ?")
    return {
        "published": published,
        "draft": draft,
        "review": in_review,
        "patients_only": patients_only,
        "topic": make_topic("Bienvenue à tous", "Je me présente."),
        "question": question,
        "theme": Category.objects.get(slug="immunotherapie"),
        "role": EditorialRole.objects.get(kind=EditorialRole.Kind.EDITOR),
    }


# page → (path from the world, who may read it)
PAGES = {
    "index": (lambda w: "/ressources/", SIGNED_IN),
    "published": (lambda w: f"/ressources/{w['published'].pk}/", SIGNED_IN),
    "draft": (lambda w: f"/ressources/{w['draft'].pk}/", EDITORIAL),
    "other_space": (
        lambda w: f"/ressources/{w['patients_only'].pk}/",
        SIGNED_IN - {"outsider"},
    ),
    "manage": (lambda w: "/ressources/redaction/", EDITORIAL),
    "create": (lambda w: "/ressources/nouveau/", WRITERS),
    "edit": (lambda w: f"/ressources/{w['published'].pk}/modifier/", WRITERS),
    "history": (lambda w: f"/ressources/{w['published'].pk}/historique/", EDITORIAL),
    "version": (lambda w: f"/ressources/{w['published'].pk}/historique/1/", EDITORIAL),
    "team": (lambda w: "/ressources/equipe/", {"admin"}),
    "questions": (lambda w: "/ressources/questions/", WRITERS),
    "ask": (lambda w: "/ressources/questions/poser/?q=perruque", SIGNED_IN),
    "reply": (lambda w: f"/ressources/repondre/{w['topic'].pk}/", MODERATORS),
    "search": (lambda w: "/recherche/?q=therapie+ciblee", SIGNED_IN),
}


# Signed out on this network (a session of another network included): sent to sign in.
SIGNED_OUT = {"anonymous", "other_network"}


@pytest.mark.parametrize("page", PAGES)
def test_who_may_see_each_page(client_as, world, page):
    path, allowed = PAGES[page]
    for who in WHO:
        with rolled_back():
            client = client_as(who)
            before = snapshot()
            response = client.get(path(world))
            if who in SIGNED_OUT:
                assert response.status_code == 302, (page, who)
                assert response["Location"].startswith("/comptes/login/?next="), (page, who)
            else:
                assert response.status_code == (200 if who in allowed else 404), (page, who)
            assert snapshot() == before, (page, who)


def _article_fields(**extra) -> dict:
    data = {
        "title": "Le lymphœdème",
        "summary": "Un gonflement du bras après la chirurgie.",
        "body": "### Prévenir\n\nDrainage et **contention**.",
        "tags": "chirurgie, kiné",
        "space": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "30",
        "sources-0-title": "Le lymphœdème",
        "sources-0-publisher": "INCa",
        "sources-0-url": "https://www.e-cancer.fr/",
        "sources-0-published_on": "2024-01-15",
    }
    data.update(extra)
    return data


# action → (method path, POST data, who may do it, what it changes when allowed)
def _actions(w):
    theme = w["theme"]
    return {
        "create": ("/ressources/nouveau/", _article_fields(), WRITERS),
        "edit": (f"/ressources/{w['published'].pk}/modifier/", _article_fields(), WRITERS),
        "submit": (f"/ressources/{w['draft'].pk}/statut/", {"action": "submit"}, WRITERS),
        "publish": (f"/ressources/{w['review'].pk}/statut/", {"action": "publish"}, REVIEWERS),
        "send_back": (f"/ressources/{w['review'].pk}/statut/", {"action": "send_back"}, REVIEWERS),
        "archive": (f"/ressources/{w['published'].pk}/statut/", {"action": "archive"}, WRITERS),
        "restore": (f"/ressources/{w['published'].pk}/historique/1/restaurer/", {}, WRITERS),
        "grant": ("/ressources/equipe/", {"pseudonym": "Bob", "kind": "reviewer"}, {"admin"}),
        "revoke": (f"/ressources/equipe/{w['role'].pk}/retirer/", {}, {"admin"}),
        "ask": ("/ressources/questions/poser/", {"text": "Et les ongles ?"}, SIGNED_IN),
        "answer": (
            f"/ressources/questions/{w['question'].pk}/repondre/",
            {"article": w["published"].pk},
            WRITERS,
        ),
        "webinar": (f"/ressources/themes/{theme.pk}/webinaire/", {}, WRITERS),
        "reply": (
            f"/ressources/repondre/{w['topic'].pk}/",
            {"article": w["published"].pk, "message": "Voici un article utile."},
            MODERATORS,
        ),
    }


ACTIONS = [
    "create", "edit", "submit", "publish", "send_back", "archive", "restore", "grant", "revoke",
    "ask", "answer", "webinar", "reply",
]  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_act_and_refusals_change_nothing(client_as, world, action):
    path, data, allowed = _actions(world)[action]
    for who in WHO:
        with rolled_back():  # each caller meets the same world
            client = client_as(who)
            before = snapshot()
            response = client.post(path, data)
            if who in allowed:
                assert response.status_code == 302, (action, who, response.content[:2000])
                assert snapshot() != before, (action, who)
            else:
                assert response.status_code == (302 if who in SIGNED_OUT else 404), (action, who)
                assert snapshot() == before, (action, who)


def test_get_on_a_post_only_page_is_refused_without_change(client_as, world):
    client = client_as("admin")
    before = snapshot()
    assert client.get(f"/ressources/{world['draft'].pk}/statut/").status_code == 405
    assert snapshot() == before


def test_an_unknown_article_is_the_same_404(client_as, world):
    assert client_as("admin").get("/ressources/999999/").status_code == 404
    assert client_as("member").get(f"/ressources/{world['draft'].pk}/").status_code == 404


def test_the_article_form_keeps_what_was_typed_and_shows_errors(client_as, world):
    client = client_as("editor")
    before = Article.objects.count()
    data = _article_fields(title="", **{"sources-0-url": "pas une adresse"})
    response = client.post("/ressources/nouveau/", data)
    assert response.status_code == 200
    assert Article.objects.count() == before
    form, sources = response.context["form"], response.context["sources"]
    assert "title" in form.errors
    assert "url" in sources.forms[0].errors
    assert "Un gonflement du bras après la chirurgie." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_article_page_shows_the_reviewer_pseudonym_and_the_sources(client_as, world):
    response = client_as("member").get(f"/ressources/{world['published'].pk}/")
    page = response.content.decode()
    assert 'id="verified-by"' in page and "DrRita" in page
    assert 'id="sources"' in page and "https://www.e-cancer.fr/" in page
    assert "drrita@example.org" not in page.lower()
    assert 'id="under-revision"' not in page


def test_search_page_links_to_the_question_prefilled(client_as, world):
    client = client_as("member")
    page = client.get("/recherche/", {"q": "perruque synthétique"}).content.decode()
    assert 'id="ask"' in page
    assert "/ressources/questions/poser/?q=perruque+synth%C3%A9tique" in page
    ask = client.get("/ressources/questions/poser/?q=perruque synthétique").content.decode()
    assert "perruque synthétique</textarea>" in ask


def test_search_page_shows_highlighted_results_and_filters(client_as, world):
    client = client_as("member")
    response = client.get("/recherche/", {"q": "therapie ciblee", "type": "article"})
    page = response.content.decode()
    assert response.context["result"].total == 1
    assert "<mark>thérapie</mark> <mark>ciblée</mark>" in page
    response = client.get("/recherche/", {"q": "therapie", "type": "nonsense"})
    assert response.status_code == 200 and response.context["result"] is None


def test_query_counts(client_as, world, make_article, django_assert_max_num_queries):
    for number in range(15):
        make_article(f"Article {number} sur la fatigue", themes=("vie-quotidienne",))
    client = client_as("member")
    client.get("/")  # the first request of a session also refreshes last_seen
    with django_assert_max_num_queries(12):
        assert client.get("/ressources/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/ressources/{world['published'].pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/recherche/", {"q": "fatigue"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/recherche/", {"q": "présente"}).status_code == 200
    editor = client_as("admin")
    editor.get("/")
    with django_assert_max_num_queries(14):
        assert editor.get("/ressources/redaction/").status_code == 200
    with django_assert_max_num_queries(14):
        assert editor.get(f"/ressources/{world['published'].pk}/historique/").status_code == 200
    with django_assert_max_num_queries(16):
        assert editor.get("/ressources/questions/").status_code == 200


def test_a_granted_role_is_audited_and_gives_the_rights(client_as, world, people):
    admin = client_as("admin")
    assert client_as("member").get("/ressources/redaction/").status_code == 404
    admin.post("/ressources/equipe/", {"pseudonym": "bob", "kind": "editor"})
    assert AuditEntry.objects.filter(action="knowledge.role_grant",
                                     target=people["member"].member).exists()  # fmt: skip
    # The role asks for a second factor first; without one it gives no right, API included.
    bob = client_as("member")
    response = bob.get("/ressources/redaction/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")
    api = bob.post("/api/knowledge/articles/", {}, content_type="application/json")
    assert api.status_code == 404
    TOTP.activate(people["member"], generate_totp_secret())
    assert client_as("member").get("/ressources/redaction/").status_code == 200
    response = admin.post("/ressources/equipe/", {"pseudonym": "personne", "kind": "editor"})
    assert response.status_code == 200 and "pseudonym" in response.context["form"].errors
