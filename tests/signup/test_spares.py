"""Spare clones of the template (provisioning.cloning): made ahead by the job a sign-up
defers, renamed into the next network, never taken once the template has migrated."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from provisioning import cloning
from provisioning import services as provisioning
from shared_apps.signup import services
from shared_apps.signup.models import SignupRequest
from tenant_apps.members.models import Invitation
from tenants.models import Tenant
from tests.jobs import JobQueue, committed
from tests.signup.factories import form_data, platform_client, representative

pytestmark = pytest.mark.django_db

SPARES_JOB = "shared_apps.signup.jobs.spares_fill"


def _spares() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY 1",
            [cloning.SPARE_PREFIX],
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_sign_up_renames_the_spare_its_predecessor_left(db, settings):
    settings.SIGNUP_SPARE_SCHEMAS = 1
    with schema_context("public"):
        provisioning.platform_ensure()
        provisioning.template_ensure()
        # A spare of an older state of the template: never taken, dropped by the next fill.
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{cloning.SPARE_PREFIX}0000000000000000__old"')
        queue = JobQueue()
        with committed():
            platform_client(representative("rep-spare")).post(
                "/inscription/reseau/", form_data("premier-spare")
            )
        # The first creation finds no spare of the current state: it clones, then asks
        # for one.
        after_creation = JobQueue()
        queue.run("network_create")
        assert Tenant.objects.filter(slug="premier-spare").exists()
        assert after_creation.run("spares_fill") == [SPARES_JOB]
        [spare] = _spares()
        assert spare.startswith(cloning.SPARE_PREFIX) and not spare.endswith("__old")

        queue = JobQueue()
        with committed():
            platform_client(representative("rep-spare-2")).post(
                "/inscription/reseau/", form_data("second-spare")
            )
        queue.run("network_create")
        assert _spares() == []  # renamed into the new network
        second = Tenant.objects.get(slug="second-spare")
        assert SignupRequest.objects.get(subdomain="second-spare").status == "ready"
        with tenant_context(second):
            # Its tables, the template's rows and the network's own seeds are there.
            assert Invitation.objects.count() == 1
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = %s", [second.schema_name]
                )
                tables = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = %s",
                    [settings.TENANT_BASE_SCHEMA],
                )
                assert tables == cursor.fetchone()[0] > 50
        connection.set_schema_to_public()
        assert services.SPARES_JOB == SPARES_JOB
