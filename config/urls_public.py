"""URLs of the platform's own domain (public schema)."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path

from tenants import views as tenants

# Operators sign in through allauth, so the admin gets the same throttling and TOTP.
admin.site.login = staff_member_required(admin.site.login, login_url="account_login")

urlpatterns = [
    path("", tenants.platform_home, name="platform_home"),
    # The platform's icon, drawn as a network's is (tenants.icons), under the same names.
    path("favicon.ico", tenants.favicon, name="favicon"),
    path("apple-touch-icon.png", tenants.apple_touch_icon, name="apple_touch_icon"),
    path("icone/<int:size>.png", tenants.brand_icon, name="brand_icon"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
