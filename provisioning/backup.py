"""A backup of the whole platform, and its restore into another PostgreSQL cluster.

A backup is one folder: ``database.dump`` (``pg_dump --format=custom`` of the whole database:
the public schema, the template and every network's schema, the job queue), ``media.tar``
(MEDIA_ROOT, one ``<schema>/`` folder per network) and ``manifest.json`` (when, how big, how
many networks, members per network, every file's SHA-256). The restore checks the archive
against the manifest before it starts and checks the restored database and files against it
afterwards. docs/backups.md says why a logical dump and how to run both.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import environ
import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from psycopg import sql

from provisioning.pgtools import pg_connection_args, pg_tool
from tenant_apps.members.models import Member
from tenants.models import Tenant

BACKUP_FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar"
MANIFEST = "manifest.json"

Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    pass


class BackupError(Exception):
    """The backup is damaged, the target is not empty, or the restore does not match."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``, in a stable order (symbolic links are not followed)."""
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path


def file_checksums(root: Path) -> dict[str, str]:
    """``relative path → SHA-256`` of every file under ``root``."""
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): sha256_file(path) for path in _media_files(root)}


# --- Backup ----------------------------------------------------------------------------------


def _counted_tables() -> tuple[tuple[str, str], ...]:
    """What the manifest counts in each network: its members and their accounts."""
    return (("members", Member._meta.db_table), ("accounts", get_user_model()._meta.db_table))


def _networks_and_members() -> list[dict[str, object]]:
    """Each network (not the platform, not the template) with its members and accounts."""
    networks = []
    with connection.cursor() as cursor:
        for slug, schema in (
            Tenant.objects.exclude(schema_name="public")
            .order_by("schema_name")
            .values_list("slug", "schema_name")
        ):
            counts = {}
            for key, table in _counted_tables():
                cursor.execute(
                    sql.SQL("SELECT count(*) FROM {}.{}").format(
                        sql.Identifier(schema), sql.Identifier(table)
                    )
                )
                counts[key] = cursor.fetchone()[0]
            networks.append({"slug": slug, "schema_name": schema, **counts})
    return networks


