"""The directory's contributors' and operators' addresses, under /annuaire/ on the
platform's domain (namespace ``directory_contrib``)."""

from django.urls import path

from shared_apps.directory import views_contrib as contrib
from shared_apps.directory import views_operator as operator

app_name = "directory_contrib"

urlpatterns = [
    path("proposer/", contrib.propose_index, name="propose"),
    path("proposer/merci/", contrib.thanks, name="thanks"),
    path("proposer/<slug:kind_path>/", contrib.propose, name="propose_kind"),
    path("associations/<slug:slug>/revendiquer/", contrib.claim_request, name="claim_request"),
    path("revendiquer/<str:token>/", contrib.claim, name="claim"),
    path("gerer/", contrib.managed, name="managed"),
    path("gerer/<slug:slug>/", contrib.manage, name="manage"),
    path("gerer/<slug:slug>/a-jour/", contrib.confirm, name="confirm"),
    path("operateurs/", operator.queue, name="queue"),
    path("operateurs/ressources/", operator.resources, name="resources"),
    path("operateurs/ressources/nouvelle/", operator.resource_edit, name="resource_new"),
    path("operateurs/ressources/<int:pk>/", operator.resource_edit, name="resource_edit"),
    path(
        "operateurs/ressources/<int:pk>/publication/",
        operator.resource_publish,
        name="resource_publish",
    ),
    # After the resources' addresses, which its pattern would take.
    path("operateurs/<slug:kind>/<int:pk>/", operator.review, name="review"),
]
