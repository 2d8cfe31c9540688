"""Finding: /internal/tls-ask answered anyone, on every host, through Caddy, telling them
which domains are verified networks. Only the proxy may ask."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tenants.models import Domain

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
ASK = "/internal/tls-ask"


@pytest.fixture
def verified_domain(tenant):
    with schema_context("public"):
        Domain.objects.create(domain="verifie.fr", tenant=tenant, verified=True)
    return "verifie.fr"


def test_the_proxy_on_loopback_gets_its_answer(verified_domain, client):
    response = client.get(ASK, {"domain": verified_domain}, REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200


@pytest.mark.parametrize("remote_addr", ["203.0.113.7", "10.0.0.5", "2001:db8::1"])
def test_an_address_outside_the_allow_list_gets_404(verified_domain, client, remote_addr):
    response = client.get(ASK, {"domain": verified_domain}, REMOTE_ADDR=remote_addr)

    assert response.status_code == 404


def test_the_allow_list_is_a_setting_of_networks(verified_domain, client, settings):
    settings.TLS_ASK_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    inside = client.get(ASK, {"domain": verified_domain}, REMOTE_ADDR="10.1.2.3")
    loopback = client.get(ASK, {"domain": verified_domain}, REMOTE_ADDR="127.0.0.1")

    assert inside.status_code == 200
    assert loopback.status_code == 404


def test_a_request_relayed_by_the_proxy_for_a_client_gets_404(verified_domain, client):
    # Caddy adds X-Forwarded-For to what it relays; its own ask carries none.
    response = client.get(
        ASK, {"domain": verified_domain}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )

    assert response.status_code == 404


@pytest.mark.skipif(shutil.which("caddy") is None, reason="caddy is not installed")
def test_caddy_answers_404_to_internal_paths_before_proxying(tmp_path):
    env = {
        **os.environ,
        "PLATFORM_DOMAIN": "entraide.example",
        "ACME_EMAIL": "ops@entraide.example",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        ["caddy", "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    servers = json.loads(result.stdout)["apps"]["http"]["servers"]

    proxied_hosts = 0
    for server in servers.values():
        for route in server["routes"]:
            handlers = json.dumps(route)
            if "reverse_proxy" not in handlers:
                continue
            proxied_hosts += 1
            # Within each site, a route matching /internal/* answers 404 before any proxy.
            subroutes = route["handle"][0]["routes"]
            blocked = [
                i
                for i, sub in enumerate(subroutes)
                if any("/internal/*" in m.get("path", []) for m in sub.get("match", []))
                and any(h.get("status_code") == 404 for h in sub["handle"])
            ]
            proxying = [i for i, sub in enumerate(subroutes) if "reverse_proxy" in json.dumps(sub)]
            assert blocked, route
            assert min(blocked) < min(proxying)
    assert proxied_hosts >= 2
