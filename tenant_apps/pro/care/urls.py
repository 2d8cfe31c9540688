"""The care offer by territory and care pathways (/offre-de-soins/)."""

from django.urls import path

from tenant_apps.pro.care import views

app_name = "care"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("carte/", views.care_map, name="map"),
    path("carte/departements/", views.care_map, {"level": "departments"}, name="map_departments"),
    path("ajouter/", views.provider_create, name="provider_new"),
    path("importer/", views.provider_import, name="import"),
    path("<int:pk>/", views.provider_detail, name="provider"),
    path("<int:pk>/modifier/", views.provider_edit, name="provider_edit"),
    path("parcours/", views.pathway_list, name="pathways"),
    path("parcours/nouveau/", views.pathway_new, name="pathway_new"),
    path("parcours/<slug:slug>/", views.pathway_detail, name="pathway"),
    path("parcours/<slug:slug>/modifier/", views.pathway_edit, name="pathway_edit"),
]
