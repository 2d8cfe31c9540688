"""The rules that keep Entraide ready for Citus schema-based sharding, on plain PostgreSQL.

Citus is not installed where the tests run (docs/scaling.md says what was run on a real
cluster, and how these tests ran against it). What it refuses is checked on the SQL itself,
parsed by PostgreSQL's own parser (pglast), and on the source:

- every migration's SQL, as ``sqlmigrate`` renders it with the project's schema editor,
  holds none of the ALTER TABLE forms Citus refuses on a distributed table and no
  unnamed constraint;
- no foreign key leaves the public schema for a network's, none leaves a network for the
  public schema, every integer primary key is 64-bit;
- no queryset update computes a date from a column (a STABLE function of a column);
- the Citus statements of provisioning come in the right order, in the same transaction,
  spare clones included.
"""

import ast
import io
import json
import re
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, migrations, models, transaction
from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.utils import OperationalError
from django_tenants.utils import schema_context
from pglast import parse_sql
from pglast.enums import AlterTableType, ConstrType

from core.db.backends.entraide.schema import DatabaseSchemaEditor, postgres_object_name
from provisioning import citus, cloning, services
from provisioning.cloning import schema_clone, snapshot_for
from tenants.models import Tenant

# ALTER TABLE subcommands Citus runs on a distributed table (ErrorIfUnsupportedAlterTableStmt
# in src/backend/distributed/commands/table.c, Citus 13): anything else is refused with
# "alter table command is currently unsupported" (SET STORAGE, ADD GENERATED … AS IDENTITY,
# SET STATISTICS, DROP IDENTITY, CLUSTER ON, INHERIT…).
CITUS_ALTER_TABLE = {
    AlterTableType.AT_AddColumn,
    AlterTableType.AT_ColumnDefault,
    AlterTableType.AT_AlterColumnType,
    AlterTableType.AT_DropColumn,
    AlterTableType.AT_DropNotNull,
    AlterTableType.AT_SetNotNull,
    AlterTableType.AT_AddConstraint,
    AlterTableType.AT_DropConstraint,
    AlterTableType.AT_ValidateConstraint,
    AlterTableType.AT_AttachPartition,
    AlterTableType.AT_DetachPartition,
    AlterTableType.AT_EnableTrig,
    AlterTableType.AT_DisableTrig,
    AlterTableType.AT_ReplicaIdentity,
    AlterTableType.AT_ChangeOwner,
    AlterTableType.AT_EnableRowSecurity,
    AlterTableType.AT_DisableRowSecurity,
    AlterTableType.AT_ForceRowSecurity,
    AlterTableType.AT_NoForceRowSecurity,
    AlterTableType.AT_SetCompression,
    AlterTableType.AT_SetRelOptions,
    AlterTableType.AT_ResetRelOptions,
    AlterTableType.AT_ReplaceRelOptions,
    AlterTableType.AT_SetLogged,
    AlterTableType.AT_SetUnLogged,
}
# Inline constraints of ADD COLUMN that Citus refuses unnamed ("all constraints in Citus
# must have explicit names"); an identity column it refuses in ADD COLUMN whatever its name.
NAMED_IN_ADD_COLUMN = {
    ConstrType.CONSTR_PRIMARY,
    ConstrType.CONSTR_UNIQUE,
    ConstrType.CONSTR_FOREIGN,
    ConstrType.CONSTR_CHECK,
}
SERIAL_TYPES = {"smallserial", "serial2", "serial", "serial4", "bigserial", "serial8"}

# Statements that stay although Citus refuses them, each with its reason. Only these exact
# (app, migration, statement) triples: a new migration gets no exemption.
ALLOWED = {
    (app, name, f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN"): (
        "applied to the template before any network exists (there is no production database "
        "older than it); on Citus the template is a local schema on the coordinator, where "
        "SET STORAGE works, and a network cloned from it keeps MAIN: pg_dump writes the "
        "storage into the DDL and citus_schema_distribute copies it to the shard"
    )
    for app, name, table in (
        ("forums", "0003_topic_search_document", "forums_topic"),
        ("events", "0006_event_search_document", "events_event"),
        ("knowledge", "0002_article_search_vector_storage", "knowledge_article"),
    )
}


# Apps whose tables live only in the public schema and stay local tables on the coordinator:
# Citus leaves them alone, so their migrations may use any form.
LOCAL_ON_COORDINATOR = {
    "procrastinate": "the job queue: written constantly, it must never become a reference "
    "table (every write would go to every node); it stays on the coordinator",
}