def lock_capacity_warning() -> str:
    """A warning when pg_dump would run out of lock slots: it locks every table at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p', 'S', 'v', 'm')"
            "        AND relnamespace NOT IN (SELECT oid FROM pg_namespace"
            "        WHERE nspname IN ('pg_catalog', 'information_schema'))),"
            " current_setting('max_locks_per_transaction')::int"
            " * (current_setting('max_connections')::int"
            "    + current_setting('max_prepared_transactions')::int)"
        )
        relations, slots = cursor.fetchone()
    if relations * 1.2 > slots:
        return (
            f"pg_dump will lock {relations} tables, views and sequences; the server has "
            f"{slots} lock slots (max_locks_per_transaction x (max_connections + "
            "max_prepared_transactions)): raise max_locks_per_transaction (docs/backups.md)."
        )
    return ""


@dataclass
class Backup:
    path: Path
    manifest: dict


def platform_backup(*, destination: Path, progress: Progress = _quiet) -> Backup:
    """Write a backup folder of the whole platform under ``destination``; return it."""
    started = time.monotonic()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    destination.mkdir(parents=True, exist_ok=True)
    final = destination / f"entraide-backup-{stamp}"
    partial = final.with_name(final.name + ".partial")
    if final.exists() or partial.exists():
        raise BackupError(f"{final} exists already")
    partial.mkdir(mode=0o700)
    try:
        progress("census")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_database_size(current_database()), current_setting('server_version')"
            )
            database_bytes, server_version = cursor.fetchone()
        networks = _networks_and_members()

        progress("dump")
        args, env = pg_connection_args()
        dump = partial / DUMP
        dump_started = time.monotonic()
        subprocess.run(  # noqa: S603 - fixed binary, arguments built here
            [pg_tool("pg_dump"), *args, "--format=custom", f"--file={dump}",
             connection.settings_dict["NAME"]],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        dump_seconds = time.monotonic() - dump_started

        # The files after the database: a file newer than the dump is an orphan once restored,
        # which is harmless; the other order would restore rows whose file is missing.
        progress("media")
        media_root = Path(settings.MEDIA_ROOT)
        checksums = file_checksums(media_root)
        with tarfile.open(partial / MEDIA, "w") as archive:
            for relative in checksums:
                archive.add(media_root / relative, arcname=relative, recursive=False)

        progress("manifest")
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": timezone.now().isoformat(),
            "seconds": round(time.monotonic() - started, 3),
            "dump_seconds": round(dump_seconds, 3),
            "server_version": server_version,
            "database": {
                "size_bytes": database_bytes,
                "dump_bytes": dump.stat().st_size,
                "dump_sha256": sha256_file(dump),
            },
            "networks": {"count": len(networks), "list": networks},
            "files": {
                "count": len(checksums),
                "bytes": sum((media_root / p).stat().st_size for p in checksums),
                "tar_sha256": sha256_file(partial / MEDIA),
                "sha256": checksums,
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial.rename(final)
    finally:
        if partial.exists():
            shutil.rmtree(partial)
    return Backup(path=final, manifest=manifest)


# --- Restore ---------------------------------------------------------------------------------


def read_manifest(backup: Path) -> dict:
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{backup} holds no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != BACKUP_FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
    return manifest


def verify_archive(backup: Path, manifest: dict) -> None:
    """The dump and the files are the ones the manifest describes (no truncated copy)."""
    if sha256_file(backup / DUMP) != manifest["database"]["dump_sha256"]:
        raise BackupError(f"{backup / DUMP} does not match its checksum")
    if sha256_file(backup / MEDIA) != manifest["files"]["tar_sha256"]:
        raise BackupError(f"{backup / MEDIA} does not match its checksum")


def _connection_params(database_url: str) -> dict[str, object]:
    db = environ.Env.db_url_config(database_url)
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": db.get("NAME"),
    }
    return {k: v for k, v in params.items() if v is not None}


def _client_args(params: dict[str, object]) -> tuple[list[str], dict[str, str]]:
    args = ["--username", str(params.get("user", "postgres"))]
    if params.get("host"):
        args += ["--host", str(params["host"])]
    if params.get("port"):
        args += ["--port", str(params["port"])]
    env = {**os.environ, "PGPASSWORD": str(params.get("password", ""))}
    return args, env


def _create_database(params: dict[str, object]) -> None:
    """Create the target database, or accept it if it exists and holds no table."""
    name = str(params["dbname"])
    maintenance = {**params, "dbname": "postgres"}
    with psycopg.connect(**maintenance, autocommit=True) as conn:  # type: ignore[arg-type]
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with psycopg.connect(**params) as conn:  # type: ignore[arg-type]
        tables = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    if tables and tables[0]:
        raise BackupError(f"the database {name} is not empty: restore into an empty one")


def restored_census(params: dict[str, object]) -> list[dict[str, object]]:
    """Networks with their member and account counts, read from the restored database."""
    tenant_table = Tenant._meta.db_table
    networks = []
    with psycopg.connect(**params) as conn:  # type: ignore[arg-type]
        rows = conn.execute(
            sql.SQL(
                "SELECT slug, schema_name FROM public.{} WHERE schema_name <> 'public'"
                " ORDER BY schema_name"
            ).format(sql.Identifier(tenant_table))
        ).fetchall()
        for slug, schema in rows:
            counts = {}
            for key, table in _counted_tables():
                row = conn.execute(
                    sql.SQL("SELECT count(*) FROM {}.{}").format(
                        sql.Identifier(schema), sql.Identifier(table)
                    )
                ).fetchone()
                counts[key] = row[0] if row else 0
            networks.append({"slug": slug, "schema_name": schema, **counts})
    return networks


@dataclass
class Restore:
    seconds: float
    networks: list[dict[str, object]]
    files: int


def platform_restore(
    *,
    backup: Path,
    database_url: str,
    media_root: Path,
    jobs: int = 2,
    analyze: bool = True,
    progress: Progress = _quiet,
) -> Restore:
    """Restore a backup folder into an empty database and an empty media folder, then check
    every network, member count and file checksum against the manifest."""
    started = time.monotonic()
    manifest = read_manifest(backup)
    progress("verify")
    verify_archive(backup, manifest)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore the files into an empty folder")
    params = _connection_params(database_url)
    _create_database(params)

    progress("database")
    args, env = _client_args(params)
    result = subprocess.run(  # noqa: S603 - fixed binary, arguments built here
        [pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
         f"--jobs={jobs}", f"--dbname={params['dbname']}", str(backup / DUMP)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
    if analyze:
        # pg_restore leaves the planner without statistics until autovacuum comes round.
        progress("analyze")
        with psycopg.connect(**params, autocommit=True) as conn:  # type: ignore[arg-type]
            conn.execute("ANALYZE")

    progress("media")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / MEDIA) as archive:
        archive.extractall(media_root, filter="data")

    progress("check")
    networks = restored_census(params)
    if networks != manifest["networks"]["list"]:
        raise BackupError(
            f"the restored networks differ from the manifest: {networks} "
            f"!= {manifest['networks']['list']}"
        )
    checksums = file_checksums(media_root)
    if checksums != manifest["files"]["sha256"]:
        expected = manifest["files"]["sha256"]
        paths = expected.keys() | checksums.keys()
        wrong = [p for p in paths if expected.get(p) != checksums.get(p)]
        raise BackupError(f"{len(wrong)} restored files are missing, extra or changed")
    return Restore(seconds=time.monotonic() - started, networks=networks, files=len(checksums))
