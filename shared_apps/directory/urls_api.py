"""The directory's API on the platform's domain: /api/annuaire/ (config/urls_public.py).

Not in config/urls_api.py, which every network's domain serves: the directory is the
platform's (public schema, platform accounts, operators), the same on one domain, not
repeated on each network's with members' permissions that mean nothing here. Its OpenAPI
schema is its own, generated from these routes only.
"""

from types import SimpleNamespace

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from shared_apps.directory import api

app_name = "directory_api"

_KINDS = (
    ("associations", "association"),
    ("initiatives", "initiative"),
    ("evenements", "event"),
    ("ressources", "resource"),
)


def _routes(prefix: str, kind: str) -> list:
    routes = [
        path(f"{prefix}/", api.ListView.as_view(kind=kind), name=f"{kind}s"),
        path(f"{prefix}/<int:pk>/", api.DetailView.as_view(kind=kind), name=kind),
        path(
            f"{prefix}/<int:pk>/publish/",
            api.PublishView.as_view(kind=kind),
            name=f"{kind}_publish",
        ),
    ]
    if kind != "resource":
        routes.append(
            path(
                f"{prefix}/<int:pk>/refuse/",
                api.RefuseView.as_view(kind=kind),
                name=f"{kind}_refuse",
            )
        )
    return routes


routes = [route for prefix, kind in _KINDS for route in _routes(prefix, kind)]
routes.append(path("facettes/", api.FacetsView.as_view(), name="facets"))

# The schema lists these routes under their public prefix, whatever the request's URLconf.
_schema_urlconf = SimpleNamespace(urlpatterns=[path("api/annuaire/", include((routes, app_name)))])

urlpatterns = [
    *routes,
    path(
        "schema/",
        SpectacularAPIView.as_view(
            urlconf=_schema_urlconf,
            custom_settings={"TITLE": "Entraide — annuaire API"},
        ),
        name="schema",
    ),
]
