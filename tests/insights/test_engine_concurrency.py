"""Two admins publish at the same moment: the year's budget pays for one, never both."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import tenant_context

from tenant_apps.insights import selectors, services
from tenant_apps.insights.models import BudgetSpend, PrivacyBudget, Release
from tests.insights.world import admin_in_bulk, params


@pytest.mark.django_db(transaction=True)
def test_two_publications_at_once_cannot_overspend(make_tenant, drop_tenant_schemas):
    network = make_tenant("gamma")
    with tenant_context(network):
        admins = [admin_in_bulk(), admin_in_bulk()]
        # The year's row exists already: its lock, not its creation, must keep them apart.
        PrivacyBudget.objects.create(year=selectors.budget_year(), epsilon_total=Decimal("3"))
        drafts = [
            services.release_draft_create(
                member=a, title=a.display_name, params=params(epsilon="2")
            )
            for a in admins
        ]
    barrier = threading.Barrier(2)
    published, refused, errors = [], [], []

    def publish(n: int) -> None:
        try:
            with tenant_context(network):
                barrier.wait()
                published.append(services.release_publish(member=admins[n], release=drafts[n]))
        except ValidationError as error:
            refused.append(error.message_dict["epsilon"][0])
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(published) == 1 and len(refused) == 1
    assert "ε" in refused[0]
    with tenant_context(network):
        assert PrivacyBudget.objects.get().epsilon_spent == Decimal("2.00")
        assert BudgetSpend.objects.get().release_id == published[0].pk
        assert Release.objects.filter(status=Release.Status.PUBLISHED).count() == 1
