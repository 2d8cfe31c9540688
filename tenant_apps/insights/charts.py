"""A release's figures as server-drawn SVG bar charts (``templates/insights/_chart.html``):
data only here, no HTML. Every chart is drawn from the release's frozen figures, the same
numbers its table shows; a hidden value gets no bar (never a zero): the chart names the
hidden ones under it.

Each bar has its label on the line above it, so long French labels never squeeze the bars
on a phone; widths are percentages of the chart's width (the SVG scales with its column).
"""

from collections.abc import Iterable
from dataclasses import dataclass

LABEL_HEIGHT = 24
BAR_HEIGHT = 20
GAP = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
# The longest bar leaves room after it for its number.
LONGEST = 82.0


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int | None  # None: hidden (under the threshold, or hidden so as not to reveal one)
    width: str  # of the chart's width, in percent ("42.50"), never localized
    label_y: int
    bar_y: int
    value_y: int

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    bars: list[Bar]  # the published values only
    height: int
    hidden: list[str]  # the labels of the hidden values, said under the chart


def bar_chart(slug: str, title: str, rows: Iterable[tuple[str, str, int | None]]) -> Chart:
    """A chart from (key, label, value) rows in their order; ``None`` is a hidden value,
    drawn as no bar and named under the chart (never drawn as a zero)."""
    rows = [(str(key), str(label), value) for key, label, value in rows]
    hidden = [label for _k, label, value in rows if value is None]
    rows = [row for row in rows if row[2] is not None]
    highest = max((value for _k, _l, value in rows if value), default=0)
    bars = []
    for index, (key, label, value) in enumerate(rows):
        top = index * ROW_HEIGHT
        width = LONGEST * value / highest if value and highest else 0.0
        bars.append(
            Bar(
                key=key,
                label=label,
                value=value,
                width=f"{width:.2f}",
                label_y=top + LABEL_HEIGHT - 6,
                bar_y=top + LABEL_HEIGHT,
                value_y=top + LABEL_HEIGHT + BAR_HEIGHT - 5,
            )
        )
    return Chart(
        slug=slug,
        title=str(title),
        bars=bars,
        height=max(len(bars) * ROW_HEIGHT - GAP, 0),
        hidden=hidden,
    )
