"""The platform's audit log is written once: PostgreSQL refuses any UPDATE of an entry.

``tenants.AuditEntry`` belongs to tenants, whose migrations are the lead's; the console, which
shows the log and writes most of it, keeps the trigger. Deleting entries stays possible (the
test suite's fixtures remove their own), and TRUNCATE (a test database's flush) too.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION tenants_auditentry_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: entry % cannot be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tenants_auditentry_append_only
    BEFORE UPDATE ON tenants_auditentry
    FOR EACH ROW EXECUTE FUNCTION tenants_auditentry_refuse_update();
"""
DROP = """
DROP TRIGGER IF EXISTS tenants_auditentry_append_only ON tenants_auditentry;
DROP FUNCTION IF EXISTS tenants_auditentry_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0001_initial"),
        ("tenants", "0004_custom_domains_read_only"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
