from django.urls import path

from tenant_apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/lu/", views.notification_read, name="read"),
    path("tout-lu/", views.notifications_read_all, name="read_all"),
    path("compte/", views.unread_badge, name="unread_badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
