"""The search's sources compiled once per shape of the access rules (core.compiled): whoever
searched first, each reader's candidates are those of the rules' own querysets."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from core.search import CONFIG
from tenant_apps.forums import access as forums_access
from tenant_apps.forums.models import Topic
from tenant_apps.knowledge import access, selectors
from tenant_apps.knowledge.models import Article

pytestmark = pytest.mark.django_db

READERS = ("member", "outsider", "moderator", "admin", "editor", "reviewer")


def candidates(sources: dict, name: str) -> set[int]:
    """A source's ids; none where the reader may read nothing of it (no source at all)."""
    if name not in sources:
        return set()
    sql, params = sources[name]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("first", ["outsider", "moderator"])
def test_each_reader_gets_the_candidates_of_the_rules_querysets(
    make_article, make_topic, member_of, spaces, first
):
    make_article("La fatigue des patients")
    make_article("La fatigue des aidants", space=spaces["proches-aidants"])
    make_topic("Fatigue et traitement", "La fatigue me pèse.")
    make_topic("Fatigue de l'aidant", "La fatigue me pèse aussi.", space_slug="proches-aidants")
    hidden = make_topic("Fatigue cachée", "La fatigue encore.")
    Topic.objects.filter(pk=hidden.pk).update(status=Topic.Status.HIDDEN)
    for plans in (selectors._ARTICLES._plans, selectors._TOPICS._plans):
        plans.clear()
    query = SearchQuery("fatigue", search_type="websearch", config=CONFIG)
    seen = {}
    for name in [first, *(n for n in READERS if n != first)]:
        member = member_of(name)
        sources = selectors._sources(member, "fatigue", articles=True, topics=True, category=None)
        readable = Article.objects.visible_to(member).filter(search_vector=query)
        articles = set(readable.values_list("pk", flat=True))
        topics = set(
            Topic.objects.visible_to(member)
            .filter(status=Topic.Status.VISIBLE, search_vector=query)
            .values_list("pk", flat=True)
        )
        assert candidates(sources, "a") == articles, name
        assert candidates(sources, "t") == topics, name
        seen[name] = (articles, topics)
    # The spaces make a difference: the test would not notice a shared plan otherwise.
    assert seen["member"] != seen["outsider"]
    assert len(seen["member"][0]) == len(seen["member"][1]) == 1


def test_the_shapes_say_all_the_rules_depend_on_besides_the_id(member_of):
    """Two readers of the same shapes get the same SQL but for their ids."""
    for a, b in (("member", "editor"), ("moderator", "admin")):
        first, second = member_of(a), member_of(b)
        assert forums_access.reader_shape(first) == forums_access.reader_shape(second)
        assert access.reader_shape(first) == access.reader_shape(second)
        for model in (Topic, Article):
            text_a, params_a = model.objects.visible_to(first).query.sql_with_params()
            text_b, params_b = model.objects.visible_to(second).query.sql_with_params()
            assert text_a == text_b
            for x, y in zip(params_a, params_b, strict=True):
                assert x == y or (x, y) == (first.pk, second.pk)


def test_a_reader_who_may_read_nothing_gets_no_source(member_of):
    member = member_of("member")
    member.status = member.Status.SUSPENDED
    assert selectors._sources(member, "fatigue", articles=True, topics=True, category=None) == {}
