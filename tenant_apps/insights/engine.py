"""How a release's numbers are made: one aggregate, suppression, noise (docs/insights.md).

1. **One aggregate.** For the measure, a queryset gives one row per (consenting member,
   first dimension's value, second dimension's value), distinct. Each member keeps at most
   ``contribution_bound`` of their rows (chosen by a hash, not by the data), then one SQL
   query counts ``DISTINCT member`` per cell, per row, per column and overall
   (``GROUPING SETS``). The number of queries does not depend on the number of members.
2. **Primary suppression.** Every value (cell or total) under the threshold is hidden,
   zeros included, so that a hidden value says only "fewer than the threshold".
3. **Noise.** Every value gets discrete Laplace noise from opendp, with the scale that makes
   the whole table ε-differentially private for adding or removing one member: a member
   changes at most ``bound`` cells, ``min(bound, rows)`` row totals, ``min(bound, columns)``
   column totals and the grand total by one, so the L1 sensitivity is their sum. Negative
   results become 0. A value whose noisy count falls under the threshold is hidden too.
4. **Complementary suppression.** The table with its totals is a set of lines (each row
   with its total, each column with its total, the row totals with the grand total, the
   column totals with the grand total). In a line with exactly one hidden value, the
   smallest published value of that line (by its true count, then its place) is hidden as
   well; repeated until no line has exactly one. Then an exact audit: a hidden value that
   some combination of lines would still give alone is a bridge of the graph whose
   vertices are the lines and whose edges are the hidden values (``recomputable``); the
   smallest published value joining the bridge's two sides is hidden, and the audit runs
   again until there is no bridge.

Totals are distinct members (a member with two pathologies counts once in their région's
total), made from the same aggregate and noised like the cells, so the table's numbers all
come from the one frozen draw. Nothing here writes: services.py stores what it returns.
"""

import dataclasses
import math
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib.metadata import version
from typing import Any
from zoneinfo import ZoneInfo

import opendp.prelude as dp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, CharField, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from psycopg import sql

from core import geo
from tenant_apps.events.models import Event, Registration
from tenant_apps.forums.models import Category as ForumCategory
from tenant_apps.forums.models import ContentWarning, Post, Topic
from tenant_apps.insights.models import (
    EPSILON_MAX,
    EPSILON_MIN,
    THRESHOLD_MIN,
    Dimension,
    Measure,
)
from tenant_apps.knowledge.models import Category as KnowledgeCategory
from tenant_apps.knowledge.models import Question
from tenant_apps.members.models import Consent, Member, Pathology, ProfileType

RESULT_FORMAT = 1
# A member may fall in several cells (two pathologies, several months or themes): the
# most cells one member may count in, unless the admin chooses (1 to BOUND_MAX).
BOUND_DEFAULTS = {
    Dimension.PATHOLOGY: 2,
    Dimension.REGION: 1,
    Dimension.PROFILE_TYPE: 1,
    Dimension.MONTH: 3,
    Dimension.THEME: 3,
}
BOUND_MAX = 12
# A threshold above this would hide everything (and not fit its column).
THRESHOLD_MAX = 1000
# Longest period of a release, in months.
PERIOD_MAX_MONTHS = 36
TOTAL = -1  # the index of a total in a table's positions


# --- Parameters --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Params:
    """What an admin chose for a release, cleaned (``params_clean``)."""

    measure: str
    dimensions: tuple[str, ...]
    period_start: date  # the first day of a month
    period_end: date  # the first day of the period's last month
    threshold: int
    epsilon: Decimal
    contribution_bound: int

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "dimensions": list(self.dimensions),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "threshold": self.threshold,
            "epsilon": str(self.epsilon),
            "contribution_bound": self.contribution_bound,
        }


def dimensions_allowed(measure: str) -> list[str]:
    """The dimensions a measure can be broken down by (members have no month or theme)."""
    if measure == Measure.MEMBERS:
        return [Dimension.PATHOLOGY, Dimension.REGION, Dimension.PROFILE_TYPE]
    return list(Dimension.values)


