"""A backup of the whole platform, restored into a fresh PostgreSQL cluster.

The backup's pg_dump runs in its own session, so this test commits its data. The fresh
cluster is a new initdb on a free port, run as the ``postgres`` system user when the tests run
as root (initdb refuses root), stopped and deleted at the end.
"""

import contextlib
import hashlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import tenant_context

from provisioning import backup
from provisioning.pgtools import pg_tool
from tenant_apps.members import services as members

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = {
    "sein": ["Iris", "Louise", "Marc"],
    "poumon": ["Nadia", "Paul"],
}
# Bytes that are not text, so that a newline conversion or a truncation shows.
UPLOADS = {
    "sein": {"branding/logo.png": bytes(range(256)) * 40, "uploads/ordonnance.pdf": b"%PDF-1.7"},
    "poumon": {"branding/logo.png": b"\x89PNG\r\n\x1a\n" + os.urandom(5000)},
}


def _as_server_user() -> dict:
    """subprocess arguments that run a PostgreSQL program as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def fresh_cluster() -> Iterator[str]:
    """A new, empty PostgreSQL cluster on 127.0.0.1: yields its server URL (no database)."""
    # Not under pytest's tmp_path: that folder is root's alone and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="entraide-restore-cluster-"))
    run_as = _as_server_user()
    if run_as:
        os.chown(root, run_as["user"], run_as["group"])
    data, port = root / "data", _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"LC_MESSAGES": "C"}
    try:
        subprocess.run(
            [pg_tool("initdb"), "-D", str(data), "--auth=trust", "--username=postgres",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True, cwd="/", env=env, **run_as,
        )  # fmt: skip
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [pg_tool("pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w",
             "-o", options, "start"],
            check=True, capture_output=True, cwd="/", env=env, **run_as,
        )  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [pg_tool("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True, cwd="/", env=env, **run_as,
            )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def platform(make_tenant, drop_tenant_schemas, settings):
    """Two networks with their members and uploaded files, committed."""
    tenants = {}
    for slug, people in PEOPLE.items():
        tenants[slug] = tenant = make_tenant(slug)
        with tenant_context(tenant):
            for name in people:
                members.member_create(
                    username=name, email=f"{name.lower()}@example.org", password="secret-long-42x"
                )
            for path, content in UPLOADS[slug].items():
                default_storage.save(path, ContentFile(content))
    return tenants


def _usernames(conn: psycopg.Connection, schema: str) -> list[str]:
    rows = conn.execute(f'SELECT username FROM "{schema}".accounts_user ORDER BY 1')  # noqa: S608
    return [row[0] for row in rows]


def test_the_whole_platform_restores_into_a_fresh_cluster(platform, settings, tmp_path):
    started = time.monotonic()
    made = backup.platform_backup(destination=tmp_path / "backups")
    backup_seconds = time.monotonic() - started
    manifest = json.loads((made.path / "manifest.json").read_text())
    assert manifest["networks"]["count"] == 2
    assert {n["slug"]: n["members"] for n in manifest["networks"]["list"]} == {
        "sein": 3,
        "poumon": 2,
    }
    assert manifest["files"]["count"] == 3
    assert manifest["database"]["size_bytes"] > 0

    with fresh_cluster() as server:
        target = f"{server}/entraide_restored"
        media = tmp_path / "restored-media"
        started = time.monotonic()
        restored = backup.platform_restore(backup=made.path, database_url=target, media_root=media)
        restore_seconds = time.monotonic() - started

        # Read back independently of the restore's own check: every network, every member
        # (and the admin each network invited), every file with its checksum.
        with psycopg.connect(target) as conn:
            networks = dict(
                conn.execute(
                    "SELECT slug, schema_name FROM public.tenants_tenant"
                    " WHERE schema_name <> 'public'"
                ).fetchall()
            )
            assert set(networks) == {"sein", "poumon"}
            for slug, people in PEOPLE.items():
                assert set(people) <= set(_usernames(conn, networks[slug]))
                assert len(_usernames(conn, networks[slug])) == len(people)
        for slug, uploads in UPLOADS.items():
            for path, content in uploads.items():
                restored_file = media / networks[slug] / path
                assert (
                    hashlib.sha256(restored_file.read_bytes()).hexdigest()
                    == hashlib.sha256(content).hexdigest()
                )
        assert restored.files == 3

        # A second restore into the same database is refused, not merged.
        with pytest.raises(backup.BackupError, match="not empty"):
            backup.platform_restore(
                backup=made.path, database_url=target, media_root=tmp_path / "other-media"
            )
    print(f"backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s")  # noqa: T201


def test_a_damaged_backup_is_refused_before_anything_is_restored(platform, tmp_path):
    made = backup.platform_backup(destination=tmp_path / "backups")
    dump = made.path / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    with pytest.raises(backup.BackupError, match="checksum"):
        backup.platform_restore(
            backup=made.path,
            database_url="postgres://postgres@127.0.0.1:1/never-reached",
            media_root=tmp_path / "restore-target",
        )
    assert not (tmp_path / "restore-target").exists()