def citus_refusals(sql: str) -> list[str]:
    """Why Citus would refuse ``sql`` on a distributed table (empty: it would not)."""
    reasons = []
    for raw in parse_sql(sql):
        statement = raw.stmt
        kind = type(statement).__name__
        if kind == "AlterTableStmt":
            for command in statement.cmds or ():
                reasons += _alter_table_refusals(command)
        elif kind == "CreateStmt":
            for element in statement.tableElts or ():
                if type(element).__name__ == "ColumnDef":
                    constraints = element.constraints or ()
                else:
                    constraints = (element,)
                for constraint in constraints:
                    if (
                        type(constraint).__name__ == "Constraint"
                        and constraint.contype == ConstrType.CONSTR_CHECK
                        and not constraint.conname
                    ):
                        reasons.append("an unnamed CHECK in CREATE TABLE")
    return reasons


def _alter_table_refusals(command) -> list[str]:
    subtype = command.subtype
    if subtype not in CITUS_ALTER_TABLE:
        return [f"ALTER TABLE {subtype.name.removeprefix('AT_')}, which Citus refuses"]
    if subtype == AlterTableType.AT_AddColumn:
        column = command.def_
        reasons = []
        type_name = column.typeName.names[-1].sval if column.typeName else ""
        if type_name in SERIAL_TYPES:
            reasons.append("ADD COLUMN of a serial type")
        for constraint in column.constraints or ():
            if constraint.contype == ConstrType.CONSTR_IDENTITY:
                reasons.append("ADD COLUMN … GENERATED AS IDENTITY")
            elif constraint.contype in NAMED_IN_ADD_COLUMN and not constraint.conname:
                reasons.append(f"ADD COLUMN with an unnamed {constraint.contype.name[7:]}")
        return reasons
    if subtype == AlterTableType.AT_AddConstraint and not command.def_.conname:
        return ["ADD CONSTRAINT without a name"]
    return []


# --- Rendering every migration ----------------------------------------------------------------


class _CollectingEditor(DatabaseSchemaEditor):
    """The project's editor, collecting SQL without asking the database what exists.

    A few operations (removing a unique_together, altering a field) look up a constraint's
    name in the database; against the test database's head schema an earlier migration's
    constraint may be missing, so the lookup answers a placeholder, as a DROP needs one name.
    """

    def _constraint_names(self, model, *args, **kwargs):
        return [f"{model._meta.db_table}_introspected"]


@dataclass
class Rendered:
    app: str
    name: str
    statements: list[str]


def render_migrations(editor_class=_CollectingEditor, plan=None) -> list[Rendered]:
    """Every migration's SQL in dependency order, each in the schema its app migrates in.

    What ``sqlmigrate`` and ``migrate`` do for each operation (``Migration.apply``: the
    states before and after it, its ``database_forwards`` with a collecting editor), except
    that each operation's models are rendered alone with the models they point at, instead
    of the project's 115 models re-rendered after every operation (minutes, not seconds).
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    if plan is None:
        plan, seen = [], set()
        for leaf in sorted(loader.graph.leaf_nodes()):
            for key in loader.graph.forwards_plan(leaf):
                if key not in seen:
                    seen.add(key)
                    plan.append(loader.graph.nodes[key])
    shared = {_label(app) for app in settings.SHARED_APPS}
    before = ProjectState(real_apps=loader.unmigrated_apps)
    after = ProjectState(real_apps=loader.unmigrated_apps)
    rendered = []
    for migration in plan:
        app = migration.app_label
        # django-tenants' router lets a shared app migrate in public, a tenant app elsewhere.
        schema = "public" if app in shared else settings.TENANT_BASE_SCHEMA
        with schema_context(schema):
            editor = editor_class(connection, collect_sql=True, atomic=False)
            with editor:
                for operation in migration.operations:
                    operation.state_forwards(app, after)
                    if operation.reduces_to_sql:
                        keys = _models_of(operation, app, before, after)
                        operation.database_forwards(
                            app, editor, _part(before, keys), _part(after, keys)
                        )
                    operation.state_forwards(app, before)
        statements = [sql for sql in editor.collected_sql if not sql.startswith("--")]
        rendered.append(Rendered(app, migration.name, statements))
    return rendered


# Operations whose SQL also depends on the models that point at theirs (foreign keys to a
# field whose type changes, a renamed table's references).
_WITH_REFERRERS = {"AlterField", "RemoveField", "RenameField", "RenameModel", "DeleteModel"}


def _models_of(operation, app, *states) -> set[tuple[str, str]] | None:
    """The models an operation's SQL is made from, with all they point at (None: no model)."""
    names = [
        getattr(operation, attribute)
        for attribute in ("name_lower", "model_name_lower", "old_name_lower", "new_name_lower")
        if isinstance(getattr(operation, attribute, None), str)
    ]
    if not names:
        return None
    keys = {(app, name) for name in names}
    if type(operation).__name__ in _WITH_REFERRERS:
        for state in states:
            for key, model in state.models.items():
                if any(_targets(field, key[0]) & keys for field in model.fields.values()):
                    keys.add(key)
    pending = list(keys)
    while pending:
        key = pending.pop()
        for state in states:
            model = state.models.get(key)
            if model is None:
                continue
            targets = {_lower(base, key[0]) for base in model.bases if isinstance(base, str)}
            for field in model.fields.values():
                targets |= _targets(field, key[0])
            for target in targets - keys:
                keys.add(target)
                pending.append(target)
    return keys


