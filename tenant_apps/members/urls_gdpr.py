"""Filled in by the urls_gdpr work."""

urlpatterns: list = []
