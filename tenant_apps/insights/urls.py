"""The admins' statistics pages, under /association/statistiques/."""

from django.urls import path

from tenant_apps.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.release_list, name="release_list"),
    path("nouveau/", views.release_new, name="release_new"),
    path("<int:pk>/", views.release_detail, name="release_detail"),
    path("<int:pk>/publier/", views.release_publish, name="release_publish"),
    path("<int:pk>/supprimer/", views.release_delete, name="release_delete"),
    path("<int:pk>/partage/", views.release_share, name="release_share"),
    path("<int:pk>/annuaire/", views.release_directory, name="release_directory"),
    path("<int:pk>/statistiques.csv", views.release_csv, name="release_csv"),
]

# The shared link, under /statistiques/ (config/urls_tenant.py): open to anyone with it.
shared_urlpatterns = (
    [
        path("<str:token>/", views.shared, name="page"),
        path("<str:token>/statistiques.csv", views.shared_csv, name="csv"),
    ],
    "insights_shared",
)
