"""Multidisciplinary team meetings (/rcp/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
