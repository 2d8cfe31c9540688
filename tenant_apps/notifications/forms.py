from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.notifications.models import NotificationSettings


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Email me my notifications"),
        choices=NotificationSettings.Frequency.choices,
        widget=forms.RadioSelect,
    )
