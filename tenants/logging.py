"""Every log line carries the network it was written in (DESIGN invariant 3); in production
each line is one JSON object, for a log collector to index by network."""

import json
import logging
from datetime import UTC, datetime

from django.db import connection


class TenantFilter(logging.Filter):
    """Stamp every log record with the schema it was emitted in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = getattr(connection, "schema_name", "-")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, network, message, and the
    exception's type and traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "tenant": getattr(record, "tenant", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
