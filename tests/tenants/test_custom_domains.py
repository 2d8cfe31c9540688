"""Custom domains: an admin adds their own domain, proves it with a TXT record, and only then
does it serve the network and get a certificate; the record removed, it stops.

The DNS is a server the tests control (tests/tenants/fakedns.py), on loopback, which
dnspython asks through ``settings.DNS_RESOLVER``.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tenant_apps.members.models import Role
from tenants import domains, hosts
from tenants.domains import hostname_clean
from tenants.links import tenant_base_url
from tenants.models import AuditEntry, Domain, Tenant
from tests.members.factories import account
from tests.tenants import fakedns
from tests.tenants.fakedns import CNAME_TARGET as TARGET

ASK = "/internal/tls-ask"
HOST = "reseau-poumon.fr"
PAGE = "/association/domaines/"
fake_dns, zone = fakedns.fake_dns, fakedns.zone  # the DNS server the tests control


@pytest.fixture
def admin(tenant):
    return account("Alice", Role.ADMIN)


@pytest.fixture
def admin_client(admin, client_as):
    return client_as(admin)


def publish(zone, domain: Domain, *, cname: bool = True) -> None:
    zone.txt(f"_entraide.{domain.domain}", domain.verification_token)
    if cname:
        zone.add(domain.domain, "CNAME", TARGET)


def ask(hostname: str) -> int:
    return Client().get(ASK, {"domain": hostname}, REMOTE_ADDR="127.0.0.1").status_code


def home(hostname: str) -> int:
    return Client(HTTP_HOST=hostname).get("/").status_code


def audited(action: str) -> list[dict]:
    with schema_context("public"):
        return list(
            AuditEntry.objects.filter(action=action, tenant_slug="alpha").values_list(
                "detail", flat=True
            )
        )


def stored(hostname: str = HOST) -> Domain:
    with schema_context("public"):
        return Domain.objects.get(domain=hostname)


# --- What a hostname may be ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Reseau-Poumon.FR.", "reseau-poumon.fr"),
        ("  https://www.Mon-Association.org/accueil  ", "www.mon-association.org"),
        ("réseau-santé.fr", "xn--rseau-sant-b7aj.fr"),
        ("xn--rseau-sant-b7aj.fr", "xn--rseau-sant-b7aj.fr"),
        ("ｅｘａｍｐｌｅ.fr", "example.fr"),  # full-width letters are the same name
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),  # one script in each label
        ("東京.jp", "xn--1lqs71d.jp"),
    ],
)
def test_a_hostname_is_kept_in_its_ascii_lowercase_form(typed, kept):
    assert hostname_clean(typed) == kept


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "invalid_hostname"),
        ("reseau", "invalid_hostname"),
        ("1.2.3.4", "invalid_hostname"),
        ("[::1]", "invalid_hostname"),
        ("exam_ple.fr", "invalid_hostname"),
        ("*.example.org", "invalid_hostname"),
        ("-reseau.fr", "invalid_hostname"),
        ("a..b.fr", "invalid_hostname"),
        ("reseau poumon.fr", "invalid_hostname"),
        ("reseau\x00.fr", "invalid_hostname"),
        ("alpha.localhost", "invalid_hostname"),
        ("reseau.test", "invalid_hostname"),
        ("x" * 64 + ".fr", "invalid_hostname"),
        ("a" * 1_000_000, "hostname_too_long"),
        ("pаypal.com", "lookalike_hostname"),  # a Cyrillic а among Latin letters
        ("аррӏе.com", "lookalike_hostname"),  # Cyrillic only, every letter looks Latin
        ("xn--80ak6aa92e.com", "lookalike_hostname"),  # the same, typed in punycode
        ("gοogle.fr", "lookalike_hostname"),  # a Greek ο
    ],
)
def test_what_is_not_a_domain_of_ones_own_is_refused(typed, code):
    with pytest.raises(ValidationError) as refused:
        hostname_clean(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "typed", ["entraide.fr", "POUMON.entraide.fr.", "a.b.entraide.fr", "edge.cdn-entraide.net"]
)
def test_the_platforms_own_names_are_refused(settings, typed):
    settings.PLATFORM_DOMAIN = "entraide.fr"
    settings.CUSTOM_DOMAIN_CNAME_TARGET = "edge.cdn-entraide.net"
    with pytest.raises(ValidationError) as refused:
        hostname_clean(typed)
    assert refused.value.code == "platform_hostname"
    assert hostname_clean("entraide-france.fr") == "entraide-france.fr"


# --- The whole life of a custom domain -------------------------------------------------------


def test_a_custom_domain_serves_only_while_its_record_is_verified(
    tenant, admin, admin_client, zone
):
    # Added through the admins' page, typed as people do.
    response = admin_client.post(PAGE, {"domain": "Reseau-Poumon.FR."})
    assert response.status_code == 302
    domain = stored()
    assert not domain.verified and not domain.is_primary
    assert len(domain.verification_token) == 32
    assert audited("domain.add") == [{"domain": HOST}]
    with schema_context("public"):
        assert AuditEntry.objects.get(action="domain.add").actor == f"member:{admin.member.pk}"
    page = admin_client.get(PAGE).content.decode()
    assert f"_entraide.{HOST}" in page and domain.verification_token in page and TARGET in page

    # Unverified: Caddy gets no certificate for it, and the host is unknown.
    assert ask(HOST) == 404
    assert home(HOST) == 404

    # Checked before the record exists: still unverified, and said so.
    response = admin_client.post(f"{PAGE}{domain.pk}/verifier/", follow=True)
    assert "pas encore" in response.content.decode() or "not found" in response.content.decode()
    assert not stored().verified and stored().checked_at is not None

    # The record published: verified, served, certified.
    publish(zone, domain)
    admin_client.post(f"{PAGE}{domain.pk}/verifier/")
    domain = stored()
    assert domain.verified and domain.verified_at is not None
    assert audited("domain.verify") == [{"domain": HOST}]
    assert ask(HOST) == 200
    assert home(HOST) == 200
    assert home("RESEAU-POUMON.fr.") == 200  # as a browser may write it

    # It becomes the main address: links are built on it.
    admin_client.post(f"{PAGE}{domain.pk}/principal/")
    assert stored().is_primary and not stored("alpha.localhost").is_primary
    assert audited("domain.primary") == [{"domain": HOST}]
    with schema_context("public"):
        assert tenant_base_url(Tenant.objects.get(pk=tenant.pk)).endswith(f"://{HOST}")

    # The record removed: the hourly job finds it gone, and the domain stops being served at
    # once (the cached resolution is forgotten), the platform address main again.
    zone.remove(f"_entraide.{HOST}")
    counts = domains.domains_recheck()
    assert counts["unverified"] == 1
    domain = stored()
    assert not domain.verified and not domain.is_primary
    assert stored("alpha.localhost").is_primary
    assert audited("domain.unverify") == [{"domain": HOST}]
    assert ask(HOST) == 404
    assert home(HOST) == 404
    assert home("alpha.localhost") == 200

    # Published again, the job verifies it by itself; then the admin removes it.
    publish(zone, domain, cname=False)
    assert domains.domains_recheck()["verified"] == 1
    assert home(HOST) == 200
    admin_client.post(f"{PAGE}{domain.pk}/supprimer/")
    with schema_context("public"):
        assert not Domain.objects.filter(domain=HOST).exists()
    assert audited("domain.remove") == [{"domain": HOST}]
    assert home(HOST) == 404 and ask(HOST) == 404


def test_the_platform_subdomain_stays_and_only_a_verified_domain_that_leads_here_is_main(
    tenant, admin, zone
):
    platform = stored("alpha.localhost")
    with pytest.raises(ValidationError):
        domains.domain_remove(domain=platform, actor=admin.member)
    with pytest.raises(ValidationError):
        domains.domain_verify(domain=platform, actor=admin.member)
    domain = domains.domain_add(tenant=tenant, hostname=HOST, actor=admin.member)
    with pytest.raises(ValidationError, match="Vérifiez|Verify"):
        domains.domain_make_primary(domain=domain, actor=admin.member)

    # Verified, but its CNAME not created yet: links would lead nowhere.
    publish(zone, domain, cname=False)
    assert domains.domain_verify(domain=domain, actor=admin.member).points_here is False
    with pytest.raises(ValidationError) as refused:
        domains.domain_make_primary(domain=domain, actor=admin.member)
    assert refused.value.code == "not_pointing"
    # An apex domain cannot have a CNAME: the platform's own addresses are as good.
    zone.add(HOST, "A", "192.0.2.10")  # the target's own address
    domains.domain_make_primary(domain=domain, actor=admin.member)
    assert stored().is_primary

    # The main domain cannot be removed; the platform address may be main again at any time.
    with pytest.raises(ValidationError):
        domains.domain_remove(domain=stored(), actor=admin.member)
    domains.domain_make_primary(domain=platform, actor=admin.member)
    assert stored("alpha.localhost").is_primary and not stored().is_primary
    domains.domain_remove(domain=stored(), actor=admin.member)
    with schema_context("public"):
        assert list(Domain.objects.filter(tenant=tenant).values_list("domain", flat=True)) == [
            "alpha.localhost"
        ]


def test_a_dns_that_does_not_answer_changes_nothing_until_the_grace_period_ends(
    tenant, admin, zone
):
    domain = domains.domain_add(tenant=tenant, hostname=HOST, actor=admin.member)
    publish(zone, domain)
    domains.domain_verify(domain=domain, actor=admin.member)
    zone.failing.add(f"_entraide.{HOST}")

    with pytest.raises(domains.Lookup):
        domains.domain_verify(domain=domain, actor=admin.member)
    assert domains.domains_recheck()["unanswered"] == 1
    assert stored().verified

    with schema_context("public"):
        Domain.objects.filter(pk=domain.pk).update(
            checked_at=timezone.now() - datetime.timedelta(hours=73)
        )
    domains.domains_recheck()
    assert not stored().verified
    assert audited("domain.unverify") == [{"domain": HOST, "reason": "unanswered"}]


def test_a_custom_domain_made_without_a_token_gets_one_when_checked(tenant, admin, zone):
    # Provisioning's --domain and the operators' admin make custom domains without a token.
    with schema_context("public"):
        domain = Domain.objects.create(domain=HOST, tenant=tenant, is_primary=False)
    check = domains.domain_verify(domain=domain, actor=admin.member)
    assert not check.proof
    assert len(stored().verification_token) == 32 and not stored().verified


def test_the_recheck_is_a_periodic_job_of_the_public_schema():
    from procrastinate.contrib.django import app

    import tenants.jobs  # noqa: F401 - registers the task

    assert "tenants.domains_recheck" in app.tasks
    periodic = [task.task.name for task in app.periodic_registry.periodic_tasks.values()]
    assert "tenants.domains_recheck" in periodic


# --- Attacks -----------------------------------------------------------------------------------


def test_a_domain_of_another_network_is_refused_without_naming_it(
    tenant, other_tenant, admin_client
):
    with schema_context("public"):
        Domain.objects.create(domain=HOST, tenant=other_tenant, is_primary=False)

    response = admin_client.post(PAGE, {"domain": HOST.upper()})

    assert response.status_code == 200
    page = response.content.decode()
    assert "déjà utilisé" in page or "already used" in page
    assert "beta" not in page.lower()
    assert f'value="{HOST.upper()}"' in page  # what was typed is kept
    with schema_context("public"):
        assert Domain.objects.get(domain=HOST).tenant_id == other_tenant.pk
        assert not AuditEntry.objects.filter(action="domain.add").exists()


def test_a_double_submit_adds_one_domain(tenant, admin_client):
    first = admin_client.post(PAGE, {"domain": HOST})
    second = admin_client.post(PAGE, {"domain": HOST})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "déjà une des adresses" in second.content.decode() or "already one" in (
        second.content.decode()
    )
    with schema_context("public"):
        assert Domain.objects.filter(domain=HOST).count() == 1


def test_a_megabyte_hostname_is_a_form_error(tenant, admin_client):
    response = admin_client.post(PAGE, {"domain": "a" * 1_000_000 + ".fr"})

    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    with schema_context("public"):
        assert Domain.objects.filter(tenant=tenant).count() == 1


def test_a_network_has_a_limit_of_custom_domains(tenant, admin, settings):
    settings.CUSTOM_DOMAINS_MAX = 2
    for name in ("un.fr", "deux.fr"):
        domains.domain_add(tenant=tenant, hostname=name, actor=admin.member)
    with pytest.raises(ValidationError) as refused:
        domains.domain_add(tenant=tenant, hostname="trois.fr", actor=admin.member)
    assert refused.value.error_dict["domain"][0].code == "too_many"


@pytest.mark.parametrize(
    ("host", "status"),
    [
        (HOST, 404),  # added, never verified
        ("inconnu.fr", 404),
        ("alpha.localhost.evil.fr", 404),
        ("evil.fr#alpha.localhost", 400),
        ("alpha.localhost@evil.fr", 400),
        ("alpha.localhost:80:80", 400),
    ],
)
def test_a_hostile_or_unverified_host_header_is_not_the_network(tenant, admin, host, status):
    domains.domain_add(tenant=tenant, hostname=HOST, actor=admin.member)
    response = Client(HTTP_HOST=host).get("/")
    # Unknown hosts are the product's 404; malformed ones Django's 400: never the network.
    assert response.status_code == status
    assert "Réseau alpha" not in response.content.decode()


def test_checking_another_networks_domain_by_id_is_404_and_changes_nothing(
    tenant, other_tenant, admin_client, zone
):
    with schema_context("public"):
        theirs = Domain.objects.create(
            domain=HOST, tenant=other_tenant, is_primary=False, verification_token="t" * 32
        )
    for action in ("verifier", "principal", "supprimer"):
        assert admin_client.post(f"{PAGE}{theirs.pk}/{action}/").status_code == 404
    with schema_context("public"):
        theirs_now = Domain.objects.get(pk=theirs.pk)
        assert (theirs_now.tenant_id, theirs_now.checked_at) == (other_tenant.pk, None)
    assert zone.queries == []


def test_two_networks_adding_one_domain_at_once_get_one_winner_and_one_clear_error(
    tenant, other_tenant
):
    """Two requests on two connections, each committing: the unique constraint lets one in;
    the other is told the domain is taken (a ValidationError, not a 500)."""
    alpha = Tenant.objects.get(pk=tenant.pk)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def add(network: Tenant) -> None:
        try:
            barrier.wait(timeout=10)
            results[network.slug] = domains.domain_add(
                tenant=network, hostname="partage.fr", actor="test:race"
            )
        except ValidationError as error:
            results[network.slug] = error
        except BaseException as error:  # noqa: BLE001 - reported by the assertion
            results[network.slug] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in (alpha, other_tenant)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        won = [r for r in results.values() if isinstance(r, Domain)]
        lost = [r for r in results.values() if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert lost[0].error_dict["domain"][0].code == "taken"
    finally:
        # The threads committed: take their rows out, on a connection of their own.
        def clean() -> None:
            try:
                with schema_context("public"):
                    Domain.objects.filter(domain="partage.fr").delete()
                    AuditEntry.objects.filter(actor="test:race").delete()
            finally:
                connection.close()

        cleaner = threading.Thread(target=clean)
        cleaner.start()
        cleaner.join(timeout=30)
        hosts.forget_hosts()


def test_the_page_costs_the_same_queries_for_one_domain_or_five(tenant, admin, admin_client, zone):
    admin_client.get(PAGE)  # the session, the member and the host are cached after this
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(PAGE).status_code == 200
    for name in ("un.fr", "deux.fr", "trois.fr", "quatre.fr"):
        domains.domain_add(tenant=tenant, hostname=name, actor=admin.member)
    admin_client.get(PAGE)
    with CaptureQueriesContext(connection) as more:
        page = admin_client.get(PAGE)
    assert len(more) == len(few) > 0, [q["sql"] for q in more.captured_queries]
    assert page.content.decode().count('class="card domain"') == 5
    assert zone.queries == []  # showing the page asks the DNS nothing


def test_checks_now_are_limited_per_admin(tenant, admin, admin_client, zone, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "domains.check": "1/hour"}
    domain = domains.domain_add(tenant=tenant, hostname=HOST, actor=admin.member)
    admin_client.post(f"{PAGE}{domain.pk}/verifier/")
    asked = len(zone.queries)

    response = admin_client.post(f"{PAGE}{domain.pk}/verifier/", follow=True)

    assert response.status_code == 200
    assert len(zone.queries) == asked  # refused before the DNS is asked
    assert "Réessayez dans" in response.content.decode() or "Try again in" in (
        response.content.decode()
    )
