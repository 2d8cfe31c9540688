"""Open clinical trials (/essais-cliniques/)."""

from django.urls import path

from tenant_apps.pro.research import views

app_name = "trials"

urlpatterns = [
    path("", views.trials, name="list"),
    path("nouveau/", views.trial_create, name="create"),
    path("<int:pk>/", views.trial, name="trial"),
    path("<int:pk>/modifier/", views.trial_edit, name="edit"),
]
