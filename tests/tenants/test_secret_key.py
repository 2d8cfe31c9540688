"""Finding: with SECRET_KEY unset and DEBUG off, the settings fell back to a published key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as gunicorn or manage.py would."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION", "PYTEST_XDIST_WORKER"}
    }
    return subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.SECRET_KEY)"],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_refuse_to_load_without_a_key_when_debug_is_off():
    result = load_settings(DEBUG="false")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("env", [{"DEBUG": "true"}, {"DEBUG": "false", "SECRET_KEY": "k" * 50}])
def test_settings_load_with_debug_on_or_with_a_key(env):
    result = load_settings(**env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == env.get("SECRET_KEY", result.stdout.strip())
