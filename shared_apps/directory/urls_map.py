"""The map and the landscape, under the directory's prefix (/annuaire/)."""

from django.urls import path

from shared_apps.directory import views_map

app_name = "directory_map"

urlpatterns = [
    path("carte/", views_map.directory_map, name="map"),
    path(
        "carte/departements/",
        views_map.directory_map,
        {"level": "departments"},
        name="map_departments",
    ),
    path("paysage/", views_map.landscape, name="landscape"),
]