def _targets(field, app: str) -> set[tuple[str, str]]:
    """The models a field points at: its related model and an explicit through model."""
    remote = getattr(field, "remote_field", None)
    if remote is None:
        return set()
    found = set()
    for model in (remote.model, getattr(remote, "through", None)):
        if isinstance(model, str):
            found.add(_lower(model, app))
        elif model is not None:
            found.add(_lower(model._meta.label, app))
    return found


def _lower(reference: str, app: str) -> tuple[str, str]:
    label, _dot, name = reference.rpartition(".")
    return (label or app, name.lower())


def _part(state: ProjectState, keys: set[tuple[str, str]] | None) -> ProjectState:
    if keys is None:
        return state
    return ProjectState(
        models={key: model for key, model in state.models.items() if key in keys},
        real_apps=state.real_apps,
    )


def _label(app: str) -> str:

    for config in apps.get_app_configs():
        if config.name == app:
            return config.label
    return app.rsplit(".", 1)[-1]


def refusals_of(rendered: list[Rendered], allowed=ALLOWED) -> list[str]:
    found = []
    for migration in rendered:
        if migration.app in LOCAL_ON_COORDINATOR:
            continue
        for sql in migration.statements:
            key = (migration.app, migration.name, sql.rstrip(";").strip())
            if key in allowed:
                continue
            for reason in citus_refusals(sql):
                shown = sql if len(sql) < 300 else sql[:300] + "…"
                found.append(f"{migration.app}.{migration.name}: {reason}\n    {shown}")
    return found


@pytest.mark.django_db
def test_no_migration_writes_what_citus_refuses():
    # This process's CPU time: on a busy machine the wall time is mostly waiting for a core.
    started = time.process_time()
    rendered = render_migrations()
    elapsed = time.process_time() - started
    assert len(rendered) > 100  # every app's migrations, not an empty plan
    assert {r.app for r in rendered} >= {"forums", "members", "tenants", "directory", "auth"}
    tenant_labels = {_label(app) for app in settings.TENANT_APPS}
    assert not set(LOCAL_ON_COORDINATOR) & tenant_labels
    problems = refusals_of(rendered)
    assert not problems, "Citus refuses these statements:\n" + "\n".join(problems)
    # The exemptions name statements that exist: a stale one would exempt nothing.
    present = {(r.app, r.name, sql.rstrip(";").strip()) for r in rendered for sql in r.statements}
    assert set(ALLOWED) <= present
    assert elapsed < 10, f"rendering every migration took {elapsed:.1f} s of CPU"


class _FabricatedMigration(migrations.Migration):
    """A migration that Citus would refuse in three ways."""

    operations = [
        migrations.CreateModel(
            "CitusGauge",
            [("id", models.BigAutoField(primary_key=True)), ("name", models.TextField())],
        ),
        migrations.AddField("citusgauge", "level", models.PositiveIntegerField(default=0)),
        migrations.RunSQL("ALTER TABLE forums_citusgauge ALTER COLUMN name SET STORAGE MAIN"),
        migrations.RunSQL(
            "ALTER TABLE forums_citusgauge ALTER COLUMN level ADD GENERATED BY DEFAULT AS IDENTITY"
        ),
    ]


