"""Forms of the RCP pages: they collect input; the services decide."""

from datetime import datetime

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
    # The form's two buttons send it: a message names them, not a field no one sees.
    attending = forms.TypedChoiceField(
        choices=[("1", _("I will attend")), ("0", _("I will not attend"))],
        coerce=lambda v: v == "1",
        error_messages={
            "required": _("Choose “I will attend” or “I will not attend”."),
            "invalid_choice": _("Choose “I will attend” or “I will not attend”."),
        },
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


def _verified_professionals():
    return (
        Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
        .exclude(user=None)
        .select_related("user")
        .order_by("user__username")
    )


class MeetingForm(forms.Form):
    """One meeting's day, time, duration, place and video link (empty: the series')."""

    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480
    )
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False,
        help_text=_("Leave empty for the series' usual place."),
    )  # fmt: skip
    join_url = forms.URLField(
        label=_("Video link"), max_length=500, required=False, assume_scheme="https",
        help_text=_("Leave empty for the series' usual link."),
    )  # fmt: skip

    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_of(cls, meeting, zone) -> dict:
        local = meeting.starts_at.astimezone(zone)
        return {
            "day": local.date(), "start_time": local.time(),
            "duration_minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
            "place": meeting.place, "join_url": meeting.join_url,
        }  # fmt: skip

    def values(self) -> dict:
        """The service's arguments: the day and time read in the network's zone."""
        data = self.cleaned_data
        starts_at = datetime.combine(data["day"], data["start_time"]).replace(tzinfo=self.zone)
        return {
            "starts_at": starts_at, "duration_minutes": data["duration_minutes"],
            "place": data["place"], "join_url": data["join_url"],
        }  # fmt: skip


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Participants read it. No name or health detail."),
    )


class InviteForm(forms.Form):
    SCOPES = [("meeting", _("This meeting")), ("series", _("Every meeting of the series"))]

    member = forms.ModelChoiceField(
        label=_("Verified professional"),
        queryset=Member.objects.none(),
        help_text=_("Only verified professionals of the network can be invited."),
    )
    profession = forms.ChoiceField(label=_("As"), choices=Profession.choices)
    scope = forms.ChoiceField(
        label=_("Invited to"), choices=SCOPES, initial="meeting", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _verified_professionals()
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.display_name} ({m.professional_title})" if m.professional_title
            else m.display_name
        )  # fmt: skip
