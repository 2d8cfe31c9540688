"""The project's database engine: django-tenants' backend with the Citus-ready schema editor.

Everything else (connections, ``search_path`` per schema, introspection) is django-tenants'
``DatabaseWrapper`` as it is; only the DDL that migrations write changes.
"""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from core.db.backends.entraide.schema import DatabaseSchemaEditor


class DatabaseWrapper(TenantDatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