def bound_default(dimensions: Sequence[str]) -> int:
    return min(math.prod(BOUND_DEFAULTS[Dimension(d)] for d in dimensions), BOUND_MAX)


def _month_start(value: date) -> date:
    return value.replace(day=1)


def params_clean(
    *,
    measure: str,
    dimensions: Sequence[str],
    period_start: date,
    period_end: date,
    threshold: int | None = None,
    epsilon: Decimal | float | str | None = None,
    contribution_bound: int | None = None,
) -> Params:
    """Check an admin's choices; ValidationError with an error per field otherwise.

    Dates are brought to their month's first day; threshold and ε default to the settings.
    """
    errors: dict[str, list[str]] = {}
    if measure not in Measure.values:
        errors["measure"] = [_("Choose what to count.")]
    dims = tuple(dimensions)
    allowed = dimensions_allowed(measure) if measure in Measure.values else []
    if not 1 <= len(dims) <= 2 or len(set(dims)) != len(dims):
        errors["dimensions"] = [_("Choose one or two different breakdowns.")]
    elif any(d not in allowed for d in dims):
        errors["dimensions"] = [_("This breakdown is not available for what is counted.")]
    start, end = _month_start(period_start), _month_start(period_end)
    if start > end:
        errors["period_end"] = [_("The period must end after it starts.")]
    elif (end.year - start.year) * 12 + end.month - start.month >= PERIOD_MAX_MONTHS:
        errors["period_end"] = [
            _("A period covers at most %(months)s months.") % {"months": PERIOD_MAX_MONTHS}
        ]
    elif start > timezone.localdate():
        errors["period_start"] = [_("The period cannot start in the future.")]
    if threshold is None:
        threshold = max(settings.INSIGHTS_THRESHOLD, THRESHOLD_MIN)
    if threshold < THRESHOLD_MIN:
        errors["threshold"] = [
            _("The threshold cannot be under %(min)s members.") % {"min": THRESHOLD_MIN}
        ]
    elif threshold > THRESHOLD_MAX:
        errors["threshold"] = [
            _("The threshold cannot be over %(max)s members.") % {"max": THRESHOLD_MAX}
        ]
    try:
        eps = Decimal(str(settings.INSIGHTS_EPSILON if epsilon is None else epsilon))
        eps = eps.quantize(Decimal("0.01"))
    except ArithmeticError:
        eps = Decimal("-1")
    if not (eps.is_finite() and EPSILON_MIN <= eps <= EPSILON_MAX):
        errors["epsilon"] = [
            _("ε must be between %(min)s and %(max)s.") % {"min": EPSILON_MIN, "max": EPSILON_MAX}
        ]
    if contribution_bound is None:
        contribution_bound = bound_default(dims) if "dimensions" not in errors else 1
    if not 1 <= contribution_bound <= BOUND_MAX:
        errors["contribution_bound"] = [
            _("A member counts in 1 to %(max)s cells.") % {"max": BOUND_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    return Params(
        measure=measure,
        dimensions=dims,
        period_start=start,
        period_end=end,
        threshold=threshold,
        epsilon=eps,
        contribution_bound=contribution_bound,
    )


def params_from_json(data: dict[str, Any]) -> Params:
    """A release's stored parameters (``Params.as_json``) back, cleaned again."""
    return params_clean(
        measure=data["measure"],
        dimensions=data["dimensions"],
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        threshold=data["threshold"],
        epsilon=data["epsilon"],
        contribution_bound=data["contribution_bound"],
    )


# --- Axes: the values of a dimension, fixed before the data is read ----------------------------


@dataclasses.dataclass(frozen=True)
class Axis:
    dimension: str
    keys: list[str]
    labels: list[str]

    def index(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.keys)}


NOT_STATED = "-"


def _months(params: Params) -> list[date]:
    months, month = [], params.period_start
    while month <= params.period_end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _axis(dimension: str, params: Params) -> Axis:
    """Every value a dimension may take, from the network's lists, whatever the data: the
    table's shape never tells what was counted."""
    pairs: list[tuple[str, str]]
    if dimension == Dimension.PATHOLOGY:
        pairs = [(str(pk), name) for pk, name in Pathology.objects.values_list("pk", "name")]
        pairs.append((NOT_STATED, _("Not stated")))
    elif dimension == Dimension.REGION:
        pairs = sorted(((code, name) for code, (name, _d) in geo.REGIONS.items()), key=_by_label)
        pairs.append((NOT_STATED, _("Not stated")))
    elif dimension == Dimension.PROFILE_TYPE:
        pairs = [(value, str(label)) for value, label in ProfileType.choices]
    elif dimension == Dimension.MONTH:
        pairs = [
            (m.strftime("%Y-%m"), date_format(m, "YEAR_MONTH_FORMAT")) for m in _months(params)
        ]
    else:
        pairs = _theme_pairs(params.measure)
    return Axis(dimension, [k for k, _l in pairs], [label for _k, label in pairs])


def _by_label(pair: tuple[str, str]) -> str:
    """Alphabetical as a French reader expects: Île-de-France among the I."""
    return unicodedata.normalize("NFKD", pair[1]).encode("ascii", "ignore").decode().lower()


def _theme_pairs(measure: str) -> list[tuple[str, str]]:
    if measure == Measure.TOPICS:
        forums = ForumCategory.objects.filter(group__isnull=True).values_list("pk", "name")
        return [(str(pk), name) for pk, name in forums]
    if measure == Measure.WARNINGS:
        return [(str(pk), name) for pk, name in ContentWarning.objects.values_list("pk", "name")]
    if measure == Measure.QUESTIONS:
        themes = KnowledgeCategory.objects.values_list("pk", "name")
        return [(str(pk), name) for pk, name in themes] + [(NOT_STATED, _("No theme"))]
    return [(value, str(label)) for value, label in Event.Format.choices]


# --- The aggregate -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Spec:
    """Where a measure's rows come from: the model, the path to the member, to the date of
    the activity and to its theme."""

    model: type[models.Model]
    member: str  # path to the member's id
    when: str | None  # path to the date the period and months apply to
    theme: str | None  # path to the theme's key


SPECS = {
    Measure.MEMBERS: _Spec(Member, "pk", None, None),
    Measure.TOPICS: _Spec(Topic, "author_id", "created", "category_id"),
    Measure.WARNINGS: _Spec(Post, "author_id", "created", "warnings"),
    Measure.QUESTIONS: _Spec(Question, "asker_id", "created", "category_id"),
    Measure.EVENTS: _Spec(Registration, "member_id", "event__starts_at", "event__format"),
}


def _member_path(spec: _Spec, field: str) -> str:
    """The path from the measure's model to a field of its member."""
    if spec.model is Member:
        return field
    return f"{spec.member.removesuffix('_id')}__{field}"


def _bounds(params: Params) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(params.period_start, time.min, tzinfo=zone)
    after = (params.period_end + timedelta(days=32)).replace(day=1)
    return start, datetime.combine(after, time.min, tzinfo=zone)


def _expression(dimension: str, spec: _Spec, measure: str) -> Any:
    if dimension == Dimension.PATHOLOGY:
        return F(_member_path(spec, "pathologies"))
    if dimension == Dimension.REGION:
        department = _member_path(spec, "department")
        return Case(
            *(
                When(**{f"{department}__in": [code for code, _n in deps]}, then=Value(region))
                for region, (_name, deps) in geo.REGIONS.items()
            ),
            default=Value(None),
            output_field=CharField(),
        )
    if dimension == Dimension.PROFILE_TYPE:
        return F(_member_path(spec, "profile_type"))
    if dimension == Dimension.MONTH:
        return TruncMonth(_path(spec.when, measure), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return F(_path(spec.theme, measure))


def _path(path: str | None, measure: str) -> str:
    if path is None:  # params_clean offers members no month and no theme
        raise ValueError(f"{measure} has no such dimension")
    return path


def consenting_members() -> QuerySet[Member]:
    """Members whose statistics consent is in force now (not withdrawn, not erased)."""
    return Member.objects.filter(
        user__isnull=False,
        erased__isnull=True,
        consents__kind=Consent.Kind.STATISTICS,
        consents__withdrawn__isnull=True,
    )


def rows_queryset(params: Params, *, now: datetime | None = None) -> QuerySet:
    """One row per distinct (member, d1, d2) of consenting members: the aggregate's input."""
    spec = SPECS[Measure(params.measure)]
    now = now or timezone.now()
    start, after = _bounds(params)
    consent = Consent.objects.filter(
        member=OuterRef(spec.member),
        kind=Consent.Kind.STATISTICS,
        withdrawn__isnull=True,
    )
    qs = spec.model._default_manager.filter(
        Exists(consent),
        **{
            f"{_member_path(spec, 'user')}__isnull": False,
            f"{_member_path(spec, 'erased')}__isnull": True,
        },
    )
    if params.measure == Measure.MEMBERS:
        qs = qs.filter(joined__lt=after)
    else:
        when = _path(spec.when, params.measure)
        qs = qs.filter(**{f"{when}__gte": start, f"{when}__lt": min(after, now)})
    if params.measure == Measure.TOPICS:
        qs = qs.filter(status=Topic.Status.VISIBLE, category__group__isnull=True)
    elif params.measure == Measure.WARNINGS:
        qs = qs.filter(status=Post.Status.PUBLISHED, warnings__isnull=False)
    elif params.measure == Measure.EVENTS:
        # Attended: registered (not waiting) to a published event that has ended.
        qs = qs.filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.PUBLISHED,
            event__ends_at__lte=now,
        )
    dims = {
        f"d{i}": _expression(dim, spec, params.measure)
        for i, dim in enumerate(params.dimensions, start=1)
    }
    return qs.values(m=F(spec.member), **dims).distinct().order_by()


# A cell's or total's key in the aggregate: the dimensions' keys, None for "all of them".
Key = tuple[str | None, ...]


def _key(dimension: str, value: Any) -> str:
    if value is None:
        return NOT_STATED
    if dimension == Dimension.MONTH:
        return value.strftime("%Y-%m")
    return str(value)


def aggregate(params: Params, *, now: datetime | None = None) -> dict[Key, int]:
    """Distinct consenting members per cell and total, keyed by the dimensions' keys with
    ``None`` for "every value" (``(k1, None)`` is row k1's total, ``(None, None)`` the grand
    total). One query."""
    inner, params_sql = rows_queryset(params, now=now).query.sql_with_params()
    dims = [sql.Identifier(f"d{i}") for i in range(1, len(params.dimensions) + 1)]
    sets: list[sql.Composable] = [sql.SQL("({})").format(sql.SQL(", ").join(dims))]
    if len(dims) == 2:
        sets += [sql.SQL("({})").format(d) for d in dims]
    sets.append(sql.SQL("()"))
    groupings = sql.SQL(", ").join(sql.SQL("GROUPING({})").format(d) for d in dims)
    # The order that picks a member's rows when they have more than the bound: a hash of
    # the member and the row, so no value is favoured and a rebuild picks the same ones.
    order = sql.SQL(" || ").join(
        [sql.SQL("t.m::text")] + [sql.SQL("coalesce(t.{}::text, '')").format(d) for d in dims]
    )
    query = sql.SQL(
        "SELECT {dims}, {groupings}, count(DISTINCT b.m) FROM ("
        " SELECT t.*, row_number() OVER (PARTITION BY t.m ORDER BY md5({order})) AS rank"
        " FROM ({inner}) AS t) AS b"
        " WHERE b.rank <= %s GROUP BY GROUPING SETS ({sets})"
    ).format(
        dims=sql.SQL(", ").join(sql.SQL("b.{}").format(d) for d in dims),
        groupings=groupings,
        order=order,
        inner=sql.SQL(inner),  # noqa: S608 - the ORM's own compiled SQL, its values bound
        sets=sql.SQL(", ").join(sets),
    )
    counts: dict[Key, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), [*params_sql, params.contribution_bound])
        for row in cursor.fetchall():
            n = len(dims)
            values, grouped, count = row[:n], row[n : 2 * n], row[2 * n]
            key = tuple(
                None if g else _key(params.dimensions[i], v)
                for i, (v, g) in enumerate(zip(values, grouped, strict=True))
            )
            counts[key] = count
    return counts


