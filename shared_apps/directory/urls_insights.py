"""The statistics associations list, under the directory's prefix (/annuaire/)."""

from django.urls import path

from shared_apps.directory import views_insights

app_name = "directory_insights"

urlpatterns = [
    path("statistiques/", views_insights.insight_listings, name="list"),
]
