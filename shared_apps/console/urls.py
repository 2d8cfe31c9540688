"""The operators' console, under /console/ on the platform's domain (namespace ``console``)."""

from django.urls import path

from shared_apps.console import views

app_name = "console"

urlpatterns = [
    path("", views.networks, name="networks"),
    path("activite/", views.activity, name="activity"),
    path("reseaux/<slug:slug>/", views.network, name="network"),
    path("reseaux/<slug:slug>/suspendre/", views.network_suspend, name="suspend"),
    path("reseaux/<slug:slug>/reprendre/", views.network_resume, name="resume"),
    path("reseaux/<slug:slug>/exporter/", views.network_export, name="export"),
    path("reseaux/<slug:slug>/supprimer/", views.network_delete, name="delete"),
    path("reseaux/<slug:slug>/delai-de-grace/", views.network_grace, name="grace"),
    path("reseaux/<slug:slug>/offre/", views.network_plan, name="plan"),
]
