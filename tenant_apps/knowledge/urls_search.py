from django.urls import path

from tenant_apps.knowledge import views

app_name = "search"
urlpatterns = [path("", views.search, name="search")]
