from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Networks")

    def ready(self) -> None:
        # hosts imports the models, which may be imported only once the registry is ready.
        from tenants import hosts

        hosts.connect_invalidation()
