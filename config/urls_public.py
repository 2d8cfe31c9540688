"""URLs of the platform's own domain (public schema)."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path

from core import security
from shared_apps.billing import views as billing
from shared_apps.directory import views as directory
from tenants import views as tenants

# Operators sign in through allauth, so the admin gets the same throttling and TOTP.
admin.site.login = staff_member_required(admin.site.login, login_url="account_login")

# A form too large or with too many fields to be read: a page that says so (core.http).
handler400 = "core.http.bad_request"

urlpatterns = [
    # The platform's home is the directory's (shared_apps.directory.views.home).
    path("", directory.home, name="platform_home"),
    path("annuaire/", include("shared_apps.directory.urls")),
    # The platform's icon, drawn as a network's is (tenants.icons), under the same names.
    path("favicon.ico", tenants.favicon, name="favicon"),
    path("apple-touch-icon.png", tenants.apple_touch_icon, name="apple_touch_icon"),
    path("icone/<int:size>.png", tenants.brand_icon, name="brand_icon"),
    # Where browsers report violations of the Content-Security-Policy (core.security).
    path("csp-report/", security.csp_report, name="csp_report"),
    # The directory's proposals, claims, managers' and operators' pages.
    path("annuaire/", include("shared_apps.directory.urls_contrib")),
    # The directory's map of France and its engagement landscape.
    path("annuaire/", include("shared_apps.directory.urls_map")),
    # The statistics associations publish and list (tenant_apps.insights copies them).
    path("annuaire/", include("shared_apps.directory.urls_insights")),
    # The directory's API (its own schema): the platform's, not each network's /api/.
    path("api/annuaire/", include("shared_apps.directory.urls_api")),
    # An association's self-service sign-up, and its representative's networks.
    path("", include("shared_apps.signup.urls")),
    # The operators' console: networks, their usage and lifecycle, the platform's activity.
    path("console/", include("shared_apps.console.urls")),
    # Stripe's webhook: signed events about subscriptions and payments.
    path("stripe/webhook/", billing.stripe_webhook, name="stripe_webhook"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
