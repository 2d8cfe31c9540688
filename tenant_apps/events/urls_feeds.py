"""Calendar feeds, read by calendar apps that cannot sign in (/agenda/, a public prefix of
members.middleware): the network's public events, and a member's by a secret token."""

from django.urls import path

from tenant_apps.events import views

app_name = "event_feeds"
urlpatterns = [
    path("reseau.ics", views.feed_public, name="public"),
    path("<str:token>.ics", views.feed_private, name="private"),
]