@pytest.mark.django_db
def test_the_checker_names_each_refused_statement_of_a_fabricated_migration():
    migration = _FabricatedMigration("9999_citus_gauge", "forums")

    # Django's own editor: the unnamed inline CHECK of AddField, SET STORAGE, ADD IDENTITY.
    rendered = render_migrations(_PlainCollectingEditor, plan=[migration])
    problems = refusals_of(rendered)
    assert len(problems) == 3, problems
    assert problems[0].startswith("forums.9999_citus_gauge: ADD COLUMN with an unnamed CHECK")
    assert 'ADD COLUMN "level" integer DEFAULT 0 NOT NULL' in problems[0]
    assert "ALTER TABLE SetStorage" in problems[1]
    assert "ALTER TABLE AddIdentity" in problems[2]

    # The project's editor names the check: the two hand-written statements remain.
    rendered = render_migrations(plan=[migration])
    problems = refusals_of(rendered)
    assert [p.split("\n")[0] for p in problems] == [
        "forums.9999_citus_gauge: ALTER TABLE SetStorage, which Citus refuses",
        "forums.9999_citus_gauge: ALTER TABLE AddIdentity, which Citus refuses",
    ]
    assert (
        'ALTER TABLE "forums_citusgauge" ADD CONSTRAINT "forums_citusgauge_level_check" '
        'CHECK ("level" >= 0);' in rendered[0].statements
    )


class _PlainCollectingEditor(PostgresSchemaEditor):
    def _constraint_names(self, model, *args, **kwargs):
        return [f"{model._meta.db_table}_introspected"]


@pytest.mark.parametrize(
    ("sql", "reasons"),
    [
        ('ALTER TABLE "t" ADD COLUMN "n" integer NOT NULL CHECK ("n" >= 0)',
         ["ADD COLUMN with an unnamed CHECK"]),
        ('ALTER TABLE "t" ADD COLUMN "n" integer CONSTRAINT "t_n_check" CHECK ("n" >= 0)', []),
        ('ALTER TABLE "t" ADD COLUMN "k" varchar(10) UNIQUE',
         ["ADD COLUMN with an unnamed UNIQUE"]),
        ('ALTER TABLE "t" ADD COLUMN "p" bigint REFERENCES "u" ("id")',
         ["ADD COLUMN with an unnamed FOREIGN"]),
        ('ALTER TABLE "t" ADD COLUMN "p" bigint CONSTRAINT "t_p_fk" REFERENCES "u" ("id") '
         "DEFERRABLE INITIALLY DEFERRED", []),
        ('ALTER TABLE "t" ADD COLUMN "i" bigint GENERATED BY DEFAULT AS IDENTITY',
         ["ADD COLUMN … GENERATED AS IDENTITY"]),
        ('ALTER TABLE "t" ADD COLUMN "i" bigserial', ["ADD COLUMN of a serial type"]),
        ('ALTER TABLE "t" ALTER COLUMN "v" SET STORAGE MAIN',
         ["ALTER TABLE SetStorage, which Citus refuses"]),
        ('ALTER TABLE "t" ALTER COLUMN "v" SET STATISTICS 500',
         ["ALTER TABLE SetStatistics, which Citus refuses"]),
        ('ALTER TABLE "t" ALTER COLUMN "v" SET COMPRESSION lz4', []),
        ('ALTER TABLE "t" ADD CHECK ("n" > 0)', ["ADD CONSTRAINT without a name"]),
        ('CREATE TABLE "t" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, '
         '"n" integer NOT NULL CHECK ("n" >= 0))', ["an unnamed CHECK in CREATE TABLE"]),
        ('CREATE TABLE "t" ("n" integer, CHECK ("n" >= 0))', ["an unnamed CHECK in CREATE TABLE"]),
        ('CREATE TABLE "t" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, '
         '"n" integer NOT NULL CONSTRAINT "t_n_check" CHECK ("n" >= 0), "k" text UNIQUE)', []),
        ('ALTER TABLE "t" ALTER COLUMN "n" TYPE bigint USING "n"::bigint, '
         'ALTER COLUMN "n" SET DEFAULT 0, ALTER COLUMN "n" DROP NOT NULL', []),
    ],
)  # fmt: skip
def test_the_checker_knows_each_form(sql, reasons):
    assert citus_refusals(sql) == reasons


# --- The schema editor ----------------------------------------------------------------------


