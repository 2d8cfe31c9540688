"""Local communities: groups tied to a place (/groupes-locaux/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
