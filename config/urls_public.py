"""URLs of the platform's own domain (public schema)."""

from django.contrib import admin
from django.urls import include, path

from tenants import views as tenants

urlpatterns = [
    path("", tenants.platform_home, name="platform_home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
