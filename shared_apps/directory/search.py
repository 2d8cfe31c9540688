"""The directory's French full-text search, across its four kinds of listing.

Documents are written in Python-folded text (``core.search``: accent-insensitive without the
``unaccent`` extension), like the networks' search, so "therapie" finds "thérapie". Whoever
writes a listing calls ``reindex(model, ids)`` after the write (services, imports, syncs):
one UPDATE per batch of rows.

The results page's ranking across kinds (``selectors.search``) and the lists of one kind
(``selectors.listings``) apply ``matching``/``ranked`` from here: the search sits below the
selectors, which compose it with the one rule of what is published.
"""

from collections.abc import Iterable
from html import unescape

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import Case, F, FloatField, IntegerField, Model, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.html import strip_tags

from core import geo
from core.search import document, query
from shared_apps.directory.models import Association, DirectoryEvent, Initiative, Resource

# Rows written per UPDATE: each row adds its own CASE branch to the statement.
BATCH = 200

KIND_MODELS: dict[str, type[Model]] = {
    "association": Association,
    "initiative": Initiative,
    "event": DirectoryEvent,
    "resource": Resource,
}
MODEL_KINDS = {model: kind for kind, model in KIND_MODELS.items()}


def _plain(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def _region_names(codes: Iterable[str]) -> str:
    return " ".join(geo.REGIONS[code][0] for code in codes if code in geo.REGIONS)


def _department_names(codes: Iterable[str]) -> str:
    return " ".join(geo.DEPARTMENT_NAMES.get(code, "") for code in codes)


# Each kind's texts by weight, and the ids its facets count (``pathology_ids``, ``theme_ids``).
Texts = dict[int, tuple[dict[str, str], dict[str, list[int]]]]


def _ids(related: Iterable[Model]) -> list[int]:
    return sorted(item.pk for item in related)


def _association_texts(ids: list[int]) -> Texts:
    rows = Association.objects.filter(pk__in=ids).prefetch_related("pathologies")
    return {
        row.pk: (
            {
                "A": row.name,
                "B": " ".join(p.name for p in row.pathologies.all()),
                "C": " ".join(
                    (
                        row.description,
                        _region_names(row.regions),
                        _department_names(row.departments),
                    )
                ),
            },
            {"pathology_ids": _ids(row.pathologies.all())},
        )
        for row in rows
    }


def _initiative_texts(ids: list[int]) -> Texts:
    rows = Initiative.objects.filter(pk__in=ids).prefetch_related("pathologies", "themes")
    return {
        row.pk: (
            {
                "A": row.title,
                "B": " ".join(
                    [p.name for p in row.pathologies.all()] + [t.name for t in row.themes.all()]
                ),
                "C": " ".join(
                    (
                        row.description,
                        _region_names([row.region]),
                        _department_names([row.department]) if row.department else "",
                    )
                ),
                "D": " ".join((row.motivation, row.success_text)),
            },
            {
                "pathology_ids": _ids(row.pathologies.all()),
                "theme_ids": _ids(row.themes.all()),
            },
        )
        for row in rows
    }


def _event_texts(ids: list[int]) -> Texts:
    rows = DirectoryEvent.objects.filter(pk__in=ids).prefetch_related("pathologies")
    return {
        row.pk: (
            {
                "A": row.title,
                "B": " ".join([p.name for p in row.pathologies.all()] + [row.network_name]),
                "C": " ".join((row.summary, row.place, _region_names([row.region]))),
            },
            {"pathology_ids": _ids(row.pathologies.all())},
        )
        for row in rows
    }


def _resource_texts(ids: list[int]) -> Texts:
    rows = Resource.objects.filter(pk__in=ids).prefetch_related("themes")
    return {
        row.pk: (
            {
                "A": row.title,
                "B": " ".join([row.summary] + [t.name for t in row.themes.all()]),
                "C": _plain(row.body_html) or row.body,
            },
            {"theme_ids": _ids(row.themes.all())},
        )
        for row in rows
    }


_TEXTS = {
    Association: _association_texts,
    Initiative: _initiative_texts,
    DirectoryEvent: _event_texts,
    Resource: _resource_texts,
}


def reindex(model: type[Model], ids: Iterable[int]) -> int:
    """Rewrite the search documents of these rows of one kind (any model of KIND_MODELS):
    one read and one UPDATE per batch. Returns how many rows were written. Runs wherever the
    public tables are on the search path (the public schema or a network's job)."""
    texts_of = _TEXTS[model]
    pks = sorted(set(ids))
    written = 0
    for start in range(0, len(pks), BATCH):
        texts = texts_of(pks[start : start + BATCH])
        if not texts:
            continue
        linked = {name: ArrayField(IntegerField()) for name in next(iter(texts.values()))[1]}
        written += model._default_manager.filter(pk__in=list(texts)).update(
            search_vector=Case(
                *(
                    When(pk=pk, then=document(**{w: t for w, t in weighted.items() if t}))
                    for pk, (weighted, _ids) in texts.items()
                ),
                output_field=SearchVectorField(),
            ),
            **{
                name: Case(
                    *(
                        When(pk=pk, then=Value(ids[name], output_field=field))
                        for pk, (_weighted, ids) in texts.items()
                    ),
                    output_field=field,
                )
                for name, field in linked.items()
            },
        )
    return written


def reindex_all(model: type[Model]) -> int:
    """Every row of a kind (after an import or a migration)."""
    return reindex(model, model._default_manager.values_list("pk", flat=True))


def search_query(text: str) -> SearchQuery:
    """The folded websearch query the lists and the results page filter and rank with."""
    return query(text)


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """Keep the rows matching the text (all when there is none), without ranking them: what
    counts need."""
    if not text.strip():
        return queryset
    return queryset.filter(search_vector=search_query(text))


def ranked(queryset: QuerySet, text: str) -> QuerySet:
    """Keep the rows matching the text and annotate ``rank`` (0 when there is no text)."""
    if not text.strip():
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    wanted = search_query(text)
    return queryset.filter(search_vector=wanted).annotate(
        rank=Cast(SearchRank(F("search_vector"), wanted), FloatField())
    )
