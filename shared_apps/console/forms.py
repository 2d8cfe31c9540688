"""The console's filters and action forms."""

import datetime

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from shared_apps.billing.models import Plan
from shared_apps.console.selectors import NetworkFilters
from tenants.models import Tenant

# Longest search text and reason an operator types (past this, the form says so).
QUERY_MAX = 100
REASON_MAX = 300
GRACE_DAYS_MAX = 90


class NetworkFiltersForm(forms.Form):
    """The networks list's search and filters, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX,
        help_text=_("A network's name or identifier, or its organization's."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Tenant.Status.choices]
    )
    plan = forms.ChoiceField(label=_("Plan"), required=False)
    # The keyset of the next page: the last network's id of the page before.
    apres = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            ("", _("Any plan")),
            *Plan.objects.order_by("position", "price_cents").values_list("code", "name"),
        ]

    def filters(self) -> NetworkFilters:
        """What was asked, leaving out any field that is not valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return NetworkFilters(
            query=data.get("q") or "",
            status=data.get("status") or "",
            plan=data.get("plan") or "",
            after=data.get("apres"),
        )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), required=False, max_length=REASON_MAX
    )


class DeleteForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type the network's identifier to confirm"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip


class GraceForm(forms.Form):
    days = forms.IntegerField(label=_("Days to add"), min_value=1, max_value=GRACE_DAYS_MAX)
    # The grace period's end as the operator saw it: a second submit of the same form finds
    # it moved and changes nothing (ISO date and time, empty when there was none).
    seen = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_seen(self) -> datetime.datetime | None:
        value = self.cleaned_data["seen"]
        try:
            seen = parse_datetime(value) if value else None
        except ValueError:
            seen = None
        if value and seen is None:
            raise forms.ValidationError(_("This form is out of date: look again, then retry."))
        return seen


class PlanForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.order_by("position", "price_cents"),
        to_field_name="code",
    )  # fmt: skip
