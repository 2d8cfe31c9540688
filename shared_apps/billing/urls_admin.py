"""A network admin's subscription pages, under /association/abonnement/."""

from django.urls import path

from shared_apps.billing import views

app_name = "billing_admin"

urlpatterns = [
    path("", views.subscription, name="subscription"),
    path("changer/", views.checkout, name="checkout"),
    path("paiement/", views.portal, name="portal"),
]
