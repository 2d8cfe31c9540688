"""What a member may read in the knowledge base (tenant_apps/knowledge/access.py), asked of
every reader: the list, the API collection, the search (page and API), an article's page,
and the answer to a question. Read matrices assert which ids come back."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.knowledge import access, selectors, services
from tenant_apps.knowledge.models import Article, Question
from tenant_apps.members.models import Member
from tenant_apps.notifications.models import Notification
from tests.members.factories import account

pytestmark = pytest.mark.django_db

WORD = "osteoporose"
READERS = ["member", "outsider", "editor", "reviewer", "moderator", "admin", "suspended"]


@pytest.fixture
def shelf(make_article, spaces):
    """One article of each kind, all about the same word."""

    def made(title, **kwargs):
        return make_article(title, body=f"L'ostéoporose après un traitement. {title}", **kwargs)

    return {
        "everyone": made("Pour tous"),
        "patients": made("Pour les patients", space=spaces["patients"]),
        "caregivers": made("Pour les proches", space=spaces["proches-aidants"]),
        "draft": made("Brouillon", status=Article.Status.DRAFT),
        "archived": made("Archivé", status=Article.Status.ARCHIVED),
    }


@pytest.fixture
def readers(people, client_as, client_for, tenant):
    """WHO's clients, plus a suspended patient's."""
    suspended = account("Sam")
    Member.objects.filter(user=suspended).update(status=Member.Status.SUSPENDED)

    def client(who: str):
        if who != "suspended":
            return client_as(who)
        found = client_for(tenant)
        found.force_login(suspended)
        return found

    def member(who: str) -> Member:
        user = suspended if who == "suspended" else people[who]
        return Member.objects.get(user=user)

    client.member = member
    return client


# Which articles each reader may read in lists and search: published ones of their audience.
# Editors and reviewers open drafts by address, but lists and search show what members read.
LISTED = {
    "member": {"everyone", "patients"},
    "outsider": {"everyone", "caregivers"},
    "editor": {"everyone", "patients"},  # a patient designated editor
    "reviewer": {"everyone"},  # a health professional: no audience space
    "moderator": {"everyone", "patients", "caregivers"},
    "admin": {"everyone", "patients", "caregivers"},
    "suspended": set(),
}


def test_the_published_status_named_in_access_matches_the_model():
    assert access.PUBLISHED == Article.Status.PUBLISHED


def ids(shelf, names) -> set[int]:
    return {shelf[name].pk for name in names}


@pytest.mark.parametrize("who", READERS)
def test_the_article_list(who, readers, shelf):
    listed = set(selectors.articles_for(readers.member(who)).values_list("pk", flat=True))
    assert listed == ids(shelf, LISTED[who])
    response = readers(who).get("/api/knowledge/articles/")
    if who == "suspended":
        assert response.status_code == 404
    else:
        assert {a["id"] for a in response.json()["results"]} == ids(shelf, LISTED[who])


@pytest.mark.parametrize("who", READERS)
def test_the_search(who, readers, shelf):
    found = selectors.search(member=readers.member(who), text=WORD)
    assert {hit.obj.pk for hit in found.hits} == ids(shelf, LISTED[who])
    assert found.total == len(LISTED[who])
    client = readers(who)
    searched = client.get("/api/knowledge/articles/", {"q": WORD})
    page = client.get("/recherche/", {"q": WORD})
    if who == "suspended":
        assert searched.status_code == 404
        assert page.status_code in (302, 404)  # signed out by the middleware, or refused
        return
    assert {a["id"] for a in searched.json()["results"]} == ids(shelf, LISTED[who])
    assert searched.json()["count"] == len(LISTED[who])
    html = page.content.decode()
    linked = {
        name for name, article in shelf.items() if f'href="/ressources/{article.pk}/"' in html
    }
    assert linked == LISTED[who]


@pytest.mark.parametrize("who", ["anonymous", "other_network"])
def test_strangers_get_no_article(who, client_as, shelf):
    client = client_as(who)
    assert client.get("/api/knowledge/articles/").status_code == 404
    assert client.get("/api/knowledge/articles/", {"q": WORD}).status_code == 404
    assert client.get(f"/api/knowledge/articles/{shelf['everyone'].pk}/").status_code == 404


OPENED = {
    **LISTED,
    # Editors and reviewers open every article, to write and verify it.
    "editor": set(LISTED["admin"]) | {"draft", "archived"},
    "reviewer": set(LISTED["admin"]) | {"draft", "archived"},
    "admin": set(LISTED["admin"]) | {"draft", "archived"},
}


@pytest.mark.parametrize("who", READERS)
def test_an_articles_address_opens_only_what_the_reader_may_read(who, readers, shelf):
    client = readers(who)
    opened = {
        name
        for name, article in shelf.items()
        if client.get(f"/api/knowledge/articles/{article.pk}/").status_code == 200
    }
    assert opened == OPENED[who]
    member = readers.member(who)
    checked = {
        name
        for name, article in shelf.items()
        if access.article_readable(member, article, drafts=True)
    }
    assert checked == OPENED[who]


def test_a_question_is_not_answered_with_an_article_its_asker_cannot_read(people, shelf):
    outsider = people["outsider"].member
    question = services.question_ask(asker=outsider, text="Et l'ostéoporose ?")
    with pytest.raises(ValidationError):
        services.question_answer(
            question=question, article=shelf["patients"], by=people["editor"].member
        )
    assert Question.objects.get(pk=question.pk).status == Question.Status.OPEN
    assert not Notification.objects.filter(recipient=outsider).exists()

    services.question_answer(
        question=question, article=shelf["caregivers"], by=people["editor"].member
    )
    told = Notification.objects.get(recipient=outsider, kind=Notification.Kind.ANSWER)
    assert told.subject == shelf["caregivers"].title
