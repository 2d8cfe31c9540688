"""A care provider is in the offer once: same name and city, whatever the case
(``pro_care_provider_once``). The form, the API and the CSV import answer with a message, not
a 500, also when the same provider is saved between their check and their write, and when two
admins save it at the same instant (two real connections)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from tenant_apps.members.models import AuditEntry, Role
from tenant_apps.pro.care import csv_io, services
from tenant_apps.pro.models import CareProvider
from tests.members.factories import account

pytestmark = pytest.mark.django_db

DUPLICATE = "This provider is already in the care offer (same name and city)."
FIELDS = {"name": "Centre de radiothérapie du Poitou", "kind": "establishment",
          "city": "Poitiers", "department": "86"}  # fmt: skip


@pytest.fixture
def admin(tenant):
    return account("Ada", role=Role.ADMIN).member


def _someone_saves_it_meanwhile(monkeypatch, **values):
    """Between the service's check and its write, another admin saves the same provider."""
    checked = services._prepared

    def then_saved_elsewhere(provider):
        checked(provider)
        CareProvider.objects.create(**{**FIELDS, **values, "region": "75"})
        return provider

    monkeypatch.setattr(services, "_prepared", then_saved_elsewhere)


def test_the_database_refuses_the_same_name_and_city_in_another_case(admin):
    CareProvider.objects.create(**FIELDS, region="75")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareProvider.objects.create(**{**FIELDS, "name": FIELDS["name"].upper(),
                                       "city": "POITIERS"}, region="75")  # fmt: skip
    # Same name in another city is another provider.
    CareProvider.objects.create(**{**FIELDS, "city": "Niort", "department": "79"}, region="75")


def test_a_save_between_the_check_and_the_write_is_the_name_s_error(admin, client_as, monkeypatch):
    _someone_saves_it_meanwhile(monkeypatch, name=FIELDS["name"].lower())
    with pytest.raises(ValidationError) as refused:
        services.provider_create(actor=admin, **FIELDS)
    assert refused.value.message_dict == {"name": [gettext(DUPLICATE)]}
    assert CareProvider.objects.count() == 1
    # Through the API: 400 on the name, never a 500.
    CareProvider.objects.all().delete()
    response = client_as(admin).post(
        "/api/pro/care/providers/", FIELDS, content_type="application/json"
    )
    assert response.status_code == 400 and response.json() == {"name": [gettext(DUPLICATE)]}
    assert CareProvider.objects.count() == 1


def test_an_import_that_meets_a_provider_saved_meanwhile_imports_nothing(
    admin, client_as, monkeypatch
):
    data = (
        "name;kind;city;department\n"
        "Clinique du Parc;establishment;Poitiers;86\n"
        f"{FIELDS['name']};establishment;Poitiers;86\n"
    ).encode()
    parsed = csv_io.parse(data)
    assert parsed.errors == []
    CareProvider.objects.create(**FIELDS, region="75")  # saved after the check
    monkeypatch.setattr(csv_io, "parse", lambda _data: parsed)
    response = client_as(admin).post(
        "/offre-de-soins/importer/", {"file": SimpleUploadedFile("offre.csv", data)}
    )
    assert response.status_code == 200
    meanwhile = gettext(
        "A provider of this file was added to the care offer meanwhile (same name and city); "
        "nothing was imported. Send the file again."
    )
    assert [e.message for e in response.context["errors"]] == [meanwhile]
    assert list(CareProvider.objects.values_list("name", flat=True)) == [FIELDS["name"]]


def test_two_admins_saving_the_same_provider_at_once_make_one(tenant, admin, monkeypatch):
    """Two threads, each with its own connection and transaction, both pass the check before
    either writes: the constraint keeps one, the other gets the name's error."""
    both_checked = threading.Barrier(2, timeout=10)
    checked = services._prepared

    def check_then_wait(provider):
        checked(provider)
        both_checked.wait()
        return provider

    monkeypatch.setattr(services, "_prepared", check_then_wait)
    outcomes: list[object] = []

    def save(name: str) -> None:
        try:
            with tenant_context(tenant):
                outcomes.append(services.provider_create(actor=None, **{**FIELDS, "name": name}))
        except ValidationError as error:
            outcomes.append(error.message_dict)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,))
               for name in (FIELDS["name"], FIELDS["name"].upper())]  # fmt: skip
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        saved = [o for o in outcomes if isinstance(o, CareProvider)]
        refused = [o for o in outcomes if isinstance(o, dict)]
        assert len(saved) == 1 and refused == [{"name": [gettext(DUPLICATE)]}]
    finally:
        # Those two connections committed: take their rows out of the shared network.
        def clean() -> None:
            try:
                with tenant_context(tenant):
                    ids = list(
                        CareProvider.objects.filter(name__iexact=FIELDS["name"]).values_list(
                            "pk", flat=True
                        )
                    )
                    AuditEntry.objects.filter(
                        action="pro_care_provider_create", detail__provider__in=ids
                    ).delete()
                    CareProvider.objects.filter(pk__in=ids).delete()
            finally:
                connection.close()

        cleaner = threading.Thread(target=clean)
        cleaner.start()
        cleaner.join(timeout=30)