# --- Tables and suppression --------------------------------------------------------------------

Position = tuple[int, int]  # (row, column); TOTAL for a total; a 1-dimension table has no columns


@dataclasses.dataclass
class Table:
    """A table's values by position: cells (r, c), row totals (r, TOTAL), column totals
    (TOTAL, c) and the grand total (TOTAL, TOTAL). With one dimension the cells are the
    rows' values (r, TOTAL) and there are no columns."""

    rows: int
    columns: int
    values: dict[Position, int]

    def positions(self) -> list[Position]:
        rows = [*range(self.rows), TOTAL]
        columns = [*range(self.columns), TOTAL]
        return [(r, c) for r in rows for c in columns]

    def lines(self) -> list[tuple[list[Position], Position]]:
        """Each additive line: its parts and the total they make."""
        found: list[tuple[list[Position], Position]] = []
        if self.columns:
            for r in range(self.rows):
                found.append(([(r, c) for c in range(self.columns)], (r, TOTAL)))
            for c in range(self.columns):
                found.append(([(r, c) for r in range(self.rows)], (TOTAL, c)))
            found.append(([(TOTAL, c) for c in range(self.columns)], (TOTAL, TOTAL)))
        found.append(([(r, TOTAL) for r in range(self.rows)], (TOTAL, TOTAL)))
        return found


