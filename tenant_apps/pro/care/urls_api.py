"""API: the care offer, pathways and local groups."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
