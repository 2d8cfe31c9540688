"""The report builder's form: what to count, by what (one or two dimensions), over which
months, with which threshold and share of the privacy budget. The service checks the rest
(the budget, the threshold's floor) and its refusals come back on this form."""

import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.insights.models import (
    EPSILON_MAX,
    EPSILON_MIN,
    THRESHOLD_MIN,
    Dimension,
    Measure,
)

# The earliest month a report may start from: nothing older is counted anyway.
EARLIEST = datetime.date(2020, 1, 1)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, typed as ``2026-03`` (what ``<input type=month>`` sends), kept as its first
    day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]

    def to_python(self, value):
        value = value.strip()[:10] if isinstance(value, str) else value
        return super().to_python(value)


class ReportForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What readers see first, for example “Our members in 2026”."),
    )
    measure = forms.ChoiceField(label=_("What is counted"), choices=Measure.choices)
    first = forms.ChoiceField(label=_("Broken down by"), choices=Dimension.choices)
    second = forms.ChoiceField(
        label=_("And by (optional)"),
        choices=[("", _("Nothing else"))] + list(Dimension.choices),
        required=False,
    )
    period_start = MonthField(label=_("From the month of"))
    period_end = MonthField(label=_("To the month of (included)"))
    threshold = forms.IntegerField(
        label=_("Smallest count published"),
        min_value=THRESHOLD_MIN,
        max_value=1000,
        help_text=_(
            "A figure below this is hidden, and so is any figure that would let someone work it "
            "out. Never below 5."
        ),
    )
    epsilon = forms.DecimalField(
        label=_("Share of the privacy budget (ε)"),
        min_value=EPSILON_MIN,
        max_value=EPSILON_MAX,
        max_digits=5,
        decimal_places=2,
        help_text=_(
            "More budget gives figures closer to the truth but leaves less for the year's other "
            "releases."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", self.defaults())
        super().__init__(*args, **kwargs)

    @staticmethod
    def defaults() -> dict:
        today = timezone.localdate()
        return {
            "measure": Measure.MEMBERS,
            "first": Dimension.PATHOLOGY,
            "period_start": datetime.date(today.year, 1, 1),
            "period_end": today.replace(day=1),
            "threshold": settings.INSIGHTS_THRESHOLD,
            "epsilon": Decimal(str(settings.INSIGHTS_EPSILON)).quantize(Decimal("0.01")),
        }

    def clean(self):
        data = super().clean()
        first, second = data.get("first"), data.get("second")
        if first and second and first == second:
            self.add_error("second", _("Choose two different dimensions, or only one."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and start < EARLIEST:
            self.add_error("period_start", _("Choose a month from January 2020 on."))
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its first month."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("The period cannot end in the future."))
        return data

    def dimensions(self) -> list[str]:
        data = self.cleaned_data
        return [d for d in (data["first"], data.get("second")) if d]


class ShareForm(forms.Form):
    """The share and directory toggles (a checkbox each, sent as "on" or absent)."""

    on = forms.BooleanField(required=False)
