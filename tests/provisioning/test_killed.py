"""A provisioning process killed outright (SIGKILL) at a step leaves nothing behind."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_exists

from provisioning import services
from tenants.models import AuditEntry, Domain, Organization, Tenant

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import os, signal, sys
import django
django.setup()
from provisioning import services

def progress(step):
    if step == sys.argv[1]:
        os.kill(os.getpid(), signal.SIGKILL)

services.tenant_create(
    slug="killed", name="Réseau tué", organization_slug="asso-killed",
    admin_email="admin@killed.example", actor="test", progress=progress,
)
"""


def database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "localhost", db["PORT"] or 5432
    if host.startswith("/"):
        return f"postgres://{db['USER']}@:{port}/{quote(host, safe='')}/{db['NAME']}"
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


@pytest.mark.parametrize("step", ["tenant", "schema", "admin", "activate"])
def test_a_killed_provisioning_leaves_no_schema_row_or_file(transactional_db, step, tmp_path):
    services.platform_ensure()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, step], cwd=REPO, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]
    assert not schema_exists("killed")
    assert not Tenant.objects.filter(slug="killed").exists()
    assert not Organization.objects.filter(slug="asso-killed").exists()
    assert not Domain.objects.filter(domain=f"killed.{settings.PLATFORM_DOMAIN}").exists()
    assert not AuditEntry.objects.filter(tenant_slug="killed").exists()
    assert not (tmp_path / "media" / "killed").exists()
