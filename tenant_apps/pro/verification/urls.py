"""The professionals' hub and their verification (/pro/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
