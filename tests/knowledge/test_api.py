"""The knowledge API through real requests: who may call what (404 otherwise, nothing
changes), field errors as 400, search, and the OpenAPI schema."""

import json

import pytest
from django.core.management import call_command

from tenant_apps.knowledge.models import Article, ArticleVersion, Source

from .conftest import WHO, rolled_back

pytestmark = pytest.mark.django_db

SIGNED_IN = {"member", "outsider", "editor", "reviewer", "moderator", "admin"}
WRITERS = {"editor", "admin"}
REVIEWERS = {"reviewer", "admin"}

NEW_ARTICLE = {
    "title": "La mucite",
    "summary": "Des aphtes pendant la chimiothérapie.",
    "body": "Bains de bouche **sans alcool**.",
    "categories": ["chimiotherapie"],
    "tags": ["bouche"],
    "sources": [
        {
            "title": "Mucite buccale",
            "publisher": "INCa",
            "url": "https://www.e-cancer.fr/",
            "published_on": "2023-11-02",
        }
    ],
}


def call(client, method: str, path: str, body=None):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def snapshot() -> tuple:
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title", "status", "reviewer_id")),
        ArticleVersion.objects.count(),
        list(Source.objects.order_by("pk").values_list("article_id", "title")),
    )


@pytest.fixture
def world(make_article, spaces):
    return {
        "published": make_article("Comprendre la thérapie ciblée"),
        "draft": make_article("Brouillon", status=Article.Status.DRAFT),
        "review": make_article("En relecture", status=Article.Status.REVIEW),
        "patients_only": make_article("Reprendre le travail", space=spaces["patients"]),
    }


def _endpoints(w):
    return {
        "list": ("get", "/api/knowledge/articles/", None, 200, SIGNED_IN),
        "search": ("get", "/api/knowledge/articles/?q=therapies", None, 200, SIGNED_IN),
        "read": ("get", f"/api/knowledge/articles/{w['published'].pk}/", None, 200, SIGNED_IN),
        "read_draft": (
            "get", f"/api/knowledge/articles/{w['draft'].pk}/", None, 200,
            WRITERS | REVIEWERS,
        ),
        "read_other_space": (
            "get", f"/api/knowledge/articles/{w['patients_only'].pk}/", None, 200,
            SIGNED_IN - {"outsider"},
        ),
        "create": ("post", "/api/knowledge/articles/", NEW_ARTICLE, 201, WRITERS),
        "update": (
            "patch", f"/api/knowledge/articles/{w['published'].pk}/", {"title": "Nouveau titre"},
            200, WRITERS,
        ),
        "submit": ("post", f"/api/knowledge/articles/{w['draft'].pk}/submit/", {}, 200, WRITERS),
        "publish": (
            "post", f"/api/knowledge/articles/{w['review'].pk}/publish/", {}, 200, REVIEWERS,
        ),
    }  # fmt: skip


ENDPOINTS = ["list", "search", "read", "read_draft", "read_other_space", "create", "update",
             "submit", "publish"]  # fmt: skip


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_who_may_call_each_endpoint(client_as, world, endpoint):
    method, path, body, success, allowed = _endpoints(world)[endpoint]
    for who in WHO:
        with rolled_back():  # each caller meets the same world
            client = client_as(who)
            before = snapshot()
            response = call(client, method, path, body)
            if who in allowed:
                assert response.status_code == success, (endpoint, who, response.content)
                if method != "get":
                    assert snapshot() != before, (endpoint, who)
            else:
                assert response.status_code == 404, (endpoint, who)
                assert snapshot() == before, (endpoint, who)


def test_reading_shows_sources_reviewer_pseudonym_and_no_email(client_as, world):
    data = client_as("member").get(f"/api/knowledge/articles/{world['published'].pk}/").json()
    assert data["reviewer"] == "DrRita"
    assert data["sources"][0]["publisher"] == "INCa"
    assert data["under_revision"] is False
    assert "@" not in json.dumps(data)


