"""A release's figures as CSV: the same frozen table its page shows, one line per row of the
first dimension, a column per value of the second (or one column of counts), then the
totals. A hidden figure is an empty field, never a zero; a comment line says why."""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenant_apps.insights.display import ReleaseView

# Cells that a spreadsheet would run as a formula start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def release_csv(view: ReleaseView) -> str:
    table = view.table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(view.title)])
    writer.writerow(
        [
            _("What is counted"),
            _safe(view.measure_label),
            _("Period"),
            f"{view.period_start:%Y-%m}",
            f"{view.period_end:%Y-%m}",
            _("Smallest count published"),
            view.threshold,
        ]
    )
    writer.writerow([_("Empty: hidden (under the threshold, or it would reveal such a figure).")])
    if table.columns:
        writer.writerow(
            [_safe(table.row_heading), *(_safe(c.label) for c in table.columns), _("Total")]
        )
    else:
        writer.writerow([_safe(table.row_heading), _safe(table.value_heading)])
    for row in table.rows:
        values = [cell.value for cell in row.cells]
        if table.columns:
            values.append(row.total.value)
        writer.writerow([_safe(row.label), *("" if v is None else v for v in values)])
    if table.show_totals:
        totals = [cell.value for cell in table.column_totals] + [table.total.value]
        writer.writerow([_("Total"), *("" if v is None else v for v in totals)])
    return out.getvalue()


def csv_response(view: ReleaseView) -> HttpResponse:
    # A BOM, so that spreadsheets open the accents right.
    response = HttpResponse("\ufeff" + release_csv(view), content_type="text/csv; charset=utf-8")
    name = slugify(view.title)[:60] or "statistiques"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