def _collect(operation_list) -> list[str]:
    migration = type("M", (migrations.Migration,), {"operations": operation_list})(
        "9999_citus_x", "forums"
    )
    return render_migrations(plan=[migration])[0].statements


@pytest.mark.django_db
def test_the_editor_adds_a_column_then_its_named_constraints():
    statements = _collect(
        [
            migrations.CreateModel("CitusBox", [("id", models.BigAutoField(primary_key=True))]),
            migrations.AddField("citusbox", "size", models.PositiveSmallIntegerField(default=1)),
            migrations.AddField(
                "citusbox", "code", models.CharField(max_length=8, null=True, unique=True)
            ),
        ]
    )  # fmt: skip
    assert statements[1:] == [
        'ALTER TABLE "forums_citusbox" ADD COLUMN "size" smallint DEFAULT 1 NOT NULL ;',
        'ALTER TABLE "forums_citusbox" ALTER COLUMN "size" DROP DEFAULT;',
        'ALTER TABLE "forums_citusbox" ADD CONSTRAINT "forums_citusbox_size_check" '
        'CHECK ("size" >= 0);',
        'ALTER TABLE "forums_citusbox" ADD COLUMN "code" varchar(8) NULL;',
        'ALTER TABLE "forums_citusbox" ADD CONSTRAINT "forums_citusbox_code_key" UNIQUE ("code");',
        'CREATE INDEX "forums_citusbox_code_27b552b4_like" ON "forums_citusbox" '
        '("code" varchar_pattern_ops);',
    ]


@pytest.mark.django_db
def test_the_editor_names_checks_in_create_table():
    statements = _collect(
        [
            migrations.CreateModel(
                "CitusCrate",
                [
                    ("id", models.BigAutoField(primary_key=True)),
                    ("count", models.PositiveIntegerField()),
                    ("weight", models.PositiveBigIntegerField(null=True)),
                ],
            )
        ]
    )
    assert statements == [
        'CREATE TABLE "forums_cituscrate" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT '
        'AS IDENTITY, "count" integer NOT NULL CONSTRAINT "forums_cituscrate_count_check" '
        'CHECK ("count" >= 0), "weight" bigint NULL CONSTRAINT "forums_cituscrate_weight_check" '
        'CHECK ("weight" >= 0));'
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("box", "size"),
        ("a_table_whose_name_is_long_enough_to_be_cut_by_postgresql_x", "count"),
        ("t", "a_column_whose_name_is_long_enough_to_be_cut_by_postgresql_too"),
        ("a_long_table_name_of_thirty_six_chars", "a_long_column_name_of_thirty_three"),
    ],
)
def test_constraint_names_are_those_postgresql_chose(table, column):
    """The same names as before the editor named them: old and new databases agree."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMPORARY TABLE "{table}" ("{column}" integer CHECK ("{column}" >= 0) UNIQUE)'
        )
        cursor.execute(
            "SELECT contype, conname FROM pg_constraint WHERE conrelid = %s::regclass "
            "ORDER BY contype",
            [f'pg_temp."{table}"'],
        )
        names = dict(cursor.fetchall())
        cursor.execute(f'DROP TABLE pg_temp."{table}"')
    assert names == {
        "c": postgres_object_name(table, column, "check"),
        "u": postgres_object_name(table, column, "key"),
    }


# --- Keys and foreign keys across schemas -----------------------------------------------------

# Foreign keys from a network's tables to public tables, each with the reason it can stay on
# Citus (the public table becomes a reference table, copied to every node). Empty today.
NETWORK_TO_PUBLIC_ALLOWED: dict[tuple[str, str], str] = {}


def _foreign_keys(cursor) -> list[tuple[str, str, str, str, str]]:
    cursor.execute(
        """
        SELECT c.conname, src_ns.nspname, src.relname, dst_ns.nspname, dst.relname
        FROM pg_constraint c
        JOIN pg_class src ON src.oid = c.conrelid
        JOIN pg_namespace src_ns ON src_ns.oid = src.relnamespace
        JOIN pg_class dst ON dst.oid = c.confrelid
        JOIN pg_namespace dst_ns ON dst_ns.oid = dst.relnamespace
        WHERE c.contype = 'f' AND src_ns.nspname IN ('public', %s)
        ORDER BY 1
        """,
        [settings.TENANT_BASE_SCHEMA],
    )
    return cursor.fetchall()


@pytest.mark.django_db
def test_no_foreign_key_crosses_between_public_and_a_network():
    template = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        keys = _foreign_keys(cursor)
    assert len(keys) > 50  # the template is migrated: its foreign keys are read
    into_networks = [k for k in keys if k[1] == "public" and k[3] != "public"]
    assert not into_networks, into_networks
    to_public = {
        (k[2], k[4]): k[0]
        for k in keys
        if k[1] == template and k[3] != template and (k[2], k[4]) not in NETWORK_TO_PUBLIC_ALLOWED
    }
    assert not to_public, to_public


_THIRD_PARTY = (
    "a table of Django's or allauth's own migrations (AutoField): content types, permissions, "
    "groups and a network's email addresses, far below 2**31 rows in one schema; widening it "
    "would mean altering tables those apps own"
)
# 32-bit primary keys that stay, each with its reason; every other one is 64-bit.
NARROW_KEYS_ALLOWED = {
    **{
        (schema, table): _THIRD_PARTY
        for table in ("account_emailaddress", "account_emailconfirmation", "auth_group",
                      "auth_permission", "django_content_type")
        for schema in ("public", "tenant_template")
    },
    ("public", "django_admin_log"): _THIRD_PARTY + "; the platform's operators only",
    ("public", "directory_searchversion"): "eight fixed slots (0 to 7), not a growing id",
}  # fmt: skip


@pytest.mark.django_db
def test_every_integer_primary_key_is_64_bit():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'p' AND n.nspname IN ('public', %s)
            """,
            [settings.TENANT_BASE_SCHEMA],
        )
        keys = cursor.fetchall()
    tables = {(schema, table) for schema, table, _column, _type in keys}
    assert (settings.TENANT_BASE_SCHEMA, "forums_topic") in tables
    # Every model's and every many-to-many table's primary key is in the list above.

    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert any(table == model._meta.db_table for _s, table in tables), model
    narrow = {
        (schema, table) for schema, table, _c, kind in keys if kind in ("integer", "smallint")
    }
    assert narrow == set(NARROW_KEYS_ALLOWED), narrow ^ set(NARROW_KEYS_ALLOWED)


