"""Forms of the guidelines' pages: they collect input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.models import Member
from tenant_apps.pro.models import Guideline, WorkingGroupMember


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organ = forms.CharField(
        label=_("Organ or theme"),
        max_length=80,
        help_text=_("For example: Thorax, Supportive care."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.professional_title:
            return f"{obj.display_name} ({obj.professional_title})"
        return obj.display_name


class NameMemberForm(forms.Form):
    member = _MemberChoice(
        label=_("Verified professional"),
        queryset=Member.objects.none(),
        help_text=_("Only verified professionals can be named."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=WorkingGroupMember.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.filter(verified_professional=True, status=Member.Status.ACTIVE)
            .exclude(user=None)
            .select_related("user")
            .order_by("user__username")
        )


class RemoveMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=60000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1, max_num=40, absolute_max=40)


class VersionForm(forms.Form):
    change_summary = forms.CharField(
        label=_("What changed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a few words, for readers of this version."),
    )


class GuidelineForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    organ = forms.CharField(label=_("Organ or theme"), max_length=80)
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Guideline.Visibility.choices,
        initial=Guideline.Visibility.PROFESSIONALS,
    )  # fmt: skip

    field_order = ["title", "organ", "visibility", "change_summary"]


class ValidateForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Three years from today if left empty."),
    )


class ValidityForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    organ = forms.ChoiceField(label=_("Organ or theme"), required=False)

    def __init__(self, *args, organs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].choices = [("", _("All")), *[(o, o) for o in organs]]
