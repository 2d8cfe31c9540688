"""The plan's storage limit on every upload of a network, through one check
(``billing.limits.upload_check``): an event's cover and an experience's image refused with
"… of … used" and nothing stored, the admins told before the limit is reached."""

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from shared_apps.billing import limits, services
from shared_apps.billing.models import Plan
from tenant_apps.events.models import Event
from tenant_apps.members.models import Role
from tenant_apps.social.models import Experience
from tenants import hosts
from tenants.models import Tenant
from tests.events.factories import picture
from tests.members.factories import account

pytestmark = pytest.mark.django_db


def _small_plan(tenant, *, storage_mb: int = 2) -> None:
    """The network's organization on a plan of ``storage_mb`` MB per network."""
    with schema_context("public"):
        organization = Tenant.objects.select_related("organization").get(pk=tenant.pk).organization
        subscription = services.subscription_start_free(organization=organization)
        subscription.plan = Plan.objects.create(
            code="petit", name="Petit", max_networks=1, max_members=50,
            max_storage_mb=storage_mb, interval=Plan.Interval.MONTH, price_cents=100,
        )  # fmt: skip
        subscription.status = "active"
        subscription.save()
    hosts.forget_hosts()
    tenant.organization = organization


def _fill(tenant, settings, nbytes: int) -> None:
    folder = settings.MEDIA_ROOT / tenant.schema_name / "existing"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "archive.bin", "wb") as sparse:  # its size, not its blocks, counts
        sparse.truncate(nbytes)


def _stored_files(tenant, settings, kind: str) -> list:
    folder = settings.MEDIA_ROOT / tenant.schema_name / kind
    return list(folder.iterdir()) if folder.exists() else []


def test_the_amount_reads_in_the_plan_s_unit():
    with translation.override("en"):
        assert limits.storage_amount(int(1.8 * 1024**3), 2048) == "1.8 of 2 GB used"
        assert limits.storage_amount(3 * limits.MB, 500) == "3.0 of 500 MB used"
        assert limits.storage_amount(limits.MB // 2, 1536) == "0.0 of 1.5 GB used"


def test_an_event_cover_over_the_plan_is_refused_on_its_field(tenant, settings, client_as):
    _small_plan(tenant)
    _fill(tenant, settings, 2 * limits.MB - 100)  # a cover takes more than 100 bytes
    admin = account("Alice", Role.ADMIN)
    response = client_as(admin).post(
        "/api/events/",
        {
            "title": "Atelier photo",
            "format": "in_person",
            "description": "Venez",
            "starts_at": "2031-05-04T10:00:00+02:00",
            "ends_at": "2031-05-04T12:00:00+02:00",
            "place": "Maison des associations",
            "cover": picture(),
        },  # fmt: skip
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"cover"}
    assert "2.0 of 2 MB used" in str(response.json()["cover"])
    assert not Event.objects.exists()
    assert _stored_files(tenant, settings, "events") == []

    # With room (a larger plan), the same cover is taken.
    with schema_context("public"):
        Plan.objects.filter(code="petit").update(max_storage_mb=3)
    hosts.forget_hosts()
    response = client_as(admin).post(
        "/api/events/",
        {
            "title": "Atelier photo",
            "format": "in_person",
            "description": "Venez",
            "starts_at": "2031-05-04T10:00:00+02:00",
            "ends_at": "2031-05-04T12:00:00+02:00",
            "place": "Maison des associations",
            "cover": picture(),
        },  # fmt: skip
    )
    assert response.status_code == 201, response.content
    assert len(_stored_files(tenant, settings, "events")) == 1


def test_an_experience_image_over_the_plan_is_refused_and_the_text_kept(
    tenant, settings, client_as
):
    _small_plan(tenant)
    _fill(tenant, settings, 2 * limits.MB - 100)
    author = account("Elsa")
    response = client_as(author).post(
        "/experiences/nouvelle/",
        {"body": "Gardé malgré tout", "audience": "network", "image": picture()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2.0 of 2 MB used" in page and "does not fit" in page
    assert "Gardé malgré tout" in page
    assert not Experience.objects.exists()
    assert _stored_files(tenant, settings, "experiences") == []


def test_admins_see_the_amount_before_the_limit_is_reached(tenant, settings, client_as):
    _small_plan(tenant, storage_mb=10)
    admin = client_as(account("Alice", Role.ADMIN))
    page = admin.get("/association/membres/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "of 10 MB used" not in page  # nothing stored yet: nothing to say
    limits.storage_used_bytes(limits.current_tenant(), fresh=True)
    _fill(tenant, settings, int(9.4 * limits.MB))
    limits.storage_used_bytes(limits.current_tenant(), fresh=True)  # what a check measures
    page = admin.get("/association/membres/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Files: 9.4 of 10 MB used. Your plan's limit is near" in page
