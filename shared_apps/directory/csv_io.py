"""The directory's CSV: one column spec per kind, read by ``manage.py directory import`` and
written by the export of a filtered list, so that an export imports again as it is.

Columns are the model's field names (as in the API), documented in
docs/directory-data.md. Lists (pathologies, themes, régions, départements, roles, success
factors) are separated by ``|``. Choices are their codes; pathologies and themes are named
by their name or slug and must already exist (an import never creates vocabulary: a typo
would otherwise become a pathology). Dates are ISO (``2027-06-30``).

Reading validates every row before anything is written (``parse``); writing
(``import_rows``) is one transaction of bulk inserts. ``export_rows`` yields the rows of a
queryset as CSV lines, each cell that a spreadsheet would run as a formula prefixed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import geo
from shared_apps.directory import selectors
from shared_apps.directory.forms_filters import filters_from
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Review,
    Theme,
)

LIST_SEPARATOR = "|"
# A cell starting with one of these runs as a formula in a spreadsheet (OWASP CSV
# injection); tab and carriage return too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SLUG_LENGTH = 80


@dataclass(frozen=True)
class Column:
    """One column: its header (a model field's name), whether a row must fill it, and what
    kind of value it holds."""

    name: str
    kind: str = "text"  # text, choice, choices, url, email, date, rna, regions, departments,
    #                     region, department, pathologies, themes, association, slug
    required: bool = False
    choices: tuple[str, ...] = ()


def _codes(choices) -> tuple[str, ...]:
    return tuple(value for value, _label in choices)


ASSOCIATION_COLUMNS: tuple[Column, ...] = (
    Column("slug", "slug"),
    Column("name", required=True),
    Column("description", required=True),
    Column("pathologies", "pathologies"),
    Column("regions", "regions"),
    Column("departments", "departments"),
    Column("website", "url"),
    Column("contact_email", "email"),
    Column("contact_phone"),
    Column("legal_form", "choice", choices=_codes(Association.LegalForm.choices)),
    Column("rna", "rna"),
    Column("approval", "choice", choices=_codes(Association.Approval.choices)),
    Column("approval_ends", "date"),
)
INITIATIVE_COLUMNS: tuple[Column, ...] = (
    Column("slug", "slug"),
    Column("title", required=True),
    Column("description", required=True),
    Column("carrier", "choice", required=True, choices=_codes(Initiative.Carrier.choices)),
    Column("form", "choice", required=True, choices=_codes(Initiative.Form.choices)),
    Column("roles", "choices", choices=_codes(Initiative.PatientRole.choices)),
    Column("themes", "themes"),
    Column("pathologies", "pathologies"),
    Column("region", "region"),
    Column("department", "department"),
    Column("started_on", "date"),
    Column("activity", "choice", choices=_codes(Initiative.Activity.choices)),
    Column("motivation", required=True),
    Column("success_factors", "choices", choices=_codes(Initiative.SuccessFactor.choices)),
    Column("success_text", required=True),
    Column("website", "url"),
    Column("association", "association"),
)
SPECS: dict[str, tuple[type[Model], tuple[Column, ...]]] = {
    "associations": (Association, ASSOCIATION_COLUMNS),
    "initiatives": (Initiative, INITIATIVE_COLUMNS),
}
# Events and resources are exported (never imported): what their pages show.
EVENT_COLUMNS: tuple[Column, ...] = (
    Column("title"),
    Column("summary"),
    Column("format"),
    Column("starts_at"),
    Column("ends_at"),
    Column("online"),
    Column("place"),
    Column("region"),
    Column("pathologies", "pathologies"),
    Column("network_name"),
    Column("url"),
)
RESOURCE_COLUMNS: tuple[Column, ...] = (
    Column("slug"),
    Column("title"),
    Column("summary"),
    Column("themes", "themes"),
    Column("published_at"),
    Column("body"),
)
# The export of each kind of the directory's lists (selectors.KINDS).
EXPORTS: dict[str, tuple[type[Model], tuple[Column, ...]]] = {
    "association": SPECS["associations"],
    "initiative": SPECS["initiatives"],
    "event": (DirectoryEvent, EVENT_COLUMNS),
    "resource": (Resource, RESOURCE_COLUMNS),
}


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: the file's line (the header is line 1) and the column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Parsed:
    """The rows of a file, each a dict of model values (``pathologies``/``themes`` as ids),
    or the errors found; ``rows`` is empty when there is any error."""

    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def detect_kind(header: Iterable[str]) -> str | None:
    names = set(header)
    if "title" in names:
        return "initiatives"
    if "name" in names:
        return "associations"
    return None


def read_table(text: str) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows with the line each starts on (a quoted cell may span
    lines): comma or semicolon separated (a French spreadsheet writes ``;``), with or
    without a byte-order mark."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((start, cells))
        start = reader.line_num + 1
    return rows


class _Vocabulary:
    """Pathologies and themes by name or slug, case-insensitive, read once per file."""

    def __init__(self, model: type[Pathology] | type[Theme]):
        self.by_key: dict[str, int] = {}
        for pk, name, slug in model.objects.values_list("pk", "name", "slug"):
            self.by_key[name.casefold()] = pk
            self.by_key[slug.casefold()] = pk

    def ids(self, values: list[str]) -> tuple[list[int], list[str]]:
        found, unknown = [], []
        for value in values:
            pk = self.by_key.get(value.casefold())
            if pk is None:
                unknown.append(value)
            elif pk not in found:
                found.append(pk)
        return found, unknown


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


_URL = URLValidator(schemes=["http", "https"])


class _Reader:
    """Validates the rows of one kind; collects every error instead of stopping at the first."""

    def __init__(self, kind: str):
        self.kind = kind
        self.model, self.columns = SPECS[kind]
        self.pathologies = _Vocabulary(Pathology)
        self.themes = _Vocabulary(Theme)
        self.taken_slugs = set(self.model._default_manager.values_list("slug", flat=True))
        self.associations: dict[str, int] | None = None
        self.lengths = {
            f.name: f.max_length
            for f in self.model._meta.get_fields()
            if getattr(f, "max_length", None) and not getattr(f, "many_to_many", False)
        }

    def association_id(self, slug: str) -> int | None:
        if self.associations is None:
            self.associations = dict(Association.objects.values_list("slug", "pk"))
        return self.associations.get(slug)

    def cell(self, column: Column, raw: str) -> Any:
        """The model value of one cell, or ValidationError with the message to show."""
        value = raw.strip()
        if not value:
            if column.required:
                raise ValidationError(_("This field is required."))
            return self.empty(column)
        limit = self.lengths.get(column.name)
        if column.kind in ("text", "url", "email", "slug") and limit and len(value) > limit:
            raise ValidationError(
                _("At most %(limit)s characters (this one has %(length)s).")
                % {"limit": limit, "length": len(value)}
            )
        return getattr(self, f"parse_{column.kind}")(column, value)

    def empty(self, column: Column) -> Any:
        if column.kind in ("choices", "regions", "departments", "pathologies", "themes"):
            return []
        if column.kind in ("date", "association"):
            return None
        if column.kind == "choice" and "" not in column.choices:
            return self.model._meta.get_field(column.name).default
        return ""

    def parse_text(self, column: Column, value: str) -> str:
        return value

    def parse_slug(self, column: Column, value: str) -> str:
        if slugify(value) != value:
            raise ValidationError(_("Lowercase letters, digits and hyphens only."))
        return value

    def parse_choice(self, column: Column, value: str) -> str:
        if value not in column.choices:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(c for c in column.choices if c)}
            )
        return value

    def parse_choices(self, column: Column, value: str) -> list[str]:
        values = _split(value)
        wrong = [v for v in values if v not in column.choices]
        if wrong:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": ", ".join(wrong), "choices": ", ".join(column.choices)}
            )
        return list(dict.fromkeys(values))

    def parse_url(self, column: Column, value: str) -> str:
        try:
            _URL(value)
        except ValidationError:
            raise ValidationError(_("Enter a full web address (https://…).")) from None
        return value

    def parse_email(self, column: Column, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("Enter a valid email address.")) from None
        return value

    def parse_date(self, column: Column, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None

    def parse_rna(self, column: Column, value: str) -> str:
        value = value.upper()
        if len(value) != 10 or value[0] != "W" or not value[1:].isdigit():
            raise ValidationError(_("An RNA number is W followed by 9 digits."))
        return value

    def parse_region(self, column: Column, value: str) -> str:
        if value not in geo.REGIONS:
            raise ValidationError(_("“%(value)s” is not a région's INSEE code.") % {"value": value})
        return value

    def parse_department(self, column: Column, value: str) -> str:
        if value.upper() not in geo.DEPARTMENT_REGION:
            raise ValidationError(
                _("“%(value)s” is not a département's INSEE code.") % {"value": value}
            )
        return value.upper()

    def parse_regions(self, column: Column, value: str) -> list[str]:
        return list(dict.fromkeys(self.parse_region(column, v) for v in _split(value)))

    def parse_departments(self, column: Column, value: str) -> list[str]:
        return list(dict.fromkeys(self.parse_department(column, v) for v in _split(value)))

    def _vocabulary(self, vocabulary: _Vocabulary, value: str) -> list[int]:
        ids, unknown = vocabulary.ids(_split(value))
        if unknown:
            raise ValidationError(
                _("Unknown: %(names)s (add them to the vocabulary first).")
                % {"names": ", ".join(unknown)}
            )
        return ids

    def parse_pathologies(self, column: Column, value: str) -> list[int]:
        return self._vocabulary(self.pathologies, value)

    def parse_themes(self, column: Column, value: str) -> list[int]:
        return self._vocabulary(self.themes, value)

    def parse_association(self, column: Column, value: str) -> int:
        pk = self.association_id(value)
        if pk is None:
            raise ValidationError(_("No association has the slug “%(value)s”.") % {"value": value})
        return pk

    def row_rules(self, values: dict[str, Any]) -> dict[str, str]:
        """Checks across a row's columns: errors by column."""
        errors = {}
        if self.kind == "initiatives" and values.get("department"):
            region = geo.DEPARTMENT_REGION[values["department"]]
            if values.get("region") and values["region"] != region:
                errors["department"] = _("This département is not in the région given.")
            values["region"] = values.get("region") or region
        if self.kind == "associations":
            # (An end date that failed its own check is not in ``values``: said once.)
            if values.get("approval") and values.get("approval_ends", date.min) is None:
                errors["approval_ends"] = _("An approval needs its end date.")
        return errors


def parse(text: str, *, kind: str | None = None) -> Parsed:
    """Every row of a CSV file validated: its model values, or every error found."""
    table = read_table(text)
    if not table:
        return Parsed(kind or "", errors=[RowError(1, "-", _("The file is empty."))])
    header = [name.strip() for name in table[0][1]]
    kind = kind or detect_kind(header)
    if kind not in SPECS:
        return Parsed(
            kind or "",
            errors=[RowError(1, "-", _("The header names neither associations nor initiatives."))],
        )
    reader = _Reader(kind)
    parsed = Parsed(kind)
    known = {c.name for c in reader.columns}
    for name in header:
        if name not in known:
            parsed.errors.append(RowError(1, name, _("Unknown column.")))
    for column in reader.columns:
        if column.required and column.name not in header:
            parsed.errors.append(RowError(1, column.name, _("This column is missing.")))
    if parsed.errors:
        return parsed
    positions = {name: index for index, name in enumerate(header)}
    label = "name" if kind == "associations" else "title"
    slugs_in_file: dict[str, int] = {}
    for line, cells in table[1:]:
        if len(cells) > len(header):
            parsed.errors.append(RowError(line, "-", _("More cells than columns.")))
            continue
        values: dict[str, Any] = {}
        for column in reader.columns:
            position = positions.get(column.name)
            raw = cells[position] if position is not None and position < len(cells) else ""
            try:
                values[column.name] = reader.cell(column, raw)
            except ValidationError as error:
                parsed.errors.append(RowError(line, column.name, " ".join(error.messages)))
        for name, message in reader.row_rules(values).items():
            parsed.errors.append(RowError(line, name, message))
        slug = values.get("slug") or ""
        if slug:
            if slug in reader.taken_slugs:
                parsed.errors.append(RowError(line, "slug", _("This slug is already taken.")))
            elif slug in slugs_in_file:
                parsed.errors.append(
                    RowError(
                        line,
                        "slug",
                        _("Same slug as line %(line)s.") % {"line": slugs_in_file[slug]},
                    )
                )
            slugs_in_file[slug] = line
        parsed.rows.append(values)
    if parsed.errors:
        parsed.rows = []
        return parsed
    taken = reader.taken_slugs | set(slugs_in_file)
    for values in parsed.rows:  # the slugs not given are made from the names
        if not values["slug"]:
            values["slug"] = unique_slug(values[label], taken)
    return parsed


def unique_slug(text: str, taken: set[str]) -> str:
    """A slug from the text not yet in ``taken`` (which it joins)."""
    base = slugify(text)[: SLUG_LENGTH - 6].strip("-") or "fiche"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


_M2M = {
    "associations": ("pathologies",),
    "initiatives": ("pathologies", "themes"),
    "association": ("pathologies",),
    "initiative": ("pathologies", "themes"),
    "event": ("pathologies",),
    "resource": ("themes",),
}


def import_rows(parsed: Parsed, *, progress: Callable[[str], None] = lambda _m: None) -> list[int]:
    """Create the parsed rows, published, in one transaction; returns the new ids. The
    caller reindexes them (search.reindex) once committed."""
    model, _columns = SPECS[parsed.kind]
    relations = _M2M[parsed.kind]
    now = timezone.now()
    objects = []
    links: list[dict[str, list[int]]] = []
    for values in parsed.rows:
        fields = {k: v for k, v in values.items() if k not in relations}
        if "association" in fields:
            fields["association_id"] = fields.pop("association")
        objects.append(model(**fields, review=Review.PUBLISHED, published_at=now))
        links.append({name: values.get(name, []) for name in relations})
    with transaction.atomic():
        created = model._default_manager.bulk_create(objects, batch_size=500)
        progress(_("%(count)s rows written") % {"count": len(created)})
        for name in relations:
            through = getattr(model, name).through
            target = "pathology_id" if name == "pathologies" else "theme_id"
            own = f"{model._meta.model_name}_id"
            through.objects.bulk_create(
                [
                    through(**{own: obj.pk, target: pk})
                    for obj, link in zip(created, links, strict=True)
                    for pk in link[name]
                ],
                batch_size=1000,
            )
            progress(_("%(name)s linked") % {"name": name})
    return [obj.pk for obj in created]


# --- Export -------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A cell as text, prefixed with an apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _export_value(column: Column, obj: Model, names: dict[str, dict[int, str]]) -> str:
    value = getattr(obj, column.name if column.kind != "association" else "association_id")
    if column.kind in ("pathologies", "themes"):
        return LIST_SEPARATOR.join(
            names[column.kind][pk] for pk in getattr(obj, f"{column.kind}_ids", [])
        )
    if column.kind == "association":
        return names["association"].get(value, "") if value else ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


class _Echo:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def export_rows(kind: str, queryset: QuerySet, *, chunk: int = 500) -> Iterator[str]:
    """The header, then one CSV line per row of the queryset (a kind of selectors.KINDS), in
    its order, read by chunks of ids with their pathologies and themes, every cell protected
    against formulas."""
    model, columns = EXPORTS[kind]
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.name for c in columns])
    names: dict[str, dict[int, str]] = {
        "pathologies": dict(Pathology.objects.values_list("pk", "name")),
        "themes": dict(Theme.objects.values_list("pk", "name")),
        "association": {},
    }
    relations = _M2M[kind]
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        batch_ids = ids[start : start + chunk]
        batch = {obj.pk: obj for obj in model._default_manager.filter(pk__in=batch_ids)}
        for name in relations:
            through = getattr(model, name).through
            target = "pathology_id" if name == "pathologies" else "theme_id"
            own = f"{model._meta.model_name}_id"
            for obj in batch.values():
                setattr(obj, f"{name}_ids", [])
            for own_id, target_id in (
                through.objects.filter(**{f"{own}__in": batch_ids})
                .values_list(own, target)
                .order_by("id")
            ):
                getattr(batch[own_id], f"{name}_ids").append(target_id)
        if kind == "initiative":
            wanted = {obj.association_id for obj in batch.values() if obj.association_id}
            missing = wanted - set(names["association"])
            if missing:
                names["association"].update(
                    Association.objects.filter(pk__in=missing).values_list("pk", "slug")
                )
        for pk in batch_ids:
            obj = batch.get(pk)
            if obj is not None:
                yield writer.writerow([safe_cell(_export_value(c, obj, names)) for c in columns])


def export(request: HttpRequest) -> StreamingHttpResponse:
    """The CSV of a list of the directory, with the pages' filters and search
    (``?kind=association&region=53&q=…``; one kind), streamed: the same rows as the page,
    in its order, published only."""
    filters = filters_from(request.GET)
    if len(filters.kinds) != 1:
        raise Http404
    kind = filters.kinds[0]
    rows = selectors.listings(kind, filters.replace(kinds=()))
    response = StreamingHttpResponse(
        export_rows(kind, rows), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="annuaire-{kind}-{day}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
