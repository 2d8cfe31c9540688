from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "tenant_apps.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # roles imports the events models, which may be imported only once the registry is.
        from tenant_apps.events.roles import DESIGNATIONS
        from tenant_apps.members.permissions import designations_register

        designations_register(DESIGNATIONS)
