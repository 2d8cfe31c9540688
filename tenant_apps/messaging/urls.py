from django.urls import path

from tenant_apps.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ecrire/<str:who>/", views.new, name="new"),
    path("reglages/", views.preferences, name="preferences"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path("<int:conversation_id>/masquer/", views.hide, name="hide"),
    path("<int:conversation_id>/bloquer/", views.block, name="block"),
]
