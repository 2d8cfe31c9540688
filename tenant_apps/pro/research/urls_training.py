"""Training for professionals (/formations/)."""

from django.urls import path

from tenant_apps.pro.research import views

app_name = "training"

urlpatterns = [path("", views.training, name="list")]
