"""Querysets compiled to SQL once per process and shape, then run with each request's ids.

The ORM builds and compiles a queryset again on every request; for the busiest pages'
queries (a topic and its messages) that costs more than the database's work. ``Compiled``
builds such a queryset once with placeholder ids, keeps its SQL and what the ORM needs to
turn rows into model instances (the compiler's columns and related objects), and on each
request binds the request's ids in the placeholders' places and builds the instances as
``QuerySet.__iter__`` does, select_related objects and annotations included.

What the SQL's text depends on besides those ids is the *shape*, part of the cache key the
caller gives (e.g. whether the reader is a moderator, when the visibility rule differs for
them); the access module that writes a rule also says what its shape is. Only integer ids
are bound: any other value stays what it was when compiled, so it belongs in the shape.

Nothing here writes SQL: the text is the ORM's own.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# Placeholder ids: negative and far out of any id's range, so no constant of a query can be
# taken for one (checked when compiling).
_PLACEHOLDER_BASE = -(2**62)


@dataclass(frozen=True)
class _Plan:
    sql: str
    # Each parameter: ("id", name) to bind, or ("value", constant).
    params: tuple[tuple[str, Any], ...]
    compiler: Any
    init_list: tuple[str, ...]
    model_start: int
    model_end: int
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class Compiled:
    """A queryset built by ``build(**ids)`` (keyword arguments: integer ids), compiled once
    per ``shape`` and database alias, then run with each call's ids.

    ``build`` must give SQL whose text depends only on ``shape``: every id it receives must
    reach the query as a parameter (not a slice bound, not a Python decision).
    """

    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        self._build = build
        self._names = names
        self._plans: dict[Hashable, _Plan] = {}

    def _compile(self, shape: Hashable, alias: str) -> _Plan:
        placeholders = {name: _PLACEHOLDER_BASE - i for i, name in enumerate(self._names)}
        queryset = self._build(shape, **placeholders)
        compiler = queryset.query.get_compiler(using=alias)
        sql, raw_params = compiler.as_sql()
        by_value = {value: name for name, value in placeholders.items()}
        params: list[tuple[str, Any]] = []
        for value in raw_params:
            if type(value) is int and value in by_value:
                params.append(("id", by_value[value]))
            else:
                params.append(("value", value))
        bound = {name for kind, name in params if kind == "id"}
        missing = set(self._names) - bound
        if missing or any(str(value) in sql for value in placeholders.values()):
            raise ValueError(
                f"Ids {sorted(missing or self._names)} do not reach the query as parameters."
            )
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Plan(
            sql=sql,
            params=tuple(params),
            compiler=compiler,
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            model_start=start,
            model_end=end,
            populators=tuple(get_related_populators(klass_info, select, alias)),
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    def plan(self, shape: Hashable, alias: str = "default") -> _Plan:
        key = (shape, alias)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(shape, alias)
        return plan

    def fetch(self, shape: Hashable, alias: str = "default", **ids: int) -> list[Any]:
        """The model instances of the query for ``shape`` with these ids, with the
        queryset's annotations as attributes (hence ``Any``: the model does not declare
        them)."""
        plan = self.plan(shape, alias)
        params = [ids[item] if kind == "id" else item for kind, item in plan.params]
        with connections[alias].cursor() as cursor:
            cursor.execute(plan.sql, params)
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