@pytest.mark.django_db
def test_every_deferrable_constraint_is_initially_deferred():
    """Why provisioning may end its SET CONSTRAINTS ALL IMMEDIATE with ALL DEFERRED."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE condeferrable AND NOT condeferred"
        )
        assert cursor.fetchall() == []


# --- Updates -------------------------------------------------------------------------------------
#
# Citus refuses an UPDATE of a distributed table whose SET calls a STABLE function with a
# column ("STABLE functions used in UPDATE queries cannot be called with column references").
# Date arithmetic on a column is one: ``timestamptz + interval`` (timestamptz_pl_interval) is
# STABLE, so ``.update(read_at=F("created") + timedelta(hours=1))`` failed on a real Citus
# (the demo's notifications, December 2026). Integer arithmetic (``F("n") + 1``) is immutable.

PRODUCT_PACKAGES = ("core", "shared_apps", "tenant_apps", "tenants", "provisioning")
# Names whose SQL is a STABLE function when a column is in its arguments.
STABLE_WITH_A_COLUMN = re.compile(r"^(timedelta|relativedelta|Now|Trunc\w*|Extract\w*)$")


def _name(node) -> str:
    func = getattr(node, "func", None)
    return getattr(func, "id", None) or getattr(func, "attr", None) or ""


def stable_updates(source: str) -> list[str]:
    """The ``.update(...)`` arguments of ``source`` that mix a column (``F``) with date
    arithmetic or a date function, as ``ast.unparse`` writes them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and _name(node) == "update"):
            continue
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            calls = {_name(sub) for sub in ast.walk(argument) if isinstance(sub, ast.Call)}
            if "F" in calls and any(STABLE_WITH_A_COLUMN.match(name) for name in calls):
                found.append(ast.unparse(argument))
    return found


def test_no_update_computes_a_date_from_a_column():
    root = Path(settings.BASE_DIR)
    found = [
        f"{path.relative_to(root)}: {argument}"
        for package in PRODUCT_PACKAGES
        for path in sorted((root / package).rglob("*.py"))
        if ".update(" in (text := path.read_text())
        for argument in stable_updates(text)
    ]
    assert found == [], "compute the value in Python (bulk_update), Citus refuses it:\n" + (
        "\n".join(found)
    )


