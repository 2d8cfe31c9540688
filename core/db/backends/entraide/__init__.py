"""django-tenants' PostgreSQL backend, with a schema editor whose DDL Citus accepts."""
