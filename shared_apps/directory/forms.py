"""The directory's forms: proposals by anyone (with their spam defences), an operator's
review, a manager's edits, and the operators' resources.

Spam defences need no captcha: a honeypot field people never see, a signed timestamp that
refuses a form sent back faster than a person can fill it (or older than a few hours, which
re-renders it to send again), and a per-address limit (the view's, core.throttle).
"""

import re
import secrets
import time
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.geo import DEPARTMENT_REGION, REGIONS, department_choices
from core.images import image_reencode
from core.markup import editor_attrs
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Theme,
)

# Faster than this, a form was not filled by a person.
MIN_SECONDS = 3
# Older than this, the form is sent again with a fresh token.
MAX_SECONDS = 6 * 3600
TIMESTAMP_SALT = "directory.propose"
RNA = re.compile(r"^W\d{9}$")
LOCAL = "%Y-%m-%dT%H:%M"
LOGO_MAX_BYTES = 5 * 1024 * 1024
# Formats of a submitted event: those of a network's events but the walking challenge,
# which only networks run (stored as the same codes).
EVENT_FORMATS = [
    ("webinar", _("Webinar")),
    ("in_person", _("In person")),
    ("other", _("Other")),
]


def region_choices() -> list[tuple[str, str]]:
    return sorted(((code, name) for code, (name, _deps) in REGIONS.items()), key=lambda c: c[1])


class TooFast(Exception):
    """Sent back faster than a person fills a form."""


class TooOld(Exception):
    """The form's token is too old, or unreadable: send the form again."""


