"""Forms of the RCP pages: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member
from tenant_apps.pro.models import Profession, RcpCase, RcpSeries

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip


class SeriesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organ = forms.CharField(label=_("Organ or theme"), max_length=80)
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=RcpSeries.Recurrence.choices)
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=90
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    join_url = forms.URLField(
        label=_("Video link"), max_length=500, required=False, assume_scheme="https"
    )
    quorum = forms.MultipleChoiceField(
        label=_("Professions required for the quorum"),
        choices=Profession.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("A verified professional who runs the meetings."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = (
            Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
            .select_related("user")
            .order_by("user__username")
        )
        self.fields["coordinator"].label_from_instance = lambda m: m.display_name


class AttendanceForm(forms.Form):
    attending = forms.TypedChoiceField(
        choices=[("1", _("I will attend")), ("0", _("I will not attend"))],
        coerce=lambda v: v == "1",
    )
    profession = forms.ChoiceField(label=_("As"), choices=Profession.choices, required=False)


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Record reference"),
        max_length=40,
        help_text=_(
            "The case's reference in the hospital's record system (“IPP 2024-000123”): "
            "never a name, a date of birth or a social security number."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=RcpCase.Decision.choices)
    decision_reference = forms.CharField(
        label=_("Reference of the decision form"), max_length=40, required=False
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Cases by reference only: no name, date of birth or health detail."),
    )


class PresenceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (p.member_id, f"{p.member.display_name} · {p.get_profession_display()}")
            for p in participants
        ]
