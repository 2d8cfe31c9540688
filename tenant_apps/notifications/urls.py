from django.urls import path

from tenant_apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("tout-lu/", views.notifications_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
