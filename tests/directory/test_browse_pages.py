"""The directory's pages on the platform's domain: what they list, their filters as links,
their query counts with two sizes of data, the listings' pages and the calendar's feed."""

import pytest
from django.test import Client
from django.urls import reverse as _reverse
from django_tenants.utils import schema_context

from provisioning import services as provisioning
from tests.directory import browse_data as data

pytestmark = pytest.mark.django_db


def reverse(name: str, args=()) -> str:
    return _reverse(name, args=args, urlconf="config.urls_public")


@pytest.fixture
def client():
    with schema_context("public"):
        provisioning.platform_ensure()
        return Client(HTTP_HOST="localhost")


def test_smoke(client):
    cancer = data.pathology("Cancer du poumon")
    a = data.association("Souffle d'Armor", pathologies=[cancer], regions=["53"])
    i = data.initiative("Marche", pathologies=[cancer], region="53")
    e = data.event("Webinaire", pathologies=[cancer], region="53")
    r = data.resource("Guide")
    for url in [
        "/",
        reverse("directory:search"),
        reverse("directory:search") + "?q=souffle&region=53",
        reverse("directory:associations"),
        reverse("directory:initiatives"),
        reverse("directory:resources"),
        reverse("directory:agenda"),
        reverse("directory:agenda_ics"),
        reverse("directory:association", args=[a.slug]),
        reverse("directory:initiative", args=[i.slug]),
        reverse("directory:resource", args=[r.slug]),
        reverse("directory:event", args=[e.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
