"""The JSON API of a network site (DRF), documented by drf-spectacular."""

urlpatterns: list = []
