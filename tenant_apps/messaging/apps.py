from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tenant_apps.messaging"
    label = "messaging"
    verbose_name = _("Private messages")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tenant_apps.messaging.signals import unread_prime

        user_logged_in.connect(unread_prime, dispatch_uid="messaging.unread_prime")
