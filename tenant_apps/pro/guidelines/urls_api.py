"""API: regional guidelines (/api/pro/guidelines/)."""

from django.urls import path

from tenant_apps.pro.guidelines import api

urlpatterns = [
    path("", api.GuidelineListView.as_view(), name="api_guidelines"),
    path("<slug:slug>/", api.GuidelineView.as_view(), name="api_guideline"),
]
