"""Column charts of weekly figures, as data for the server-drawn SVG of
``templates/console/_chart.html`` (no HTML here, no script on the page).

Horizontal positions are percentages of the chart's width, so one drawing fits a phone and a
wide screen; heights are CSS pixels. Every figure is also in the table under the chart.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats

PLOT_HEIGHT = 160
TOP = 22  # room for the tallest column's figure
BOTTOM = 26  # room for the weeks' labels
HEIGHT = TOP + PLOT_HEIGHT + BOTTOM
# Each column takes this share of its slot; the rest is the gap between columns.
FILL = 0.7


@dataclass(frozen=True)
class Column:
    start: datetime.date
    label: str  # short: "2 déc."
    value: int | None  # None: nothing was counted that week
    x: str  # percent of the width, never localized ("12.50")
    width: str
    middle: str
    y: int
    height: int
    value_y: int
    label_y: int


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    heading: str  # of the figures' column in the table
    columns: list[Column]
    height: int = HEIGHT

    @property
    def has_figures(self) -> bool:
        return any(column.value for column in self.columns)


def _percent(value: float) -> str:
    return f"{value:.2f}"


def column_chart(
    slug: str,
    title: str,
    description: str,
    heading: str,
    points: Sequence[tuple[datetime.date, int | None]],
) -> Chart:
    """One column per (week's first day, figure), in their order."""
    highest = max((value or 0 for _start, value in points), default=0)
    slot = 100 / len(points) if points else 100
    columns = []
    for index, (start, value) in enumerate(points):
        height = round(PLOT_HEIGHT * (value or 0) / highest) if highest else 0
        if value and height < 2:
            height = 2  # a figure above zero stays visible
        left = index * slot + slot * (1 - FILL) / 2
        columns.append(
            Column(
                start=start,
                label=formats.date_format(start, "j M"),
                value=value,
                x=_percent(left),
                width=_percent(slot * FILL),
                middle=_percent(index * slot + slot / 2),
                y=TOP + PLOT_HEIGHT - height,
                height=height,
                value_y=TOP + PLOT_HEIGHT - height - 6,
                label_y=HEIGHT - 8,
            )
        )
    return Chart(slug=slug, title=title, description=description, heading=heading,
                 columns=columns)  # fmt: skip
