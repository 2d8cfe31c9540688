"""URLs of a network's own site (any tenant host)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tenant_apps.members import views as members
from tenants import views as tenants

urlpatterns = [
    path("", members.home, name="home"),
    path("charte/", members.charter, name="charter"),
    path("invitation/<str:key>/", members.invitation, name="invitation"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="members/login.html"),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("media/<path:path>", tenants.tenant_media, name="media"),
]
