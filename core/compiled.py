"""Querysets compiled to SQL once per process and shape, then run with each request's values.

The ORM builds and compiles a queryset again on every request; for the busiest pages'
queries (a topic and its messages, the search's sources) that costs more than the
database's work. ``Compiled`` builds such a queryset once with placeholder values, keeps its
SQL and what the ORM needs to turn rows into model instances (the compiler's columns and
related objects), and on each request binds the request's values in the placeholders'
places and builds the instances as ``QuerySet.__iter__`` does, select_related objects and
annotations included (``fetch``), or hands the SQL on to be composed into a larger query
(``sql``).

What the SQL's text depends on besides those values is the *shape*, part of the cache key
the caller gives (e.g. whether the reader is a moderator, when the visibility rule differs
for them); the access module that writes a rule also says what its shape is. Only integer
ids and texts named when the ``Compiled`` is made are bound: any other value stays what it
was when compiled, so it belongs in the shape.

Nothing here writes SQL: the text is the ORM's own.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Placeholder ids: negative and far out of any id's range, so no constant of a query can be
# taken for one (checked when compiling). Placeholder texts: private-use characters, which
# no query of this code base holds as a constant.
_PLACEHOLDER_BASE = -(2**62)


def _text_placeholder(name: str) -> str:
    return f"\ue000compiled:{name}\ue000"


@dataclass(frozen=True)
class _Plan:
    sql: str
    # Each parameter: ("bind", name) to bind, or ("value", constant).
    params: tuple[tuple[str, Any], ...]
    compiler: Any
    init_list: tuple[str, ...]
    model_start: int
    model_end: int
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


# The ORM knew without compiling that the query finds nothing (e.g. ``none()``).
_EMPTY = object()


class Compiled:
    """A queryset built by ``build(shape, **values)``, compiled once per ``shape`` (on the
    default database), then run with each call's values: integer ``ids`` and ``texts``.

    ``build`` must give SQL whose text depends only on ``shape``: every value it receives
    reaches the query as a parameter or not at all (a moderator's id, where the rule ignores
    it). It is compiled twice with different placeholders, and a value that changes the
    SQL's text (a slice bound, a value written into the SQL) is refused with ValueError. A
    Python decision on a value cannot be seen that way: decisions come from ``shape``.
    """

    def __init__(
        self, build: Callable[..., QuerySet], *ids: str, texts: tuple[str, ...] = ()
    ) -> None:
        self._build = build
        self._ids, self._texts = ids, texts
        self._plans: dict[Hashable, Any] = {}

    def _placeholders(self, turn: int) -> dict[str, Any]:
        return {
            **{name: _PLACEHOLDER_BASE - 1000 * turn - i for i, name in enumerate(self._ids)},
            **{name: _text_placeholder(f"{name}:{turn}") for name in self._texts},
        }

    def _compile(self, shape: Hashable, alias: str) -> Any:
        # Compiled twice with different placeholders: the SQL's text must not change, and
        # each placeholder must land in the same parameter each time (a value the query does
        # not use at all, such as a moderator's id where the rule ignores it, is fine).
        compiled = []
        for turn in (0, 1):
            placeholders = self._placeholders(turn)
            queryset = self._build(shape, **placeholders)
            if queryset._prefetch_related_lookups or queryset._known_related_objects:
                raise ValueError("A compiled query runs alone: no prefetch_related.")
            compiler = queryset.query.get_compiler(using=alias)
            try:
                sql, raw_params = compiler.as_sql()
            except EmptyResultSet:
                return _EMPTY
            names = {(type(value), value): name for name, value in placeholders.items()}
            params = []
            for value in raw_params:
                name = names.get((type(value), value)) if isinstance(value, int | str) else None
                if name is None and isinstance(value, date | time | timedelta):
                    # Kept as compiled, it would stay the time of the first request forever.
                    raise ValueError("A compiled query holds no time: it would never move on.")
                params.append(("bind", name) if name else ("value", value))
            compiled.append((sql, params, compiler))
        (sql, params, compiler), (other_sql, other_params, _) = compiled
        if sql != other_sql or params != other_params:
            raise ValueError(
                f"{[*self._ids, *self._texts]} must reach the query as parameters only: "
                "its SQL changes with them."
            )
        select, klass_info = compiler.select, compiler.klass_info
        start = end = 0
        init_list: tuple[str, ...] = ()
        populators: tuple[Any, ...] = ()
        if klass_info:  # a query of model instances (not values())
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            init_list = tuple(f[0].target.attname for f in select[start:end])
            populators = tuple(get_related_populators(klass_info, select, alias))
        return _Plan(
            sql=sql,
            params=tuple(params),
            compiler=compiler,
            init_list=init_list,
            model_start=start,
            model_end=end,
            populators=populators,
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    def _plan(self, shape: Hashable, alias: str) -> Any:
        key = (shape, alias)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(shape, alias)
        return plan

    def sql(self, shape: Hashable, /, **values: Any) -> tuple[str, list]:
        """The SQL and parameters of the query for ``shape`` with these values, to compose
        into a larger query; raises EmptyResultSet where the ORM would."""
        plan = self._plan(shape, DEFAULT_DB_ALIAS)
        if plan is _EMPTY:
            raise EmptyResultSet
        return plan.sql, [values[item] if kind == "bind" else item for kind, item in plan.params]

    def fetch(self, shape: Hashable, /, **values: Any) -> list[Any]:
        """The model instances of the query for ``shape`` with these values, with the
        queryset's annotations as attributes (hence ``Any``: the model does not declare
        them)."""
        try:
            sql, params = self.sql(shape, **values)
        except EmptyResultSet:
            return []
        alias = DEFAULT_DB_ALIAS
        plan = self._plans[(shape, alias)]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        compiler = plan.compiler
        if compiler.has_extra_select:  # columns selected only to order by
            rows = [row[: compiler.col_count] for row in rows]
        model = compiler.klass_info["model"]
        found = []
        for row in compiler.results_iter([rows]):
            obj = model.from_db(alias, plan.init_list, row[plan.model_start : plan.model_end])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found
