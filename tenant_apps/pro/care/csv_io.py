"""The care offer's CSV import: every row is checked before anything is written, and one
bad row imports nothing (the platform directory's approach, shared_apps/directory/csv_io.py).

Columns (header names; order free; comma or semicolon separated, UTF-8 with or without a
byte-order mark): ``name``, ``kind``, ``city``, ``department`` are required; ``establishment``
(for a service: the name of an establishment in the offer or in the same file),
``specialties`` (comma-separated keywords), ``address``, ``postcode``, ``phone``, ``email``,
``website``, ``description`` are optional. ``kind`` is a code of ``CareProvider.Kind``
(``establishment``, ``service``…) or its French or English label.

Errors name the file's line (the header is line 1) and the column.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from core import geo
from core import search as french
from tenant_apps.pro.models import CareProvider

COLUMNS = (
    "name", "kind", "establishment", "specialties", "address", "postcode", "city",
    "department", "phone", "email", "website", "description",
)  # fmt: skip
REQUIRED = ("name", "kind", "city", "department")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: the file's line (the header is line 1) and the column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Parsed:
    """The rows to write, or the errors found; ``rows`` is empty when there is any error."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(text: str) -> list[tuple[int, list[str]]]:
    """The file's non-blank rows with the line each starts on (a quoted cell may span
    lines)."""
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


def _kinds() -> dict[str, str]:
    """Each kind by its code and its labels in French and English, folded."""
    kinds: dict[str, str] = {}
    for code, label in CareProvider.Kind.choices:
        kinds[code] = code
        for language in ("fr", "en"):
            with translation.override(language):
                kinds[french.fold(str(label)).strip()] = code
    return kinds


def _lengths() -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in CareProvider._meta.get_fields()
        if getattr(f, "max_length", None) and f.name in COLUMNS
    }


def parse(data: bytes) -> Parsed:
    """Read and check a file's bytes; every error of every row, or the rows to write."""
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.errors.append(RowError(1, "", _("The file is larger than 2 MB.")))
        return parsed
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        parsed.errors.append(RowError(1, "", _("Save the file as UTF-8 text (CSV UTF-8).")))
        return parsed
    try:
        table = read_table(text)
    except csv.Error as error:
        parsed.errors.append(RowError(1, "", _("Unreadable CSV: %s") % error))
        return parsed
    if not table:
        parsed.errors.append(RowError(1, "", _("The file is empty.")))
        return parsed
    header_line, header = table[0]
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    unknown = [name for name in names if name and name not in COLUMNS]
    if missing:
        parsed.errors.append(
            RowError(header_line, "", _("Missing columns: %s.") % ", ".join(missing))
        )
    if unknown:
        parsed.errors.append(
            RowError(header_line, "", _("Unknown columns: %s.") % ", ".join(unknown))
        )
    if parsed.errors:
        return parsed
    if len(table) - 1 > MAX_ROWS:
        parsed.errors.append(
            RowError(header_line, "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})
        )
        return parsed
    kinds, lengths = _kinds(), _lengths()
    establishments = {
        name.casefold()
        for name in CareProvider.objects.filter(kind=CareProvider.Kind.ESTABLISHMENT).values_list(
            "name", flat=True
        )
    }
    seen = {
        (name.casefold(), city.casefold())
        for name, city in CareProvider.objects.values_list("name", "city")
    }
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, cells in table[1:]:
        if len(cells) > len(names):
            parsed.errors.append(RowError(line, "", _("More cells than columns.")))
            continue
        raw = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
        row: dict[str, Any] = {}
        for name in COLUMNS:
            value = raw.get(name, "")
            try:
                row[name] = _cell(name, value, kinds, lengths)
            except ValidationError as error:
                parsed.errors.append(RowError(line, name, " ".join(error.messages)))
        key = (str(row.get("name", "")).casefold(), str(row.get("city", "")).casefold())
        if row.get("name") and row.get("city"):
            if key in seen:
                message = _(
                    "Already in the care offer or earlier in the file (same name and city)."
                )
                parsed.errors.append(RowError(line, "name", message))
            seen.add(key)
        if row.get("kind") == CareProvider.Kind.ESTABLISHMENT and row.get("name"):
            establishments.add(row["name"].casefold())
        rows.append((line, row))
    for line, row in rows:
        # A service's establishment may come later in the file: checked once all are read.
        name = row.get("establishment") or ""
        if not name:
            continue
        if row.get("kind") != CareProvider.Kind.SERVICE:
            message = _("Only a hospital service belongs to an establishment.")
            parsed.errors.append(RowError(line, "establishment", message))
        elif name.casefold() not in establishments:
            message = _("No establishment of this name in the offer or in the file.")
            parsed.errors.append(RowError(line, "establishment", message))
    if not parsed.errors:
        parsed.rows = [row for _line, row in rows]
    parsed.errors.sort(key=lambda error: error.line)
    return parsed


def _cell(name: str, value: str, kinds: dict[str, str], lengths: dict[str, int]) -> Any:
    if not value:
        if name in REQUIRED:
            raise ValidationError(_("This field is required."))
        return ""
    limit = lengths.get(name)
    if limit and len(value) > limit:
        raise ValidationError(
            _("At most %(limit)s characters (this one has %(length)s).")
            % {"limit": limit, "length": len(value)}
        )
    if name == "kind":
        code = kinds.get(french.fold(value).strip())
        if code is None:
            raise ValidationError(_("Unknown kind: %s.") % value[:40])
        return code
    if name == "department":
        code = value.upper().zfill(2) if value.isdigit() else value.upper()
        if code not in geo.DEPARTMENT_REGION:
            raise ValidationError(_("Unknown département: %s.") % value[:10])
        return code
    if name == "postcode" and not (value.isdigit() and len(value) == 5):
        raise ValidationError(_("A postcode has five digits."))
    if name == "email":
        validate_email(value)
    if name == "website":
        _URL(value)
    return value
