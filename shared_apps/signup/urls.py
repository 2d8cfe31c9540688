"""Sign-up's addresses on the platform's domain (config/urls_public.py)."""

from django.urls import path

from shared_apps.signup import views

app_name = "signup"

urlpatterns = [
    path("inscription/", views.start, name="start"),
    path("inscription/reseau/", views.create, name="create"),
    path("inscription/adresse/", views.subdomain_check, name="subdomain_check"),
    path("inscription/<int:pk>/", views.progress, name="progress"),
    path("inscription/<int:pk>/etat/", views.progress_status, name="progress_status"),
    path("inscription/<int:pk>/ouvrir/", views.handover, name="handover"),
    path("inscription/<int:pk>/reessayer/", views.retry, name="retry"),
    path("inscription/<int:pk>/paiement/", views.pay, name="pay"),
    path("inscription/<int:pk>/paiement/retour/", views.payment_return, name="payment_return"),
    path("mes-reseaux/", views.networks, name="networks"),
    path("mes-reseaux/<int:organization_pk>/nouveau/", views.network_add, name="network_add"),
]
