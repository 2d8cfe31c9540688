"""Clone the template schema into a new tenant schema, inside the caller's transaction.

django-tenants' ``clone_schema`` rebuilds each object from the catalog with one query per
object kind and table, and those queries scan every schema's catalog rows: the cost grows
with the number of tenants. Here the template's DDL, taken with ``pg_dump --schema-only``, is
replayed under the new name, then the template's rows (migrations, content types, permissions)
are copied: a constant cost.

A ``pg_dump`` itself costs time that follows the whole catalog's size (3.8 s at 1,000 networks),
so it is taken once per migration state of the template, not once per process: the DDL is kept
in the public table ``provisioning.TemplateSnapshot`` under a digest of the template's
``django_migrations`` (``template_state``), written when the template is migrated
(``services.template_ensure``) or by the first creation after that, and read by every process.
Each creation reads the digest (one small query) and uses the snapshot of that state only.
"""

import secrets
import subprocess
import threading

from django.db import DatabaseError, connection, transaction
from psycopg import sql

from provisioning import citus
from provisioning.models import TemplateSnapshot
from provisioning.pgtools import pg_connection_args, pg_tool

_lock = threading.Lock()
# (template, state) → its snapshot, in this process.
_snapshots: dict[tuple[str, str], "Snapshot"] = {}


class Snapshot:
    def __init__(self, template: str, ddl: str, tables_with_rows: list[tuple[str, bool]]):
        self.template = template
        self.ddl = ddl
        # (table, whether its id is an identity column whose sequence must follow the rows)
        self.tables_with_rows = tables_with_rows


def forget_snapshots() -> None:
    """Forget this process's copies (the stored snapshots stay, each for its state)."""
    with _lock:
        _snapshots.clear()


def template_state(template: str) -> str:
    """A digest of the migrations the template has recorded: it changes when it migrates."""
    table = sql.Identifier(template, "django_migrations").as_string(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encode(sha256(convert_to(coalesce(string_agg(app || '.' || name, ',' "  # noqa: S608
            f"ORDER BY app, name), ''), 'UTF8')), 'hex') FROM {table}"
        )
        return cursor.fetchone()[0]


def snapshot_for(template: str) -> Snapshot:
    """The template's snapshot at its current state: from this process's memory, else the
    public table, else a new ``pg_dump`` (stored for every other process)."""
    state = template_state(template)
    with _lock:
        snapshot = _snapshots.get((template, state))
        if snapshot is not None:
            return snapshot
        stored = TemplateSnapshot.objects.filter(template=template, state=state).first()
        if stored is not None:
            snapshot = Snapshot(
                template,
                stored.ddl,
                [(table, identity) for table, identity in stored.tables_with_rows],
            )
        else:
            snapshot = _take_snapshot(template)
            _store(template, state, snapshot)
        _snapshots.clear()  # older states of the template are of no use any more
        _snapshots[(template, state)] = snapshot
        return snapshot


def snapshot_ensure(template: str) -> None:
    """After the template is migrated: store its snapshot now, so that no creation waits for
    a ``pg_dump``, and drop the snapshots of its older states."""
    snapshot = snapshot_for(template)
    state = template_state(template)
    # Taken from this process's memory, its row may be missing (the table emptied since).
    _store(template, state, snapshot)
    TemplateSnapshot.objects.filter(template=template).exclude(state=state).delete()


def _store(template: str, state: str, snapshot: Snapshot) -> None:
    # Another process may store the same state at the same time: the first row wins, and
    # both are the same dump.
    TemplateSnapshot.objects.bulk_create(
        [TemplateSnapshot(template=template, state=state, ddl=snapshot.ddl,
                          tables_with_rows=snapshot.tables_with_rows)],
        ignore_conflicts=True,
    )  # fmt: skip


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
    """Create schema ``new`` as a copy of ``template`` (structure and rows): a spare clone
    of the template's current state renamed, if one waits, else a clone made now."""
    if spare_take(template, new):
        return
    _clone(template, new)


def _clone(template: str, new: str) -> None:
    snapshot = snapshot_for(template)
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


# --- Spare clones -------------------------------------------------------------------------------
#
# Replaying the DDL costs seconds (each of the template's ~400 indexes is built and synced to
# disk), most of a sign-up's wait. ``spares_fill`` clones the template ahead of time into
# spare schemas, in the background (a job after each sign-up); a creation then renames one
# (``ALTER SCHEMA … RENAME``: one catalog row). A spare's name carries the template's state
# (``template_state``): after a migration, the old spares are never taken, and the next fill
# drops them. Their prefix holds "__", which no network's schema has (slugs never have
# "--"), and django-tenants never migrates them (they are no tenant's schema).

SPARE_PREFIX = "spare__"


def _spare_prefix(template: str) -> str:
    return f"{SPARE_PREFIX}{template_state(template)[:16]}__"


def _spares(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname",
            [prefix],
        )
        return [row[0] for row in cursor.fetchall()]


def spare_take(template: str, new: str) -> bool:
    """Rename a spare clone of the template's current state to ``new``, inside the caller's
    transaction; whether there was one."""
    for spare in _spares(_spare_prefix(template))[:5]:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    sql.SQL("ALTER SCHEMA {} RENAME TO {}")
                    .format(sql.Identifier(spare), sql.Identifier(new))
                    .as_string(connection.connection)
                )
        except DatabaseError:
            continue  # another creation took it meanwhile
        return True
    return False


def spares_fill(template: str, count: int) -> int:
    """Clone the template until ``count`` spares of its current state wait, each in a
    transaction of its own, and drop the spares of its older states; how many were made."""
    prefix = _spare_prefix(template)
    ready = 0
    for spare in _spares(SPARE_PREFIX):
        if spare.startswith(prefix):
            ready += 1
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
                .format(sql.Identifier(spare))
                .as_string(connection.connection)
            )
    made = 0
    while ready + made < count:
        spare = f"{prefix}{secrets.token_hex(4)}"
        # On Citus the spare is distributed now, off the sign-up's path (the longer part of
        # a creation there); renaming it later is propagated to its worker.
        with transaction.atomic(), citus.distributed_schema(spare):
            _clone(template, spare)
        made += 1
    return made
