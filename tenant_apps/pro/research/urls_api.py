"""API: campaigns, trials and training."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
