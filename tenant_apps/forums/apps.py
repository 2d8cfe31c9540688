from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "tenant_apps.forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from tenant_apps.forums import signals  # noqa: F401 - connects the receivers
