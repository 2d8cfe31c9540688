"""Open clinical trials (/essais-cliniques/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
