"""API: the care offer, its figures by area, and care pathways."""

from django.urls import path

from tenant_apps.pro.care import api

urlpatterns = [
    path("providers/", api.ProviderListView.as_view(), name="api_care_providers"),
    path("providers/<int:pk>/", api.ProviderDetailView.as_view(), name="api_care_provider"),
    path("areas/", api.AreaCountsView.as_view(), name="api_care_areas"),
    path("pathways/", api.PathwayListView.as_view(), name="api_care_pathways"),
]
