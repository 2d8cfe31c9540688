"""scripts/demo.py: the demo runs as in production (DEBUG off) over plain HTTP on localhost."""

import importlib.util
import sys
from pathlib import Path

import environ
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"


@pytest.fixture
def demo_script(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTRAIDE_DATA_DIR", str(tmp_path))
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("demo_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("devdb", None)


def test_the_demo_serves_with_debug_off_and_cookies_over_plain_http(demo_script):
    env = demo_script.demo_env({"PATH": "/usr/bin"})
    # Read as the settings read them (django-environ).
    assert environ.Env.parse_value(env["DEBUG"], bool) is False
    assert environ.Env.parse_value(env["SECURE_COOKIES"], bool) is False
    assert env["PLATFORM_DOMAIN"] == "localhost"
    assert env["PLATFORM_URL_SCHEME"] == "http"
    assert "ALLOWED_HOSTS" not in env  # every *.localhost host reaches the tenant middleware


def test_the_demo_keeps_its_own_secret_key_from_run_to_run(demo_script, tmp_path):
    first = demo_script.demo_env({})["SECRET_KEY"]
    assert len(first) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert demo_script.demo_env({})["SECRET_KEY"] == first


def test_what_the_environment_sets_wins(demo_script):
    env = demo_script.demo_env({"DEBUG": "true", "SECRET_KEY": "given", "PLATFORM_DOMAIN": "d"})
    assert (env["DEBUG"], env["SECRET_KEY"], env["PLATFORM_DOMAIN"]) == ("true", "given", "d")


@pytest.mark.django_db
def test_with_debug_off_static_files_are_served_and_errors_are_the_product_s_pages(
    tenant, client_for, settings
):
    # What the demo serves with DEBUG off (the tests run with DEBUG off too).
    assert settings.DEBUG is False
    client = client_for(tenant)
    css = client.get("/static/css/entraide.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    missing = client.get("/comptes/nulle-part/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "Page introuvable" in html and "Traceback" not in html
