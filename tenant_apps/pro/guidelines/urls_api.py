"""API: working groups and guidelines."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
