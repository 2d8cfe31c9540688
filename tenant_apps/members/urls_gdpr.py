"""A member's own personal data, under /mes-donnees/."""

from django.urls import path

from tenant_apps.members import views_gdpr as views

urlpatterns = [
    path("", views.overview, name="gdpr_overview"),
    path("consentement/retirer/", views.consent_withdraw, name="gdpr_consent_withdraw"),
    path("consentement/donner/", views.consent_give, name="gdpr_consent_give"),
    path("export/", views.export, name="gdpr_export"),
    path("supprimer/", views.erase, name="gdpr_erase"),
]
