from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "tenant_apps.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # roles imports the knowledge models, which may be imported only once the registry is.
        from tenant_apps.knowledge.roles import DESIGNATIONS
        from tenant_apps.members.permissions import designations_register

        designations_register(DESIGNATIONS)
