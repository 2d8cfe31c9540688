"""A schema editor that writes every check constraint with a name.

Citus refuses ``ALTER TABLE … ADD COLUMN`` with an unnamed ``CHECK``, ``UNIQUE``, ``PRIMARY
KEY`` or ``REFERENCES`` on a distributed table ("all constraints in Citus must have explicit
names"), and Django writes a ``PositiveIntegerField``'s check and a unique field's ``UNIQUE``
inline and unnamed. Here a new column is added first, then its named constraints; in
``CREATE TABLE`` the check is named inline. The names are the ones PostgreSQL chose for the
unnamed forms (``<table>_<column>_check``, ``<table>_<column>_key``), so a database migrated
with this editor has the same schema as one migrated before it. Foreign keys are already
named by Django. docs/scaling.md says why.
"""

from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor

# PostgreSQL's identifiers hold 63 bytes (NAMEDATALEN - 1).
_MAX_IDENTIFIER = 63


def postgres_object_name(table: str, column: str, label: str) -> str:
    """The name PostgreSQL gives an unnamed constraint (``makeObjectName`` in indexcmds.c).

    When the whole is too long, the longer of the table's and the column's names is cut first.
    """
    available = _MAX_IDENTIFIER - len(label) - 2
    table_chars, column_chars = len(table.encode()), len(column.encode())
    while table_chars + column_chars > available:
        if table_chars > column_chars:
            table_chars -= 1
        else:
            column_chars -= 1
    return f"{_clip(table, table_chars)}_{_clip(column, column_chars)}_{label}"


def _clip(name: str, size: int) -> str:
    # Cut at a byte count without splitting a character, as pg_mbcliplen does.
    return name.encode()[:size].decode(errors="ignore")


class DatabaseSchemaEditor(PostgresSchemaEditor):
    sql_add_named_check = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s CHECK (%(check)s)"
    sql_add_named_unique = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s UNIQUE (%(column)s)"

    _adding_column = False

    def table_sql(self, model):
        sql, params = super().table_sql(model)
        for field in model._meta.local_fields:
            check = field.db_parameters(connection=self.connection)["check"]
            if not check:
                continue
            inline = " " + self.sql_check_constraint % {"check": check}
            if sql.count(inline) != 1:
                raise RuntimeError(
                    f"the check of {model._meta.label}.{field.name} is not once in its table's SQL"
                )
            name = postgres_object_name(model._meta.db_table, field.column, "check")
            sql = sql.replace(inline, f" CONSTRAINT {self.quote_name(name)}{inline}")
        return sql, params

    def add_field(self, model, field):
        if field.many_to_many:
            return super().add_field(model, field)
        check = field.db_parameters(connection=self.connection)["check"]
        unique = field.unique and not field.primary_key
        # The base editor appends ``sql_check_constraint % params`` to the column and
        # ``_iter_column_sql`` yields UNIQUE: both are left out here and added after, named.
        self.sql_check_constraint = ""
        self._adding_column = True
        try:
            super().add_field(model, field)
        finally:
            del self.sql_check_constraint
            self._adding_column = False
        table = model._meta.db_table
        if check:
            self.execute(
                self.sql_add_named_check
                % {
                    "table": self.quote_name(table),
                    "name": self.quote_name(postgres_object_name(table, field.column, "check")),
                    "check": check,
                }
            )
        if unique:
            self.execute(
                self.sql_add_named_unique
                % {
                    "table": self.quote_name(table),
                    "name": self.quote_name(postgres_object_name(table, field.column, "key")),
                    "column": self.quote_name(field.column),
                }
            )

    def _iter_column_sql(self, column_db_type, params, model, field, field_db_params, *args):
        for part in super()._iter_column_sql(
            column_db_type, params, model, field, field_db_params, *args
        ):
            if self._adding_column and part == "UNIQUE":
                continue
            yield part
