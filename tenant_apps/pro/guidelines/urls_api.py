"""API: regional guidelines (/api/pro/guidelines/)."""

from django.urls import path

from tenant_apps.pro.guidelines import api

urlpatterns = [
    path("", api.GuidelineListView.as_view(), name="api_guidelines"),
    path(
        "groups/<slug:slug>/guidelines/",
        api.GuidelineCreateView.as_view(),
        name="api_guideline_create",
    ),
    path("<slug:slug>/", api.GuidelineView.as_view(), name="api_guideline"),
    path("<slug:slug>/versions/", api.VersionSaveView.as_view(), name="api_guideline_version"),
    path(
        "<slug:slug>/versions/<int:number>/validate/",
        api.VersionValidateView.as_view(),
        name="api_guideline_validate",
    ),
]
