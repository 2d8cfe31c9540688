"""PostgreSQL client tools (pg_dump, pg_restore) pointed at Django's default database."""

import os
import shutil
from pathlib import Path

from django.db import connection


def pg_connection_args() -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment matching Django's default database."""
    db = connection.settings_dict
    args = ["--username", db.get("USER") or "postgres"]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def pg_tool(name: str) -> str:
    """The client binary, from PATH or the machine's PostgreSQL install (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise FileNotFoundError(f"{name} is not installed (Debian package postgresql-client)")
