"""Checks on deploy/: the files Docker and Caddy read, without Docker.

None of these tests touches the database.
"""

import datetime
import json
import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"

CADDY_ENV = {"PLATFORM_DOMAIN": "entraide.example", "ACME_EMAIL": "ops@entraide.example"}
needs_caddy = pytest.mark.skipif(
    shutil.which("caddy") is None,
    reason="caddy is not installed; `make` installs it (apt-get install caddy)",
)


def _caddy(*args: str, home: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    # Caddy may create its storage folders while provisioning: keep them in tmp.
    env = {
        **os.environ,
        **CADDY_ENV,
        **extra_env,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return subprocess.run(  # noqa: S603 - fixed arguments, no shell
        ["caddy", *args, "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@needs_caddy
def test_caddyfile_is_valid(tmp_path):
    result = _caddy("validate", home=tmp_path)

    assert result.returncode == 0, result.stderr


@needs_caddy
def test_caddyfile_issues_certificates_only_for_hosts_the_platform_accepts(tmp_path):
    result = _caddy("adapt", home=tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)

    automation = config["apps"]["tls"]["automation"]
    assert automation["on_demand"]["ask"] == "http://web:8000/internal/tls-ask"
    assert any(policy.get("on_demand") for policy in automation["policies"])
    handlers = list(_handlers(config["apps"]["http"]))
    assert {"handler": "request_body", "max_size": 25 * 1000 * 1000} in handlers
    security_headers = {
        name
        for handler in handlers
        if handler["handler"] == "headers"
        for name in handler.get("response", {}).get("set", {})
    }
    assert {
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    } <= security_headers
    proxies = [handler for handler in handlers if handler["handler"] == "reverse_proxy"]
    assert proxies
    assert all(proxy["upstreams"] == [{"dial": "web:8000"}] for proxy in proxies)


@needs_caddy
def test_caddyfile_runs_elsewhere_through_its_environment(tmp_path):
    # What the stack test (tests/deploy/test_stack.py) sets; production sets none of these.
    result = _caddy(
        "adapt",
        home=tmp_path,
        ENTRAIDE_UPSTREAM="127.0.0.1:18000",
        HTTP_PORT="18080",
        HTTPS_PORT="18443",
        CADDY_ADMIN="off",
        CADDY_GLOBAL_OPTIONS="local_certs\nskip_install_trust\ndefault_bind 127.0.0.1",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)

    assert config["admin"] == {"disabled": True}
    http = config["apps"]["http"]
    assert (http["http_port"], http["https_port"]) == (18080, 18443)
    listens = {address for server in http["servers"].values() for address in server["listen"]}
    assert listens == {"127.0.0.1:18080", "127.0.0.1:18443"}
    automation = config["apps"]["tls"]["automation"]
    assert automation["on_demand"]["ask"] == "http://127.0.0.1:18000/internal/tls-ask"
    assert all(policy["issuers"] == [{"module": "internal"}] for policy in automation["policies"])
    proxies = [h for h in _handlers(http) if h["handler"] == "reverse_proxy"]
    assert proxies
    assert all(proxy["upstreams"] == [{"dial": "127.0.0.1:18000"}] for proxy in proxies)


def _handlers(node):
    """Every HTTP handler in an adapted Caddy config, however deeply nested."""
    if isinstance(node, dict):
        if "handler" in node:
            yield node
        for value in node.values():
            yield from _handlers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _handlers(value)


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_starts_web_and_worker_after_migrations():
    services = _compose()["services"]

    assert {"postgres", "migrate", "web", "worker", "caddy"} <= services.keys()
    for name in ("web", "worker"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]


def test_compose_shares_one_cache_between_processes():
    # Throttles, sign-in cool-offs and cached fragments are counted in the cache: a cache
    # per gunicorn worker would multiply every limit by the number of workers.
    services = _compose()["services"]

    for name in ("migrate", "web", "worker"):
        assert services[name]["environment"]["CACHE_URL"] == "dbcache://entraide_cache", name
    assert "createcachetable" in services["migrate"]["command"][-1]


def test_compose_exposes_only_caddy():
    # gunicorn trusts X-Forwarded-Proto from any peer (forwarded_allow_ips="*"),
    # which is safe only while Caddy is its sole client.
    services = _compose()["services"]

    published = {name for name, service in services.items() if service.get("ports")}

    assert published == {"caddy"}


def test_compose_requires_secrets_and_shares_media():
    services = _compose()["services"]

    for name in ("migrate", "web", "worker"):
        environment = services[name]["environment"]
        for variable in ("SECRET_KEY", "PLATFORM_DOMAIN"):
            assert re.fullmatch(rf"\$\{{{variable}:\?[^}}]+\}}", environment[variable]), name
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"], name
        assert environment["MEDIA_ROOT"] == "/data/media", name
    web_volumes = set(services["web"]["volumes"])
    assert any(volume.endswith(":/data/media") for volume in web_volumes)
    assert web_volumes == set(services["worker"]["volumes"])


def test_compose_runs_web_and_worker_through_pgbouncer_and_the_resilient_worker():
    services = _compose()["services"]

    pgbouncer = services["pgbouncer"]
    assert "./pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro" in pgbouncer["volumes"]
    assert pgbouncer["entrypoint"][-1].endswith("exec pgbouncer /etc/pgbouncer/pgbouncer.ini")
    assert pgbouncer["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker"):
        assert "@pgbouncer:6432/" in services[name]["environment"]["DATABASE_URL"], name
        assert services[name]["depends_on"]["pgbouncer"]["condition"] == "service_healthy", name
    # Migrations go straight to PostgreSQL.
    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    # The worker that carries on across a database restart, not procrastinate's own command.
    assert services["worker"]["command"] == ["python", "manage.py", "worker"]


def _pgbouncer_settings() -> dict[str, str]:
    settings = {}
    for line in (DEPLOY / "pgbouncer.ini").read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.lstrip().startswith(";"):
            settings[name.strip()] = value.strip()
    return settings


def test_pgbouncer_is_in_session_mode_with_a_bounded_server_lifetime():
    # tests/deploy/test_pgbouncer.py measures what server_lifetime bounds.
    settings = _pgbouncer_settings()

    assert settings["pool_mode"] == "session"
    assert settings["server_reset_query"] == "DISCARD ALL"
    assert int(settings["server_lifetime"]) == 600
    assert int(settings["server_idle_timeout"]) == 60
    assert settings["auth_type"] == "scram-sha-256"
    assert settings["auth_file"].startswith("/tmp/")  # noqa: S108 - written at each start
    assert settings["*"] == "host=postgres port=5432"


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined."""
    instructions = []
    pending = ""
    for raw in (DEPLOY / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def test_dockerfile_runs_as_unprivileged_user_with_compiled_messages():
    instructions = _dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    final_stage = instructions[last_from:]
    runs = [
        (i, arguments) for i, (keyword, arguments) in enumerate(final_stage) if keyword == "RUN"
    ]
    users = [
        (i, arguments) for i, (keyword, arguments) in enumerate(final_stage) if keyword == "USER"
    ]

    assert users, "the final stage never leaves root"
    user_index, user = users[-1]
    assert user.split(":")[0] not in {"root", "0"}
    installs = [i for i, arguments in runs if re.search(r"(apt-get|pip) install", arguments)]
    assert installs, "no install step found in the final stage"
    assert user_index > max(installs)
    assert any("manage.py compilemessages" in arguments for _, arguments in runs)
    assert any("manage.py collectstatic --noinput" in arguments for _, arguments in runs)
    cmd = [arguments for keyword, arguments in final_stage if keyword == "CMD"][-1]
    assert json.loads(cmd) == [
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "config.wsgi:application",
    ]


def _gunicorn_settings(monkeypatch, **environ: str) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    namespace = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and not callable(value) and not hasattr(value, "__spec__")
    }


def test_gunicorn_config_reads_environment_and_logs_no_personal_data(monkeypatch):
    gunicorn_config = pytest.importorskip("gunicorn.config")
    glogging = pytest.importorskip("gunicorn.glogging")

    defaults = _gunicorn_settings(monkeypatch)
    settings = _gunicorn_settings(monkeypatch, PORT="9000", WEB_CONCURRENCY="3")

    assert defaults["bind"] == "0.0.0.0:8000"
    assert 1 <= defaults["workers"] <= 2 * (os.cpu_count() or 1) + 1
    assert settings["bind"] == "0.0.0.0:9000"
    assert settings["workers"] == 3
    assert (settings["worker_class"], settings["threads"]) == ("gthread", 4)
    config = gunicorn_config.Config()
    unknown = set(settings) - set(config.settings)
    assert not unknown, f"gunicorn ignores these names: {sorted(unknown)}"
    for name, value in settings.items():
        config.set(name, value)

    log_format = config.access_log_format
    # Query string, request line, referer, user agent, client address: as atoms
    # (case-sensitive) or as header/environ atoms (case-insensitive).
    forbidden = re.compile(
        r"%\((?:[qrfah]"
        r"|(?i:\{(?:referer|user-agent|x-forwarded-for|x-real-ip|forwarded)\}i)"
        r"|(?i:\{(?:query_string|raw_uri|request_uri|http_referer|remote_addr)\}e))\)s"
    )
    assert not forbidden.findall(log_format)
    assert re.search(r"%\(\{host\}i\)s", log_format, re.IGNORECASE)

    # Render a line the way gunicorn does, from a request full of personal data.
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/forums/search",
        "QUERY_STRING": "q=alice.martin%40example.org",
        "RAW_URI": "/forums/search?q=alice.martin%40example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_HOST": "poumon.entraide.example",
        "HTTP_REFERER": "https://poumon.entraide.example/members/alice-martin/",
        "HTTP_USER_AGENT": "AliceBrowser/1.0",
    }
    request = SimpleNamespace(
        headers=[
            ("HOST", "poumon.entraide.example"),
            ("REFERER", environ["HTTP_REFERER"]),
            ("USER-AGENT", environ["HTTP_USER_AGENT"]),
            ("X-FORWARDED-FOR", "198.51.100.23"),
        ]
    )
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger = glogging.Logger(config)
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    )

    line = log_format % atoms

    assert "poumon.entraide.example" in line
    assert "/forums/search" in line
    for personal in ("alice", "203.0.113.7", "198.51.100.23", "AliceBrowser"):
        assert personal not in line, line
