"""The engagement landscape: published initiatives by form, by who carries them, by région
and by theme, and the success factors they cite most, as data for the server-drawn bar
charts of ``templates/directory/landscape*.html`` (no HTML here).

Every figure counts the rows of ``selectors.listings("initiative", …)`` (with a pathology
or none), the same published rows the initiatives list shows; one grouped query per chart.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Func
from django.utils.translation import gettext as _

from core import geo
from shared_apps.directory import forms_filters, selectors
from shared_apps.directory.geography import fold
from shared_apps.directory.models import Initiative

# The drawing, in CSS pixels: each bar has its label on the line above it, so long French
# labels never squeeze the bars on a phone; widths are percentages of the chart's width.
LABEL_HEIGHT = 24
BAR_HEIGHT = 20
GAP = 16
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
# Filters field → its GET parameter.
PARAMETER = {name: parameter for parameter, name in forms_filters.PARAMETERS.items()}
# The longest bar leaves room after it for its number.
LONGEST = 85.0


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    share: str  # of the initiatives charted (all, or one pathology's), in percent ("12.5")
    width: str  # of the chart's width, in percent ("42.50"), never localized
    label_y: int
    bar_y: int
    value_y: int
    # The initiatives list's GET parameters that list this bar's rows ("" when no filter
    # does: success factors, national ones).
    query: str = ""


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    heading: str  # of the table's first column
    bars: list[Bar]
    total: int  # published initiatives
    height: int


def bar_chart(
    slug: str,
    title: str,
    description: str,
    heading: str,
    rows: Iterable[tuple[str, str, int]],
    total: int,
    filter_name: str = "",
    within: selectors.Filters | None = None,
) -> Chart:
    """A chart from (key, label, value) rows, in their order; rows worth 0 are left out.
    With ``filter_name`` (a field of ``selectors.Filters``), each bar says how the
    initiatives list shows its rows."""
    kept = [(key, str(label), value) for key, label, value in rows if value > 0]
    highest = max((value for _key, _label, value in kept), default=0)
    bars = []
    for index, (key, label, value) in enumerate(kept):
        top = index * ROW_HEIGHT
        bars.append(
            Bar(
                key=key,
                label=label,
                value=value,
                share=f"{100 * value / total:.1f}" if total else "0.0",
                width=f"{LONGEST * value / highest:.2f}",
                label_y=top + LABEL_HEIGHT - 6,
                bar_y=top + LABEL_HEIGHT,
                value_y=top + LABEL_HEIGHT + BAR_HEIGHT - 5,
                query=_query(filter_name, key, within or selectors.Filters()),
            )
        )
    return Chart(
        slug=slug,
        title=str(title),
        description=str(description),
        heading=str(heading),
        bars=bars,
        total=total,
        height=max(len(bars) * ROW_HEIGHT - GAP, 0),
    )


def _query(filter_name: str, key: str, within: selectors.Filters) -> str:
    if not filter_name:
        return ""
    # Parsed as the list parses it: a value it would drop (no région) gets no link.
    chosen = forms_filters.filters_from({PARAMETER[filter_name]: key})
    if not chosen.active():
        return ""
    return forms_filters.query_string(within.replace(**{filter_name: (key,)}))


def _by_value(rows: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Most first, then by name."""
    return sorted(rows, key=lambda row: (-row[2], fold(row[1]), row[0]))


def landscape(pathologies: tuple[str, ...] = ()) -> list[Chart]:
    """The landscape's five charts, of every published initiative or of those about these
    pathologies (six queries, whatever the number of initiatives)."""
    within = selectors.Filters(pathologies=pathologies)
    published = selectors.listings("initiative", within).order_by()
    total = published.count()

    def grouped(field: str) -> dict[str, int]:
        rows = published.values(field).annotate(n=Count("pk")).order_by()
        return {row[field]: row["n"] for row in rows}

    forms = grouped("form")
    carriers = grouped("carrier")
    regions = grouped("region")
    themes = (
        Initiative.themes.through.objects.filter(initiative__in=published.values("pk"))
        .values("theme__slug", "theme__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # One row per (initiative, factor): unnest the array, then group.
    factors = (
        published.annotate(factor=Func(F("success_factors"), function="unnest"))
        .values("factor")
        .annotate(n=Count("pk"))
        .order_by()
    )
    factor_counts = {row["factor"]: row["n"] for row in factors}
    region_rows = [
        (code, name, regions.get(code, 0)) for code, (name, _deps) in geo.REGIONS.items()
    ]
    region_rows = _by_value(region_rows)
    if regions.get(""):
        region_rows.append(("national", _("National or online"), regions[""]))
    return [
        bar_chart(
            "forms",
            _("Initiatives by form"),
            _("How the initiatives are run: associative, entrepreneurial, salaried or volunteer."),
            _("Form"),
            [(value, str(label), forms.get(value, 0)) for value, label in Initiative.Form.choices],
            total,
            "forms",
            within,
        ),
        bar_chart(
            "carriers",
            _("Who carries them"),
            _("Patients, former patients, caregivers and professionals with patients."),
            _("Carried by"),
            [
                (value, str(label), carriers.get(value, 0))
                for value, label in Initiative.Carrier.choices
            ],
            total,
            "carriers",
            within,
        ),
        bar_chart(
            "regions",
            _("Initiatives by région"),
            _("Where they take place; national or online ones come last."),
            _("Région"),
            region_rows,
            total,
            "regions",
            within,
        ),
        bar_chart(
            "themes",
            _("Initiatives by theme"),
            _("An initiative may have several themes."),
            _("Theme"),
            _by_value([(row["theme__slug"], row["theme__name"], row["n"]) for row in themes]),
            total,
            "themes",
            within,
        ),
        bar_chart(
            "success",
            _("The most cited success factors"),
            _("What made them succeed, as those who carry them say (several per initiative)."),
            _("Success factor"),
            _by_value(
                [
                    (value, str(label), factor_counts.get(value, 0))
                    for value, label in Initiative.SuccessFactor.choices
                ]
            ),
            total,
        ),
    ]