def test_the_update_check_finds_date_arithmetic_on_a_column():
    source = (
        "Notification.objects.filter(x=1).update(\n"
        "    read_at=F('created') + datetime.timedelta(hours=1), emailed_at=F('created'))\n"
        "Topic.objects.update(version=F('version') + 1, edited=timezone.now())\n"
        "Event.objects.update(day=TruncDate(F('starts_at')))\n"
    )
    assert stable_updates(source) == [
        "F('created') + datetime.timedelta(hours=1)",
        "TruncDate(F('starts_at'))",
    ]


# --- Provisioning's statements ----------------------------------------------------------------


def test_off_nothing_is_sent(settings):
    settings.CITUS_SCHEMA_SHARDING = False
    assert citus.local_schema_statements() == []
    assert citus.distribute_statements("gamma") == []
    assert citus.tool_environment({"PGOPTIONS": "-c a=b"}) == {"PGOPTIONS": "-c a=b"}


def test_on_the_schema_is_built_locally_then_distributed(settings):
    settings.CITUS_SCHEMA_SHARDING = True
    assert citus.local_schema_statements() == [
        ("SET LOCAL citus.enable_schema_based_sharding TO off", ())
    ]
    assert citus.distribute_statements("gamma") == [
        ("SET CONSTRAINTS ALL IMMEDIATE", ()),
        ("SELECT citus_schema_distribute(%s::regnamespace)", ('"gamma"',)),
        (citus.TRUNCATE_LOCAL_DATA, ('"gamma"',)),
        ("SET CONSTRAINTS ALL DEFERRED", ()),
    ]
    assert citus.tool_environment({}) == {"PGOPTIONS": "-c citus.enable_schema_based_sharding=off"}


# A stand-in for Citus on plain PostgreSQL: an event trigger notes each CREATE SCHEMA with the
# session's sharding setting, as Citus reads it to decide whether to distribute the schema;
# citus_schema_distribute notes its call and alters every table of the schema, which fails
# as Citus's conversion does ("pending trigger events") while a deferred check is pending;
# truncate_local_data_after_distributing_table notes the table (and keeps its rows: here
# there is no shard).
FAKE_CITUS = """
CREATE TEMPORARY TABLE citus_calls (seq serial, call text, schema text, sharding text);
CREATE FUNCTION public.fake_citus_note_schema() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE created record;
BEGIN
  FOR created IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE SCHEMA'
  LOOP
    INSERT INTO citus_calls (call, schema, sharding) VALUES ('create schema',
      created.object_identity,
      coalesce(nullif(current_setting('citus.enable_schema_based_sharding', true), ''), 'on'));
  END LOOP;
END $$;
CREATE EVENT TRIGGER fake_citus_schemas ON ddl_command_end WHEN TAG IN ('CREATE SCHEMA')
  EXECUTE FUNCTION public.fake_citus_note_schema();
CREATE FUNCTION public.citus_schema_distribute(target regnamespace) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
  INSERT INTO citus_calls (call, schema) VALUES ('distribute', target::text);
  FOR t IN SELECT c.oid::regclass AS rel FROM pg_class c
           WHERE c.relnamespace = target AND c.relkind = 'r'
  LOOP
    EXECUTE format('ALTER TABLE %s RESET (fillfactor)', t.rel);
  END LOOP;
END $$;
CREATE FUNCTION public.truncate_local_data_after_distributing_table(target regclass)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO citus_calls (call, schema, sharding) SELECT 'truncate local data',
    relnamespace::regnamespace::text, relname FROM pg_class WHERE oid = target
$$;
"""