def test_the_list_shows_only_what_the_reader_may_read(client_as, world):
    member = client_as("member").get("/api/knowledge/articles/").json()
    outsider = client_as("outsider").get("/api/knowledge/articles/").json()
    assert {a["title"] for a in member["results"]} == {
        "Comprendre la thérapie ciblée", "Reprendre le travail",
    }  # fmt: skip
    assert {a["title"] for a in outsider["results"]} == {"Comprendre la thérapie ciblée"}
    drafts = client_as("member").get("/api/knowledge/articles/?status=draft").json()
    assert "Brouillon" not in {a["title"] for a in drafts["results"]}
    editors = client_as("editor").get("/api/knowledge/articles/?status=draft").json()
    assert {a["title"] for a in editors["results"]} == {"Brouillon"}


def test_search_is_accent_insensitive_with_snippets(client_as, world):
    data = client_as("member").get("/api/knowledge/articles/", {"q": "therapie ciblee"}).json()
    assert data["count"] == 1
    assert data["hits"][0]["title_html"] == (
        "Comprendre la <mark>thérapie</mark> <mark>ciblée</mark>"
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({**NEW_ARTICLE, "title": ""}, "title"),
        ({**NEW_ARTICLE, "categories": ["inconnue"]}, "categories"),
        ({**NEW_ARTICLE, "sources": [{"title": "x"}]}, "sources"),
        ({**NEW_ARTICLE, "sources": [{**NEW_ARTICLE["sources"][0], "url": "nope"}]}, "sources"),
        ({**NEW_ARTICLE, "space": 999999}, "space"),
        ("pas du json", "non_field_errors"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(client_as, world, body, field):
    before = snapshot()
    response = call(client_as("editor"), "post", "/api/knowledge/articles/", body)
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_publishing_without_a_source_is_a_400(client_as, world, make_article):
    bare = make_article("Sans source", status=Article.Status.REVIEW, sources=[])
    before = snapshot()
    response = call(client_as("reviewer"), "post", f"/api/knowledge/articles/{bare.pk}/publish/",
                    {})  # fmt: skip
    assert response.status_code == 400 and "sources" in response.json()
    response = call(client_as("reviewer"), "post",
                    f"/api/knowledge/articles/{world['review'].pk}/publish/",
                    {"next_review_on": "2001-01-01"})  # fmt: skip
    assert response.status_code == 400 and "next_review_on" in response.json()
    assert snapshot() == before


def test_patch_changes_only_what_is_sent(client_as, world):
    article = world["published"]
    response = call(client_as("editor"), "patch", f"/api/knowledge/articles/{article.pk}/",
                    {"summary": "Nouveau résumé."})  # fmt: skip
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.title, article.summary, article.sources.count()) == (
        "Comprendre la thérapie ciblée", "Nouveau résumé.", 1,
    )  # fmt: skip
    response = call(client_as("editor"), "patch", f"/api/knowledge/articles/{article.pk}/",
                    {"sources": []})  # fmt: skip
    assert response.status_code == 400 and "sources" in response.json()


def test_query_counts(client_as, world, make_article, django_assert_max_num_queries):
    for number in range(12):
        make_article(f"Article {number} sur la fatigue")
    client = client_as("member")
    client.get("/")  # the first request of a session also refreshes last_seen
    with django_assert_max_num_queries(10):
        assert client.get("/api/knowledge/articles/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/knowledge/articles/", {"q": "fatigue"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/api/knowledge/articles/{world['published'].pk}/").status_code == 200


def test_the_schema_documents_the_knowledge_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--urlconf", "config.urls_tenant",
                 "--validate", "--fail-on-warn")  # fmt: skip
    text = out.read_text()
    for operation in ("knowledge_articles_list", "knowledge_articles_create",
                      "knowledge_articles_retrieve", "knowledge_articles_partial_update",
                      "knowledge_articles_submit", "knowledge_articles_publish"):  # fmt: skip
        assert f"operationId: {operation}" in text
