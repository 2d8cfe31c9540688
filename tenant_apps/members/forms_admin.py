"""Forms of the association admins' area: they parse input, services decide."""

from datetime import datetime, time

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.members.forms import IMAGE_TYPES
from tenant_apps.members.models import (
    Member,
    NetworkSettings,
    Pathology,
    ProfileType,
    Role,
    Space,
)
from tenants.models import Branding

ANY = [("", _("All"))]


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Pseudonym"), required=False, max_length=150, widget=forms.SearchInput
    )
    role = forms.ChoiceField(label=_("Role"), choices=ANY + Role.choices, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + Member.Status.choices, required=False
    )
    profile_type = forms.ChoiceField(
        label=_("Profile"), choices=ANY + ProfileType.choices, required=False
    )

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is ignored rather than refused."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "role": data["role"],
            "status": data["status"],
            "profile_type": data["profile_type"],
        }


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Give the member a reason.")},
        help_text=_("Kept for the team's record: stick to the facts."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )
    until = forms.DateField(
        label=_("Suspended until"),
        required=False,
        help_text=_(
            "The member may come back on this day. Leave empty to suspend until reinstated."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_until(self) -> datetime | None:
        day = self.cleaned_data["until"]
        if day is None:
            return None
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return timezone.make_aware(datetime.combine(day, time.min))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        taken = (
            get_user_model().objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        )
        if taken:
            raise forms.ValidationError(_("An account already uses this email address."))
        return email


class BrandingForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A JPEG, PNG, WebP or GIF picture of at most 2 MB, shown square."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMAGE_TYPES)}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Branding
        fields = [
            "display_name",
            "tagline",
            "primary_color",
            "accent_color",
            "contact_email",
            "legal_notice",
            "time_zone",
        ]
        help_texts = {
            "time_zone": _("Dates on the site and in its emails are shown and typed in this zone."),
            "primary_color": _("As #RRGGBB; it must be readable on a white page."),
            "accent_color": _("As #RRGGBB; it must be readable on a white page."),
        }
        widgets = {
            "primary_color": forms.TextInput(attrs={"maxlength": 7, "spellcheck": "false"}),
            "accent_color": forms.TextInput(attrs={"maxlength": 7, "spellcheck": "false"}),
            "legal_notice": forms.Textarea(attrs={"rows": 5}),
        }


class PathologyForm(forms.Form):
    name = forms.CharField(label=_("Pathology"), max_length=120)

    def __init__(self, *args, pathology: Pathology | None = None, **kwargs):
        self.pathology = pathology
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = Pathology.objects.filter(name__iexact=name)
        if self.pathology is not None:
            others = others.exclude(pk=self.pathology.pk)
        if others.exists():
            raise forms.ValidationError(_("This pathology is already in the list."))
        return name


class CharterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=50,
        help_text=_("Lowercase letters, digits and hyphens, e.g. caregivers."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.MultipleChoiceField(
        label=_("Open to"),
        choices=ProfileType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Moderators and admins see every space."),
    )
    professionals_only = forms.BooleanField(
        label=_("Verified professionals only"),
        required=False,
        help_text=_("Then only verified professionals enter it, whatever their profile."),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Space.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another space already uses this short name."))
        return slug


class SpaceEditForm(SpaceForm):
    """The same fields without the slug, which addresses already use."""

    slug = None


class AudienceForm(forms.ModelForm):
    """Who the network is for, and whether local groups open without approval."""

    class Meta:
        model = NetworkSettings
        fields = ["audience", "local_groups_open"]


class RetentionForm(forms.ModelForm):
    class Meta:
        model = NetworkSettings
        fields = ["inactive_retention_days"]
