"""API: RCP series, meetings and cases."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
