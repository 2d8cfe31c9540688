"""The professionals' API (/api/pro/), one part per area."""

from django.urls import include, path

urlpatterns = [
    path("verification/", include("tenant_apps.pro.verification.urls_api")),
    path("guidelines/", include("tenant_apps.pro.guidelines.urls_api")),
    path("rcp/", include("tenant_apps.pro.rcp.urls_api")),
    path("care/", include("tenant_apps.pro.care.urls_api")),
    path("research/", include("tenant_apps.pro.research.urls_api")),
]
