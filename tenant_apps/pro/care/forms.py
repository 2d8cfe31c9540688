"""Forms of the care offer pages: the list's filters, a provider, the CSV file, a local
group."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import geo
from tenant_apps.forums.models import Group
from tenant_apps.members.models import Space
from tenant_apps.pro.care import csv_io
from tenant_apps.pro.models import CarePathway, CareProvider


def _department_choices(empty: str) -> list:
    return [("", empty), *geo.department_choices()]


def _region_choices(empty: str) -> list:
    regions = sorted(geo.REGIONS.items(), key=lambda item: item[1][0])
    return [("", empty), *[(code, name) for code, (name, _deps) in regions]]


class FilterForm(forms.Form):
    """The list's filters, read from the query string; a wrong value is left out."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    specialty = forms.ChoiceField(label=_("Specialty or offer"), required=False)

    def __init__(self, *args, specialties: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *CareProvider.Kind.choices]
        self.fields["region"].choices = _region_choices(str(_("All régions")))
        self.fields["department"].choices = _department_choices(str(_("All départements")))
        self.fields["specialty"].choices = [
            ("", _("All specialties")),
            *[(keyword, keyword) for keyword in specialties],
        ]


class ProviderForm(forms.ModelForm):
    department = forms.ChoiceField(label=_("Département"))

    class Meta:
        model = CareProvider
        fields = [
            "name", "kind", "establishment", "specialties", "address", "postcode", "city",
            "department", "phone", "email", "website", "description",
        ]  # fmt: skip
        help_texts = {
            "specialties": _("Keywords separated by commas (e.g. oncologie thoracique, "
                             "soins de support)."),
            "establishment": _("For a hospital service only."),
        }  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices("")
        field = self.fields["establishment"]
        field.queryset = establishments
        if self.instance.pk:
            field.queryset = establishments.exclude(pk=self.instance.pk)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, at most 2 MB; the columns are "
                    "described below."),
    )  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_io.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class LocalGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    space = forms.ModelChoiceField(label=_("Space"), queryset=None, empty_label=None)
    access = forms.ChoiceField(
        label=_("Who can join"), choices=Group.Access.choices, widget=forms.RadioSelect
    )
    department = forms.ChoiceField(label=_("Département"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    establishment = forms.ModelChoiceField(
        label=_("Establishment"), queryset=None, required=False, empty_label=_("None")
    )

    def __init__(self, *args, spaces, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(pk__in=[s.pk for s in spaces])
        self.fields["department"].choices = _department_choices(str(_("None")))
        self.fields["region"].choices = _region_choices(str(_("None")))
        self.fields["establishment"].queryset = establishments


class PathwayForm(forms.ModelForm):
    department = forms.ChoiceField(label=_("Département"), required=False)

    class Meta:
        model = CarePathway
        fields = ["title", "pathology", "department", "summary", "body", "providers", "published"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
            "providers": forms.SelectMultiple(attrs={"size": 12}),
        }
        labels = {"published": _("Published: members see it")}
        help_texts = {
            "body": _("Markdown: a heading (## 1. The first appointment) per step."),
            "providers": _("Hold Ctrl (or Cmd) to choose several."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices(str(_("None")))
        self.fields["providers"].queryset = CareProvider.objects.order_by("name", "id")
