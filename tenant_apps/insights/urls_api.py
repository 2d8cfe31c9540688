from django.urls import path

from tenant_apps.insights import api

urlpatterns = [
    path("releases/", api.ReleaseListView.as_view(), name="api_insights_releases"),
    path("releases/<int:pk>/", api.ReleaseDetailView.as_view(), name="api_insights_release"),
    path(
        "releases/<int:pk>/publish/",
        api.ReleasePublishView.as_view(),
        name="api_insights_release_publish",
    ),
    path("preview/", api.PreviewView.as_view(), name="api_insights_preview"),
]
