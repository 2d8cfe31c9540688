"""Multidisciplinary team meetings (/rcp/)."""

from django.urls import path

from tenant_apps.pro.rcp import views

app_name = "rcp"

urlpatterns = [
    path("", views.index, name="list"),
    path("nouvelle-serie/", views.series_create, name="series_create"),
    path("series/<slug:slug>/", views.series, name="series"),
    path("reunions/<int:pk>/", views.meeting, name="meeting"),
    path("reunions/<int:pk>/participation/", views.attendance, name="attendance"),
    path("reunions/<int:pk>/presences/", views.presence, name="presence"),
    path("reunions/<int:pk>/dossiers/", views.case_add, name="case_add"),
    path("reunions/<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("reunions/<int:pk>/invitation.ics", views.invitation, name="ics"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/inviter/", views.meeting_invite, name="meeting_invite"),
    path("dossiers/<int:pk>/decision/", views.decision, name="decision"),
]
