from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupConfig(AppConfig):
    name = "shared_apps.signup"
    verbose_name = _("Association sign-up")