def table_of(counts: dict[Key, int], axes: Sequence[Axis]) -> Table:
    """The aggregate's counts on the axes' fixed positions (0 where nobody was counted)."""
    first = axes[0].index()
    second = axes[1].index() if len(axes) == 2 else {}
    values: dict[Position, int] = {}
    table = Table(len(axes[0].keys), len(axes[1].keys) if len(axes) == 2 else 0, values)
    for key, count in counts.items():
        r = TOTAL if key[0] is None else first.get(key[0])
        c = TOTAL if len(key) == 1 or key[1] is None else second.get(key[1])
        if r is None or c is None:
            continue  # a value the lists no longer hold (deleted meanwhile): not shown
        values[(r, c)] = count
    for position in table.positions():
        values.setdefault(position, 0)
    return table


GROUND = -1  # the other end of a value that only one line holds (a one-dimension table)


def _ends(table: Table) -> dict[Position, tuple[int, int]]:
    """Each value as an edge between the two lines that hold it (GROUND when only one does).

    Each line says sum(parts) - total = 0. Once known values are moved aside, the equations
    over the hidden values are, up to the sign of some lines, the incidence matrix of the
    graph whose vertices are the lines and whose edges are the hidden values: a hidden value
    is then exactly determined if and only if its edge is a bridge of that graph (the row
    space of an incidence matrix is its cut space). A line with one hidden value is the
    simplest bridge; two cycles of hidden values joined by one value are another.
    """
    held: dict[Position, list[int]] = {}
    for i, (parts, total) in enumerate(table.lines()):
        for position in (*parts, total):
            held.setdefault(position, []).append(i)
    return {p: (lines[0], lines[1] if len(lines) == 2 else GROUND) for p, lines in held.items()}


