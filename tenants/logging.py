import logging

from django.db import connection


class TenantFilter(logging.Filter):
    """Stamp every log record with the schema it was emitted in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = getattr(connection, "schema_name", "-")
        return True
