"""The directory's search version: a value every write to what a search reads changes, in the
same transaction as the write, so that an answer kept under a version is never stale
(``shared_apps.directory.answers``).

A trigger on each table a search reads (the four kinds, their link tables, pathologies and
themes) runs before every INSERT, UPDATE, DELETE and TRUNCATE statement, whoever writes:
services, sync jobs, the CSV import, the admin, a migration, raw SQL. It writes a new value
from a sequence into one of a few slots; the version is all the slots' values. A sequence
never gives a value twice, so a version seen inside a transaction that is then rolled back
never comes back. Concurrent writers take different slots (``SKIP LOCKED``) and do not wait
for each other; a transaction keeps its slot for its later statements.

Raw SQL on purpose: the table and the triggers are not Django models (nothing else reads or
writes them), and Django has no operation for triggers.
"""

from django.db import migrations

TABLES = (
    "directory_association",
    "directory_association_pathologies",
    "directory_initiative",
    "directory_initiative_pathologies",
    "directory_initiative_themes",
    "directory_directoryevent",
    "directory_directoryevent_pathologies",
    "directory_resource",
    "directory_resource_themes",
    "directory_pathology",
    "directory_theme",
)

FUNCTION = """
CREATE FUNCTION directory_search_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    taken integer := nullif(current_setting('directory.search_slot', true), '')::integer;
BEGIN
    IF taken IS NULL THEN
        SELECT slot INTO taken FROM directory_searchversion
            ORDER BY slot FOR UPDATE SKIP LOCKED LIMIT 1;
        -- Every slot held by another writer: wait for the first.
        taken := coalesce(taken, 0);
        PERFORM set_config('directory.search_slot', taken::text, true);
    END IF;
    UPDATE directory_searchversion SET version = nextval('directory_searchversion_seq')
        WHERE slot = taken;
    RETURN NULL;
END
$$;
"""


def _forward() -> list[str]:
    statements = [
        "CREATE SEQUENCE directory_searchversion_seq AS bigint",
        "CREATE TABLE directory_searchversion (slot integer PRIMARY KEY, version bigint NOT NULL)",
        # Eight slots: eight writers at once before one waits.
        "INSERT INTO directory_searchversion (slot, version) "
        "SELECT slot, nextval('directory_searchversion_seq') FROM generate_series(0, 7) AS slot",
        FUNCTION,
    ]
    for table in TABLES:
        statements.append(
            "CREATE TRIGGER directory_search_changed BEFORE INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION directory_search_changed()"
        )
    return statements


def _backward() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS directory_search_changed ON {table}" for table in TABLES),
        "DROP FUNCTION IF EXISTS directory_search_changed()",
        "DROP TABLE IF EXISTS directory_searchversion",
        "DROP SEQUENCE IF EXISTS directory_searchversion_seq",
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_insight_listings"),
    ]

    operations = [migrations.RunSQL(_forward(), _backward())]
