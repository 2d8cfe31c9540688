"""The professionals' hub and their verification (/pro/)."""

from django.urls import path

from tenant_apps.pro.verification import views

app_name = "pro"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("verification/", views.verification_request, name="verification_request"),
    path("verification/nom/", views.real_name, name="real_name"),
    path("verifications/", views.queue, name="verification_queue"),
    path("verifications/<int:pk>/decision/", views.decide, name="verification_decide"),
    path("verifications/<int:pk>/document/", views.document, name="verification_document"),
    path(
        "verifications/membres/<int:member_id>/retrait/",
        views.withdraw,
        name="verification_withdraw",
    ),
]