def recomputable(table: Table, hidden: set[Position]) -> set[Position]:
    """The hidden values that the published ones and the lines' sums give exactly: the
    bridges of the hidden values' graph (``_ends``)."""
    ends = _ends(table)
    adjacent: dict[int, list[tuple[int, Position]]] = {}
    for position in hidden:
        a, b = ends[position]
        adjacent.setdefault(a, []).append((b, position))
        adjacent.setdefault(b, []).append((a, position))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: set[Position] = set()
    for root in sorted(adjacent):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        # Depth-first, without recursion: (vertex, edge it was reached by, its next neighbours).
        stack: list[tuple[int, Position | None, Iterator[tuple[int, Position]]]] = [
            (root, None, iter(adjacent[root]))
        ]
        while stack:
            vertex, via, neighbours = stack[-1]
            step = next(neighbours, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[vertex])
                    if low[vertex] > order[parent] and via is not None:
                        bridges.add(via)
                continue
            other, edge = step
            if edge == via:
                continue
            if other in order:
                low[vertex] = min(low[vertex], order[other])
            else:
                order[other] = low[other] = len(order)
                stack.append((other, edge, iter(adjacent[other])))
    return bridges


def _component(start: int, edges: Iterable[tuple[int, int]]) -> set[int]:
    linked: dict[int, list[int]] = {}
    for a, b in edges:
        linked.setdefault(a, []).append(b)
        linked.setdefault(b, []).append(a)
    seen, todo = {start}, [start]
    while todo:
        for other in linked.get(todo.pop(), []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def complementary(table: Table, hidden: set[Position], order: dict[Position, int]) -> set[Position]:
    """Hide more values until none of the hidden ones can be recomputed from the published
    ones: the line rule to a fixed point, then, for each remaining bridge (``recomputable``),
    the smallest published value joining its two sides (or, failing one, leaving its side)."""
    hidden = set(hidden)
    lines = table.lines()
    ends = _ends(table)

    def smallest(candidates: Iterable[Position]) -> Position | None:
        shown = [p for p in candidates if p not in hidden]
        return min(shown, key=lambda p: (order[p], p)) if shown else None

    while True:
        changed = True
        while changed:
            changed = False
            for parts, total in lines:
                values = [*parts, total]
                if sum(p in hidden for p in values) == 1:
                    extra = smallest(values)
                    if extra is not None:
                        hidden.add(extra)
                        changed = True
        bridges = recomputable(table, hidden)
        if not bridges:
            return hidden
        bridge = min(bridges)
        a, b = ends[bridge]
        others = [ends[p] for p in hidden if p != bridge]
        side_a, side_b = _component(a, others), _component(b, others)
        joining = smallest(
            p
            for p, (x, y) in ends.items()
            if (x in side_a and y in side_b) or (x in side_b and y in side_a)
        )
        leaving = smallest(p for p, (x, y) in ends.items() if (x in side_a) != (y in side_a))
        extra = joining or leaving
        if extra is None:  # cannot happen: the whole table's graph has no bridge
            raise RuntimeError("no value left to hide")
        hidden.add(extra)


# --- Noise -------------------------------------------------------------------------------------


def sensitivity(params: Params, table: Table) -> int:
    """How many published values one member can change by one (L1), after the bound."""
    bound = params.contribution_bound
    if table.columns:
        return bound + min(bound, table.rows) + min(bound, table.columns) + 1
    return min(bound, table.rows) + 1


def noise_scale(params: Params, table: Table) -> float:
    return sensitivity(params, table) / float(params.epsilon)


def _measurement(scale: float) -> Any:
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return dp.m.make_laplace(*space, scale=scale)


def noised(values: list[int], *, scale: float, sensitivity: int, epsilon: float) -> list[int]:
    """The values with discrete Laplace noise (opendp), checked to cost at most ε, never < 0."""
    measurement = _measurement(scale)
    spent = measurement.map(sensitivity)
    if spent > epsilon * (1 + 1e-9):
        raise RuntimeError(f"the noise would cost ε={spent}, more than {epsilon}")
    return [max(0, int(v)) for v in measurement(values)]


def margin_95(scale: float) -> int:
    """Half the width of the interval that holds a value's noise 95 % of the time."""
    # Discrete Laplace with scale b: P(|X| > k) = 2 e^(-(k+1)/b) / (1 + e^(-1/b)).
    k = 0
    while 2 * math.exp(-(k + 1) / scale) / (1 + math.exp(-1 / scale)) > 0.05:
        k += 1
    return k


# --- Building ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Built:
    """A table ready to freeze (``values`` holds None where hidden)."""

    params: Params
    axes: list[Axis]
    table: Table
    hidden: set[Position]
    values: dict[Position, int | None]
    scale: float
    sensitivity: int

    def as_json(self) -> dict[str, Any]:
        """The frozen result: labels and published values only, never a hidden count."""
        rows = range(self.table.rows)
        columns = range(self.table.columns)
        value = self.values.get
        return {
            "format": RESULT_FORMAT,
            "rows": [{"key": k, "label": lbl} for k, lbl in _pairs(self.axes[0])],
            "columns": (
                [{"key": k, "label": lbl} for k, lbl in _pairs(self.axes[1])]
                if len(self.axes) == 2
                else []
            ),
            "cells": [[value((r, c)) for c in columns] for r in rows] if self.table.columns else [],
            "row_totals": [value((r, TOTAL)) for r in rows],
            "column_totals": [value((TOTAL, c)) for c in columns],
            "total": value((TOTAL, TOTAL)),
            "hidden": len(self.hidden),
            "published": len(self.table.positions()) - len(self.hidden),
        }

    def parameters(self) -> dict[str, Any]:
        return {
            **self.params.as_json(),
            "sensitivity": self.sensitivity,
            "noise": "discrete Laplace",
            "scale": round(self.scale, 4),
            "margin_95": margin_95(self.scale),
            "library": f"opendp {version('opendp')}",
        }


def _pairs(axis: Axis) -> list[tuple[str, str]]:
    return list(zip(axis.keys, axis.labels, strict=True))


@dataclasses.dataclass(frozen=True)
class Shape:
    """A release's layout and noise, known before anything is counted: the axes come from
    the network's lists and the noise from the layout and the choices, never from the data."""

    axes: list[Axis]
    rows: list[dict[str, str]]
    columns: list[dict[str, str]]
    figures: int  # values in the table, totals included
    sensitivity: int
    scale: float


def _axes(params: Params) -> list[Axis]:
    # A release is a frozen document: its labels are written in the network's language
    # (French), whoever builds it and in whatever language their pages are.
    with translation.override(settings.LANGUAGE_CODE):
        return [_axis(d, params) for d in params.dimensions]


def shape(params: Params) -> Shape:
    """The table's layout and noise scale for a preview. Runs no count: which values are
    hidden depends on the counts, so it is decided only at publication (``build``)."""
    axes = _axes(params)
    table = Table(len(axes[0].keys), len(axes[1].keys) if len(axes) == 2 else 0, {})
    return Shape(
        axes=axes,
        rows=[{"key": k, "label": lbl} for k, lbl in _pairs(axes[0])],
        columns=(
            [{"key": k, "label": lbl} for k, lbl in _pairs(axes[1])] if len(axes) == 2 else []
        ),
        figures=len(table.positions()),
        sensitivity=sensitivity(params, table),
        scale=noise_scale(params, table),
    )


def build(params: Params, *, now: datetime | None = None) -> Built:
    """Count, hide and noise a table, for publication only (a preview uses ``shape``)."""
    axes = _axes(params)
    table = table_of(aggregate(params, now=now), axes)
    positions = table.positions()
    true = table.values
    hidden = {p for p in positions if true[p] < params.threshold}
    scale = noise_scale(params, table)
    delta = sensitivity(params, table)
    drawn = noised(
        [true[p] for p in positions],
        scale=scale,
        sensitivity=delta,
        epsilon=float(params.epsilon),
    )
    noisy = dict(zip(positions, drawn, strict=True))
    hidden |= {p for p in positions if noisy[p] < params.threshold}
    hidden = complementary(table, hidden, true)
    values: dict[Position, int | None] = {p: (None if p in hidden else noisy[p]) for p in positions}
    return Built(params, axes, table, hidden, values, scale, delta)
