"""Forms of the research pages: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import geo
from tenant_apps.pro.models import Campaign, ClinicalTrial


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    events = forms.ModelMultipleChoiceField(
        label=_("Events"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, events, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events.order_by("-starts_at", "-id")
        self.fields["articles"].queryset = articles.order_by("title", "id")
        self.fields["events"].label_from_instance = lambda e: f"{e.title} ({e.starts_at:%d/%m/%Y})"
        self.fields["articles"].label_from_instance = lambda a: a.title

    @classmethod
    def initial_of(cls, campaign: Campaign) -> dict:
        return {
            "title": campaign.title, "kind": campaign.kind, "summary": campaign.summary,
            "body": campaign.body, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
            "published": campaign.published, "events": list(campaign.events.all()),
            "articles": list(campaign.articles.all()),
        }  # fmt: skip


class TrialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=ClinicalTrial.Phase.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ClinicalTrial.Status.choices)
    conditions = forms.CharField(label=_("Conditions"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    registry_number = forms.CharField(
        label=_("Registry number"),
        max_length=40,
        help_text=_("NCT01234567, 2024-512345-12-00 (EU CT) or 2024-A01234-56 (ID-RCB)."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=300)
    centres = forms.CharField(
        label=_("Centres"),
        required=False,
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            'One centre a line: "centre ; city ; département or région", e.g. '
            '"CHU de Poitiers ; Poitiers ; 86".'
        ),
    )

    @classmethod
    def initial_of(cls, trial: ClinicalTrial) -> dict:
        lines = [
            f"{c.name} ; {c.city} ; {geo.REGIONS.get(c.region, (c.region,))[0]}"
            for c in trial.centres.all()
        ]
        return {
            "title": trial.title, "acronym": trial.acronym, "phase": trial.phase,
            "status": trial.status, "conditions": trial.conditions, "summary": trial.summary,
            "registry_number": trial.registry_number, "contact": trial.contact,
            "centres": "\n".join(lines),
        }  # fmt: skip


class TrialFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[("", _("Any phase")), *ClinicalTrial.Phase.choices],
        required=False,
    )
    statut = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ClinicalTrial.Status.choices],
        required=False,
    )
    region = forms.ChoiceField(label=_("Région of a centre"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = sorted((code, name) for code, (name, _deps) in geo.REGIONS.items())
        self.fields["region"].choices = [
            ("", _("Any région")),
            *sorted(regions, key=lambda r: r[1]),
        ]
