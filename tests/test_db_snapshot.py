"""The matrices' "nothing changed" check (``tests.fixtures.db_snapshot``) sees every kind of
write a refused request could make, and ignores only what any signed-in request refreshes."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tenant_apps.members.models import Member, Pathology
from tests.fixtures import db_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(member_factory):
    return member_factory()


def test_an_insert_an_update_and_a_delete_each_show(member):
    before = db_snapshot()
    pathology = Pathology.objects.create(name="Nouvelle pathologie")
    assert db_snapshot() != before

    middle = db_snapshot()
    Pathology.objects.filter(pk=pathology.pk).update(name="Renommée")
    assert db_snapshot() != middle

    middle = db_snapshot()
    Pathology.objects.filter(pk=pathology.pk).delete()
    assert db_snapshot() != middle


def test_a_write_undone_by_a_savepoint_still_shows(member):
    before = db_snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        Pathology.objects.create(name="Annulée")
        raise RuntimeError
    assert db_snapshot() != before


def test_a_member_s_visit_times_do_not_show_but_the_rest_of_the_row_does(member):
    before = db_snapshot()
    Member.objects.filter(pk=member.pk).update(
        last_seen=timezone.now(), previous_visit=timezone.now()
    )
    assert db_snapshot() == before
    Member.objects.filter(pk=member.pk).update(role="moderator")
    assert db_snapshot() != before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rows_themselves_are_compared(tenant, drop_tenant_schemas):
    assert not connection.in_atomic_block
    before = db_snapshot()
    assert "members_pathology" in before
    Pathology.objects.create(name="Commise")
    assert db_snapshot() != before