def form_token() -> str:
    """A signed timestamp plus a random submission id (which makes a double send one)."""
    payload = {"t": int(time.time()), "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=TIMESTAMP_SALT)


def token_check(token: str, *, now: float | None = None) -> str:
    """The submission id of a token filled at a human pace; raise TooFast or TooOld."""
    try:
        data = signing.loads(token, salt=TIMESTAMP_SALT)
        started, submission = int(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise TooOld from error
    elapsed = (now if now is not None else time.time()) - started
    if elapsed < MIN_SECONDS:
        raise TooFast
    if elapsed > MAX_SECONDS:
        raise TooOld
    return submission


class SpamDefence(forms.Form):
    """The honeypot and the signed timestamp, mixed into every proposal form."""

    # Hidden from people (the template wraps it in a ``hidden`` block): a robot fills it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), ""))


def _multiple(choices, label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _pathologies() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Pathologies"),
        queryset=Pathology.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _themes() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _url(label, *, required: bool = False) -> forms.URLField:
    # An address typed without its scheme is read as https.
    return forms.URLField(label=label, max_length=300, required=required, assume_scheme="https")


class AssociationFields(forms.ModelForm):
    """An association's listing, as anyone proposes it and as its manager edits it."""

    website = _url(_("Website"))
    pathologies = _pathologies()
    regions = _multiple(region_choices, _("Régions served"))
    departments = forms.MultipleChoiceField(
        label=_("Départements served"),
        choices=department_choices,
        required=False,
        help_text=_("Leave both empty if the association acts across the whole country."),
    )

    class Meta:
        model = Association
        fields = [
            "name",
            "description",
            "pathologies",
            "regions",
            "departments",
            "website",
            "contact_email",
            "contact_phone",
            "legal_form",
            "rna",
            "approval",
            "approval_ends",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "approval_ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "rna": _("W followed by 9 digits, as on the association's receipt (récépissé)."),
            "contact_email": _(
                "The association's own address, not a person's: it is not shown on the page."
            ),
        }

    def clean_rna(self) -> str:
        rna = self.cleaned_data["rna"].strip().upper().replace(" ", "")
        if rna and not RNA.match(rna):
            raise ValidationError(_("An RNA number is W followed by 9 digits (W751234567)."))
        return rna

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("approval") and not data.get("approval_ends"):
            self.add_error("approval_ends", _("Give the date the approval ends."))
        if not data.get("approval") and data.get("approval_ends"):
            self.add_error("approval", _("Choose the approval this end date is for."))
        return data


class AssociationProposal(SpamDefence, AssociationFields):
    proposer_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only to tell you our decision; we delete it once you are told."),
    )


class InitiativeProposal(SpamDefence, forms.ModelForm):
    roles = _multiple(Initiative.PatientRole.choices, _("Patient roles involved"))
    themes = _themes()
    pathologies = _pathologies()
    region = forms.ChoiceField(
        label=_("Région"),
        choices=[("", _("National or online"))] + region_choices(),
        required=False,
    )
    department = forms.ChoiceField(
        label=_("Département"),
        choices=[("", _("None in particular"))] + department_choices(),
        required=False,
    )
    success_factors = _multiple(Initiative.SuccessFactor.choices, _("What made it succeed"))
    website = _url(_("Website"))
    proposer_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only to tell you our decision; we delete it once you are told."),
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "description",
            "carrier",
            "form",
            "roles",
            "themes",
            "pathologies",
            "region",
            "department",
            "started_on",
            "activity",
            "motivation",
            "success_factors",
            "success_text",
            "website",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "success_text": forms.Textarea(attrs={"rows": 4}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        department, region = data.get("department"), data.get("region")
        if department:
            if region and DEPARTMENT_REGION.get(department) != region:
                self.add_error("department", _("This département is not in the chosen région."))
            else:
                data["region"] = DEPARTMENT_REGION.get(department, "")
        return data


EARLIEST_EVENT_YEAR = 2000


class EventProposal(SpamDefence, forms.ModelForm):
    format = forms.ChoiceField(label=_("Format"), choices=EVENT_FORMATS)
    url = _url(_("The event's page"), required=True)
    region = forms.ChoiceField(
        label=_("Région"),
        choices=[("", _("National or online"))] + region_choices(),
        required=False,
    )
    pathologies = _pathologies()
    proposer_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Only to tell you our decision; we delete it once you are told."),
    )

    class Meta:
        model = DirectoryEvent
        fields = [
            "title",
            "summary",
            "format",
            "starts_at",
            "ends_at",
            "online",
            "place",
            "region",
            "pathologies",
            "network_name",
            "url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            # The format a datetime-local input shows (an operator's review shows the dates).
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
        }
        labels = {"network_name": _("Who organises it"), "url": _("The event's page")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end comes after the start."))
        # A typing slip (year 225 for 2025), and one a schedule cannot show: before 1911,
        # Paris time was 9 min 21 s ahead of GMT, an offset no date-time format writes.
        if starts and starts.year < EARLIEST_EVENT_YEAR:
            self.add_error(
                "starts_at",
                _("Give a date from the year %(year)s on.") % {"year": EARLIEST_EVENT_YEAR},
            )
        if not data.get("online") and not data.get("place"):
            self.add_error("place", _("Say where it takes place, or tick “online”."))
        return data


PROPOSAL_FORMS: dict[str, type[forms.ModelForm]] = {
    "association": AssociationProposal,
    "initiative": InitiativeProposal,
    "event": EventProposal,
}
PROPOSAL_ONLY = {"homepage", "started", "proposer_email"}


def listing_values(form: forms.ModelForm) -> dict[str, Any]:
    """What a listing form's service writes: its model's fields, nothing of the defences."""
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in PROPOSAL_ONLY and name in form._meta.fields
    }


def review_form(kind: str, *args: Any, **kwargs: Any) -> forms.ModelForm:
    """An operator's corrections before publishing: the proposal's fields, no defence."""
    base = PROPOSAL_FORMS[kind]

    class Review(base):  # type: ignore[valid-type, misc]
        homepage = None
        started = None
        proposer_email = None

    return Review(*args, **kwargs)


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person who proposed it."),
    )


class ManagerForm(AssociationFields):
    """What a manager edits: the listing's fields and its logo."""

    new_logo = forms.ImageField(label=_("Logo"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_new_logo(self):
        upload = self.cleaned_data.get("new_logo")
        if not upload:
            return None
        return image_reencode(upload, max_bytes=LOGO_MAX_BYTES, size=512, keep_transparency=True)


class ResourceForm(forms.ModelForm):
    themes = _themes()

    class Meta:
        model = Resource
        fields = ["title", "summary", "body", "themes"]
        widgets = {"body": forms.Textarea(attrs=editor_attrs(16))}
        help_texts = {"body": _("Markdown: headings, lists, links, emphasis.")}
