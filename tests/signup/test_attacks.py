"""Attacks on sign-up: addresses in capitals, in another alphabet, reserved, taken, or
imitating another network's; the check as typed says the same as the form; two
representatives asking for one address at the same moment get one request, and the other a
clear error."""

import threading

import pytest
from django.db import close_old_connections, connection
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from provisioning import services as provisioning
from shared_apps.signup import services
from shared_apps.signup.models import SignupRequest
from tenants.models import Organization, Tenant
from tests.jobs import last_job_id
from tests.signup.factories import form_data, platform_client, representative


@pytest.fixture
def public(db):
    with schema_context("public"):
        provisioning.platform_ensure()
        Tenant.objects.create(
            schema_name="poumon", slug="poumon", name="Poumon",
            organization=Organization.objects.create(name="Existante", slug="existante"),
        )  # fmt: skip
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("  Mon-Reseau ", "available"),  # capitals and spaces: the address in lower case
        ("poumon", "taken"),
        ("POUMON", "taken"),
        ("pоumon", "not_ascii"),  # a Cyrillic "о"
        ("ｐｏｕｍｏｎ", "not_ascii"),  # full-width letters
        ("p0umon", "lookalike"),
        ("pournon", "lookalike"),
        ("pou-mon", "lookalike"),
        ("admin", "reserved_slug"),
        ("pg-data", "reserved_slug"),
        ("xn--pumon-1va", "invalid_slug"),
        ("a", "invalid_slug"),
        ("mon_reseau", "invalid_slug"),
        ("x" * 41, "invalid_slug"),
    ],
)
def test_the_subdomain_rules(public, typed, verdict):
    if verdict == "available":
        assert services.subdomain_check(subdomain=typed) == "mon-reseau"
        return
    with pytest.raises(Exception) as refused:
        services.subdomain_check(subdomain=typed)
    assert refused.value.code == verdict, refused.value


@pytest.mark.django_db
def test_the_check_as_typed_answers_a_fragment_for_the_live_region(public):
    client = platform_client(representative("rep-typing"))
    free = client.get("/inscription/adresse/", {"subdomain": "Mon-Reseau"})
    assert free.status_code == 200
    assert "mon-reseau.localhost" in free.content.decode()
    assert free.context["availability"].available
    taken = client.get("/inscription/adresse/", {"subdomain": "p0umon"})
    assert taken.status_code == 200 and not taken.context["availability"].available
    # 1 MB typed into the field: cut, refused, never an error page.
    huge = client.get("/inscription/adresse/", {"subdomain": "a" * 1_000_000})
    assert huge.status_code == 200 and not huge.context["availability"].available
    assert client.get("/inscription/adresse/", {"subdomain": ""}).content.strip() == b""
    # What the form sends for an address refused as typed: the same words.
    response = client.post("/inscription/reseau/", form_data("p0umon"))
    assert response.status_code == 400
    assert response.context["form"].errors["subdomain"] == [taken.context["availability"].message]
    assert not SignupRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_representatives_asking_for_one_address_at_once_get_one_request(
    drop_tenant_schemas,
):
    with schema_context("public"):
        provisioning.platform_ensure()
        reps = [representative(f"rep-race-{n}") for n in range(2)]
        last_job = last_job_id()
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def ask(account) -> None:
        connection.set_schema_to_public()
        try:
            barrier.wait()
            outcomes.append(
                services.request_create(
                    account=account,
                    organization_name="Asso",
                    network_name="Réseau",
                    subdomain="course",
                )  # fmt: skip
            )
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=ask, args=(rep,)) for rep in reps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made = [o for o in outcomes if isinstance(o, SignupRequest)]
    refused = [o for o in outcomes if not isinstance(o, SignupRequest)]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert list(refused[0].message_dict) == ["subdomain"]
    assert "course.localhost" in refused[0].message_dict["subdomain"][0]
    with schema_context("public"):
        assert SignupRequest.objects.filter(subdomain="course").count() == 1
        # The refused one left no organization behind.
        assert Organization.objects.filter(name="Asso").count() == 1
        # One creation job; the queue's table outlives the test's flush: emptied here.
        jobs = ProcrastinateJob.objects.filter(id__gt=last_job)
        assert [job.task_name for job in jobs] == [services.PROVISION_JOB]
        jobs.delete()


@pytest.mark.django_db
def test_one_account_asks_for_at_most_five_networks_a_day(public):
    rep = representative("rep-greedy")
    client = platform_client(rep)
    for number in range(services.REQUESTS_PER_DAY):
        assert (
            client.post("/inscription/reseau/", form_data(f"gourmand-{number}")).status_code == 302
        )
    refused = client.post("/inscription/reseau/", form_data("gourmand-encore"))
    assert refused.status_code == 400
    assert refused.context["form"]["subdomain"].value() == "gourmand-encore"
    assert refused.context["form"].non_field_errors()
    assert SignupRequest.objects.filter(account=rep).count() == services.REQUESTS_PER_DAY
