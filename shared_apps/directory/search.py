"""The directory's French full-text search, across its four kinds of listing.

Documents are written in Python-folded text (``core.search``: accent-insensitive without the
``unaccent`` extension), like the networks' search, so "therapie" finds "thérapie". Whoever
writes a listing calls ``reindex(model, ids)`` after the write (services, imports, syncs):
one UPDATE per batch of rows.

``search(query, filters)`` ranks the four kinds together for the results page; the lists of
one kind use ``selectors.listings``, which applies the same query.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import Case, F, FloatField, Model, QuerySet, Value, When
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


def _association_texts(ids: list[int]) -> dict[int, dict[str, str]]:
    rows = Association.objects.filter(pk__in=ids).prefetch_related("pathologies")
    return {
        row.pk: {
            "A": row.name,
            "B": " ".join(p.name for p in row.pathologies.all()),
            "C": " ".join(
                (row.description, _region_names(row.regions), _department_names(row.departments))
            ),
        }
        for row in rows
    }


def _initiative_texts(ids: list[int]) -> dict[int, dict[str, str]]:
    rows = Initiative.objects.filter(pk__in=ids).prefetch_related("pathologies", "themes")
    return {
        row.pk: {
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
        }
        for row in rows
    }


def _event_texts(ids: list[int]) -> dict[int, dict[str, str]]:
    rows = DirectoryEvent.objects.filter(pk__in=ids).prefetch_related("pathologies")
    return {
        row.pk: {
            "A": row.title,
            "B": " ".join([p.name for p in row.pathologies.all()] + [row.network_name]),
            "C": " ".join((row.summary, row.place, _region_names([row.region]))),
        }
        for row in rows
    }


def _resource_texts(ids: list[int]) -> dict[int, dict[str, str]]:
    rows = Resource.objects.filter(pk__in=ids).prefetch_related("themes")
    return {
        row.pk: {
            "A": row.title,
            "B": " ".join([row.summary] + [t.name for t in row.themes.all()]),
            "C": _plain(row.body_html) or row.body,
        }
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
        written += model._default_manager.filter(pk__in=list(texts)).update(
            search_vector=Case(
                *(
                    When(pk=pk, then=document(**{w: t for w, t in weighted.items() if t}))
                    for pk, weighted in texts.items()
                ),
                output_field=SearchVectorField(),
            )
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


@dataclass(frozen=True)
class Hit:
    """One result of the search across kinds."""

    kind: str
    id: int
    label: str
    rank: float
    obj: Any


def search(text: str, filters: Any, *, offset: int = 0, limit: int = 20) -> list[Hit]:
    """The published listings of every kind the filters allow that match the text, best
    first (then by name, kind and id: a stable order for pages). One query for the ranked
    ids, then one per kind present for the rows."""
    from shared_apps.directory import selectors

    filters = filters.replace(q=text) if hasattr(filters, "replace") else filters
    parts = []
    for kind in selectors.KINDS:
        qs = selectors.listings(kind, filters)
        if qs.query.is_empty():
            continue
        label = "name" if kind == "association" else "title"
        parts.append(
            qs.order_by()
            .annotate(hit_kind=Value(kind), hit_label=F(label))
            .values_list("hit_kind", "id", "hit_label", "rank")
        )
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = list(union.order_by("-rank", "hit_label", "hit_kind", "id")[offset : offset + limit])
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _label, _rank in rows:
        by_kind.setdefault(kind, []).append(pk)
    objects = {kind: selectors.rows_for(kind, pks) for kind, pks in by_kind.items()}
    return [
        Hit(kind=kind, id=pk, label=label, rank=rank, obj=objects[kind].get(pk))
        for kind, pk, label, rank in rows
        if objects[kind].get(pk) is not None
    ]
