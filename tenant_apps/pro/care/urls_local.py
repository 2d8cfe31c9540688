"""Local communities: groups tied to a place (/groupes-locaux/)."""

from django.urls import path

from tenant_apps.pro.care import views

app_name = "local_groups"

urlpatterns = [
    path("", views.local_group_list, name="list"),
    path("nouveau/", views.local_group_create, name="new"),
]
