"""Hand-written SELECTs for the hottest reads, returning the instances the ORM would build.

Compiling a queryset that joins three or four models costs about 1.5 ms of Python on every
request, more than PostgreSQL takes to run it (tests/bench/forums.py). The topic page, the
busiest page, writes its few queries in SQL instead; ``Columns`` lists a model's columns
for such a query and turns each row back into instances with ``Model.from_db``, as
``select_related(...).only(...)`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model


@dataclass(frozen=True)
class Columns:
    model: type[Model]
    names: tuple[str, ...]
    sql: str

    @classmethod
    def of(
        cls,
        model: type[Model],
        alias: str,
        *,
        only: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> Columns:
        """The model's concrete columns, ``only`` some or all but ``exclude`` (attnames, the
        primary key always included), read from the table aliased ``alias``."""
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.primary_key or (f.attname in only if only else f.attname not in exclude)
        ]
        return cls(
            model=model,
            names=tuple(f.attname for f in fields),
            sql=", ".join(f'{alias}."{f.column}"' for f in fields),
        )

    def instance(self, row: Sequence[object], start: int) -> Model | None:
        """The instance whose columns start at ``row[start]``; None when its primary key is
        NULL (a LEFT JOIN that found nothing)."""
        values = row[start : start + len(self.names)]
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(DEFAULT_DB_ALIAS, self.names, values)

    @cached_property
    def pk_index(self) -> int:
        return self.names.index(self.model._meta.pk.attname)

    def __len__(self) -> int:
        return len(self.names)


def instances(parts: Sequence[Columns], row: Sequence[object]) -> tuple[list, Sequence[object]]:
    """The instances of a row whose columns are ``parts`` in order, and the columns after
    them."""
    found, start = [], 0
    for part in parts:
        found.append(part.instance(row, start))
        start += len(part)
    return found, row[start:]
