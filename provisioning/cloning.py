"""Clone the template schema into a new tenant schema, inside the caller's transaction.

django-tenants' ``clone_schema`` rebuilds each object from the catalog with one query per
object kind and table, and those queries scan every schema's catalog rows: the cost grows
with the number of tenants. Here the template's DDL is taken once per process with
``pg_dump --schema-only`` and replayed under the new name, then the template's rows
(migrations, content types, permissions) are copied: a constant cost.
"""

import subprocess
import threading

from django.db import connection

from provisioning.pgtools import pg_connection_args, pg_tool

_lock = threading.Lock()
_snapshots: dict[str, "Snapshot"] = {}


class Snapshot:
    def __init__(self, template: str, ddl: str, tables_with_rows: list[tuple[str, bool]]):
        self.template = template
        self.ddl = ddl
        # (table, whether its id is an identity column whose sequence must follow the rows)
        self.tables_with_rows = tables_with_rows


def forget_snapshots() -> None:
    """The template changed (migrated): take its DDL again on the next clone."""
    with _lock:
        _snapshots.clear()


def _take_snapshot(template: str) -> Snapshot:
    args, env = pg_connection_args()
    dump = subprocess.run(  # noqa: S603 - fixed binary, arguments built here
        [pg_tool("pg_dump"), *args, "--schema-only", "--no-owner", "--no-privileges",
         f"--schema={template}", connection.settings_dict["NAME"]],
        env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    statements = []
    for statement in "\n".join(
        line for line in dump.splitlines() if line and not line.startswith(("--", "\\"))
    ).split(";\n"):
        statement = statement.strip().rstrip(";")
        if (
            statement
            and statement.split()[0] in ("CREATE", "ALTER")
            and not statement.startswith("CREATE SCHEMA")
        ):
            statements.append(statement)
    ddl = ";\n".join(statements) + ";"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
            [template],
        )
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = %s AND column_name = 'id' AND is_identity = 'YES'",
            [template],
        )
        with_identity = {row[0] for row in cursor.fetchall()}
        with_rows = []
        for table in tables:
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{template}"."{table}")')  # noqa: S608
            if cursor.fetchone()[0]:
                with_rows.append((table, table in with_identity))
    return Snapshot(template, ddl, with_rows)


def schema_clone(template: str, new: str) -> None:
    """Create schema ``new`` as a copy of ``template`` (structure and rows)."""
    with _lock:
        snapshot = _snapshots.get(template)
        if snapshot is None:
            snapshot = _snapshots[template] = _take_snapshot(template)
    ddl = snapshot.ddl.replace(f"{template}.", f'"{new}".')
    if f"{template}." in ddl:
        raise RuntimeError("the template's name survived in the cloned DDL")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{new}"')
        cursor.execute(ddl)
        for table, has_identity in snapshot.tables_with_rows:
            cursor.execute(
                f'INSERT INTO "{new}"."{table}" SELECT * FROM "{template}"."{table}"'  # noqa: S608
            )
            if has_identity:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                    f'(SELECT max(id) FROM "{new}"."{table}"))',
                    [f'"{new}"."{table}"'],
                )
