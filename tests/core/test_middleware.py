"""An address with a control character answers the product's 404, on a network's site, its
API and the platform's directory, whoever asks; nothing reaches a view."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = [
    "/communaute/membres/Bob%00/",
    "/communaute/bloques/Bob%00/debloquer/",
    "/membres/Bob%00/",
    "/api/community/follows/Bob%00/",
    "/api/community/blocks/Bob%00/",
    "/forums/sujet/1%0a/",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_control_character_in_the_address_is_a_404(client_as, path, method):
    response = getattr(client_as("member"), method)(path)
    assert response.status_code == 404, (path, method)


def test_the_platform_directory_too(tenant, settings):
    client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
    for path in ("/annuaire/associations/x%00/", "/annuaire/recherche/%7f", "/%00"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"<html" in response.content  # the product's own page
