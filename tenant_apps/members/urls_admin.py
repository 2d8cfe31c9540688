"""Filled in by the urls_admin work."""

urlpatterns: list = []
