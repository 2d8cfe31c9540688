"""The directory's public addresses, in French, under /annuaire/ on the platform's domain
(config/urls_public.py includes them; the platform's home "/" is ``views.home``)."""

from django.urls import path

from shared_apps.directory import csv_io, views

app_name = "directory"

urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("associations/", views.associations, name="associations"),
    path("associations/<slug:slug>/", views.association, name="association"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/<slug:slug>/", views.initiative, name="initiative"),
    path("ressources/", views.resources, name="resources"),
    path("ressources/<slug:slug>/", views.resource, name="resource"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/<int:pk>/", views.event, name="event"),
    # The CSV of any filtered list (``?kind=…`` and the page's filters), written by csv_io.
    path("export.csv", csv_io.export, name="export"),
]
