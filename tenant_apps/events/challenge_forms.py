"""Forms of the walking challenges. The limits (future day, after the end, negative or
absurd amounts) are the service's, so the page and the API give the same errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.events.forms import DescribedMixin
from tenant_apps.events.models import Challenge


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntryForm(DescribedMixin, forms.Form):
    day = forms.DateField(
        label=_("Day"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Give the day."), "invalid": _("Give a valid date.")},
    )
    amount = forms.IntegerField(
        label=_("Steps"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "required": _("Give a number, 0 if you could not walk that day."),
            "invalid": _("Give a whole number, without spaces or dots."),
        },
    )

    def __init__(self, *args, challenge: Challenge, **kwargs):
        super().__init__(*args, **kwargs)
        if challenge.unit == Challenge.Unit.MINUTES:
            self.fields["amount"].label = _("Minutes of activity")
            self.fields["amount"].help_text = _(
                "Any activity counts: walking, moving, exercises. At most 1,440 a day."
            )
        else:
            self.fields["amount"].help_text = _(
                "Your phone or pedometer shows them. At most 100,000 a day."
            )
        self.fields["amount"].widget.attrs["max"] = challenge.daily_max
        self.describe()


class ChallengeForm(DescribedMixin, forms.Form):
    unit = forms.ChoiceField(
        label=_("What is counted"), choices=Challenge.Unit.choices, widget=forms.RadioSelect
    )
    goal = forms.IntegerField(
        label=_("Collective goal"),
        min_value=1,
        help_text=_("The total the network aims for together, in steps or minutes."),
    )
    team_mode = forms.BooleanField(
        label=_("Teams (members join one with its code)"), required=False
    )
    ranking = forms.ChoiceField(
        label=_("Ranking"), choices=Challenge.Ranking.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe()


class TeamCreateForm(DescribedMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="team", **kwargs)
        self.describe()


class TeamJoinForm(DescribedMixin, forms.Form):
    code = forms.CharField(
        label=_("Team code"), max_length=12, help_text=_("Six letters and digits.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="join", **kwargs)
        self.describe()
