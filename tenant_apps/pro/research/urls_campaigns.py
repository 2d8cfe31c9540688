"""Prevention and screening campaigns (/prevention/)."""

from django.urls import path

from tenant_apps.pro.research import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaigns, name="list"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("<slug:slug>/", views.campaign, name="campaign"),
    path("<slug:slug>/modifier/", views.campaign_edit, name="edit"),
]
