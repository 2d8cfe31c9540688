"""Forms of verification pages: they collect input; the services validate it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.pro.models import Profession


class RequestForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    specialty = forms.CharField(label=_("Specialty (optional)"), max_length=120, required=False)
    rpps = forms.CharField(
        label=_("RPPS number"), max_length=20, required=False,
        help_text=_("11 digits. If you have none, give another identifier below."),
    )  # fmt: skip
    other_identifier = forms.CharField(
        label=_("Other professional identifier (ADELI, order number…)"), max_length=40,
        required=False,
    )  # fmt: skip
    workplace = forms.CharField(label=_("Workplace"), max_length=200)
    document = forms.FileField(
        label=_("Supporting document (optional)"), required=False,
        help_text=_("A PDF or a picture of your professional card, 5 MB at most. Only the "
                    "association's admins see it; it is deleted once they have decided."),
    )  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the member reads it)"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class RealNameForm(forms.Form):
    show = forms.BooleanField(label=_("Show my real name beside my pseudonym"), required=False)
    real_name = forms.CharField(label=_("Real name to show"), max_length=150, required=False)
