"""The care offer by territory and care pathways (/offre-de-soins/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
