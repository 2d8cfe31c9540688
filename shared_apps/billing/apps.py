from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "shared_apps.billing"
    verbose_name = _("Plans and billing")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shared_apps.billing.models import Plan, Subscription
        from tenants import hosts

        # The host cache holds each network's subscription and plan (white label, banner).
        for model in (Plan, Subscription):
            post_save.connect(
                hosts._on_change, sender=model, dispatch_uid=f"billing-hosts-{model.__name__}"
            )
            post_delete.connect(
                hosts._on_change, sender=model, dispatch_uid=f"billing-hosts-del-{model.__name__}"
            )