@pytest.fixture
def fake_citus(db):
    with connection.cursor() as cursor:
        cursor.execute(FAKE_CITUS)

    def calls() -> list[tuple[str, str, str | None]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT call, schema, sharding FROM citus_calls ORDER BY seq")
            return cursor.fetchall()

    return calls


def test_creating_a_network_distributes_its_schema_once_built(fake_citus, make_tenant, settings):
    settings.CITUS_SCHEMA_SHARDING = True
    tenant = make_tenant("gamma")
    calls = fake_citus()
    assert calls[:2] == [("create schema", "gamma", "off"), ("distribute", "gamma", None)]
    # Then the coordinator's copy of every table that had rows (the template's) is emptied.
    with_rows = {
        table for table, _identity in snapshot_for(settings.TENANT_BASE_SCHEMA).tables_with_rows
    }
    assert with_rows and sorted(calls[2:]) == [
        ("truncate local data", "gamma", table) for table in sorted(with_rows)
    ]
    # It was filled before: the distributed schema has the template's rows and its seeds.
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "gamma".django_migrations')
        assert cursor.fetchone()[0] > 100
    assert tenant.status == "active"


def test_without_set_constraints_the_pending_checks_block_distribution(fake_citus, settings):
    """The reason for SET CONSTRAINTS ALL IMMEDIATE: the stand-in fails as Citus did."""

    settings.CITUS_SCHEMA_SHARDING = True
    with pytest.raises(OperationalError, match="pending trigger events"):
        with transaction.atomic():
            citus.execute(citus.local_schema_statements())
            schema_clone(settings.TENANT_BASE_SCHEMA, "delta")
            statements = citus.distribute_statements("delta")
            citus.execute([s for s in statements if not s[0].startswith("SET CONSTRAINTS")])


def test_a_spare_is_distributed_as_it_is_made_and_renamed_into_a_network(fake_citus, settings):
    """Spare clones on Citus: built locally and distributed by the job, off the sign-up's
    path; the creation renames one (Citus propagates the rename to its worker)."""
    settings.CITUS_SCHEMA_SHARDING = True
    template = settings.TENANT_BASE_SCHEMA
    waiting = len(cloning._spares(cloning._spare_prefix(template)))
    assert cloning.spares_fill(template, waiting + 1) == 1
    calls = fake_citus()
    spare = calls[0][1]
    assert spare.startswith(cloning.SPARE_PREFIX)
    assert calls[:2] == [("create schema", spare, "off"), ("distribute", spare, None)]
    assert calls[2:] and {call[:2] for call in calls[2:]} == {("truncate local data", spare)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM citus_calls")
        seen = cursor.fetchone()[0]
    with transaction.atomic(), citus.distributed_schema("gamma"):  # as tenant_create does
        schema_clone(template, "gamma")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regnamespace(%s) IS NULL", [spare])
        assert cursor.fetchone()[0], "the spare was not renamed into the network"
    # No schema created for it; citus_schema_distribute again is a no-op on Citus ("already
    # distributed"), and the spare's local copy was emptied already (the stand-in keeps it).
    after = [call for call in fake_citus()[seen:] if call[0] != "truncate local data"]
    assert after == [("distribute", "gamma", None)]


def test_off_creating_a_network_sends_nothing_to_citus(fake_citus, make_tenant, settings):
    settings.CITUS_SCHEMA_SHARDING = False
    make_tenant("epsilon")
    assert fake_citus() == [("create schema", "epsilon", "on")]


def test_pg_tools_run_with_sharding_off_when_on(settings):
    settings.CITUS_SCHEMA_SHARDING = True
    options = citus.tool_environment({"PGOPTIONS": "-c statement_timeout=0"})["PGOPTIONS"]
    assert re.fullmatch(
        r"-c statement_timeout=0 -c citus\.enable_schema_based_sharding=off", options
    )


def test_restoring_a_network_restores_locally_then_distributes(
    fake_citus, session_networks, settings, tmp_path, monkeypatch
):
    """pg_restore (the boundary, stood in for) runs with sharding off; the schema it made is
    distributed in the transaction that writes the network's public rows."""

    settings.CITUS_SCHEMA_SHARDING = True
    manifest = services._manifest(session_networks.get("alpha"))
    manifest.update(slug="zeta", schema_name="zeta", name="Réseau zeta")
    manifest["domains"] = [{"domain": "zeta.localhost", "is_primary": True, "verified": True}]
    archive = tmp_path / "zeta.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("schema.dump", b"")):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    restores = []

    def pg_restore(arguments, *, env, **options):
        restores.append(env["PGOPTIONS"])
        schema_clone(settings.TENANT_BASE_SCHEMA, "zeta")  # what the dump would create
        return subprocess.CompletedProcess(arguments, 0)

    monkeypatch.setattr(services.subprocess, "run", pg_restore)
    tenant = services.tenant_restore(archive_path=archive, actor="test")

    assert restores == ["-c citus.enable_schema_based_sharding=off"]
    calls = [call[:2] for call in fake_citus()]
    assert calls[:2] == [("create schema", "zeta"), ("distribute", "zeta")]
    # The restored rows' copy on the coordinator is emptied once they are on the shard.
    assert calls[2:] and set(calls[2:]) == {("truncate local data", "zeta")}
    assert Tenant.objects.get(slug="zeta") == tenant
