"""A release's frozen result (``Release.result``, engine.Built.as_json) as what its pages,
its CSV and its charts show: a table with its totals, hidden values marked, and bar charts of
the totals by each dimension. Nothing here counts: it only lays out the frozen numbers."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tenant_apps.insights import charts as bars
from tenant_apps.insights.models import Dimension, Measure


@dataclass(frozen=True)
class Cell:
    value: int | None
    # A preview has no figures yet, and does not say which will be hidden (decided from the
    # counts at publication): every value of its table is pending alike.
    pending: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None and not self.pending


@dataclass(frozen=True)
class Heading:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Table:
    caption: str
    row_heading: str
    value_heading: str
    columns: list[Heading]
    rows: list[Row]
    column_totals: list[Cell]
    total: Cell
    show_totals: bool = True


@dataclass(frozen=True)
class ReleaseView:
    title: str
    measure_label: str
    dimensions_label: str
    period_start: datetime.date
    period_end: datetime.date
    threshold: int
    table: Table
    charts: list[bars.Chart] = field(default_factory=list)
    hidden_count: int = 0


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _cell(value: Any, pending: bool) -> Cell:
    return Cell(value=value if isinstance(value, int) else None, pending=pending)


def _transposed(result: dict[str, Any]) -> dict[str, Any]:
    """The same figures with rows and columns swapped."""
    cells = result.get("cells", [])
    columns = result.get("columns", [])
    return {
        **result,
        "rows": columns,
        "columns": result.get("rows", []),
        "cells": [[row[c] for row in cells] for c in range(len(columns))] if cells else [],
        "row_totals": result.get("column_totals", []),
        "column_totals": result.get("row_totals", []),
    }


def _table(
    result: dict[str, Any],
    headings: tuple[str, str],
    value_heading: str,
    caption: str,
    pending: bool,
) -> Table:
    def cell(value: Any, position: tuple[int, int]) -> Cell:
        return _cell(value, pending)

    columns = [Heading(str(h["key"]), str(h["label"])) for h in result.get("columns", [])]
    row_totals = result.get("row_totals", [])
    cells = result.get("cells", [])
    rows = []
    for r, heading in enumerate(result.get("rows", [])):
        total = cell(row_totals[r] if r < len(row_totals) else None, (r, -1))
        if columns:
            values = cells[r] if r < len(cells) else []
            row_cells = [
                cell(values[c] if c < len(values) else None, (r, c)) for c in range(len(columns))
            ]
        else:
            row_cells = [total]
        rows.append(Row(str(heading["key"]), str(heading["label"]), row_cells, total))
    return Table(
        caption=caption,
        row_heading=headings[0],
        value_heading=value_heading,
        columns=columns,
        rows=rows,
        column_totals=[cell(v, (-1, c)) for c, v in enumerate(result.get("column_totals", []))],
        total=cell(result.get("total"), (-1, -1)),
    )


def release_view(
    *,
    title: str,
    measure: str,
    dimensions: list[str],
    period_start: datetime.date,
    period_end: datetime.date,
    threshold: int,
    result: dict[str, Any],
    pending: bool = False,
) -> ReleaseView:
    """Lay out a result. ``pending`` (a preview): no value is known yet, and none is marked
    hidden or published, since that is decided from the counts at publication.

    With two dimensions, the one with more values runs down the table (eighteen régions
    make a long table that fits a phone, not a wide one)."""
    measure_label = _label(Measure, measure)
    labels = [_label(Dimension, d) for d in dimensions] or [""]
    caption = _("%(measure)s by %(dimensions)s") % {
        "measure": measure_label,
        "dimensions": _(" and ").join(label.lower() for label in labels),
    }
    two = bool(result.get("columns"))
    shown, headings = result, (labels[0], labels[-1])
    if two and len(result["columns"]) > len(result.get("rows", [])):
        shown, headings = _transposed(result), (labels[1], labels[0])
    table = _table(shown, headings, measure_label, caption, pending)
    drawn = []
    if not pending:
        for slug, axis, totals, label in (
            ("rows", result.get("rows", []), result.get("row_totals", []), labels[0]),
            ("columns", result.get("columns", []), result.get("column_totals", []), labels[-1]),
        ):
            if not axis:
                continue
            drawn.append(
                bars.bar_chart(
                    slug,
                    _("By %(dimension)s") % {"dimension": label.lower()},
                    [
                        (h["key"], h["label"], v if isinstance(v, int) else None)
                        for h, v in zip(axis, totals, strict=False)
                    ],
                )
            )
    return ReleaseView(
        title=title,
        measure_label=measure_label,
        dimensions_label=_(" and ").join(labels),
        period_start=period_start,
        period_end=period_end,
        threshold=threshold,
        table=table,
        charts=drawn,
        hidden_count=int(result.get("hidden", 0) or 0),
    )


def view_of_release(release) -> ReleaseView:
    """A published release, as its pages show it."""
    return release_view(
        title=release.title,
        measure=release.measure,
        dimensions=list(release.dimensions),
        period_start=release.period_start,
        period_end=release.period_end,
        threshold=release.threshold,
        result=release.result,
    )
