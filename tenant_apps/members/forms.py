from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db import connection
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import geo
from tenant_apps.members import selectors, services
from tenant_apps.members.models import Member, ProfileType, Visibility

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
DEPARTMENT_CHOICES = [("", _("I prefer not to say"))] + geo.department_choices()


def _charter_label() -> str:
    return format_html(
        '{} (<a href="{}" target="_blank" rel="noopener">{}</a>)',
        _("I accept the network's charter"),
        reverse_lazy("charter"),
        _("read it"),
    )


HEALTH_CONSENT_LABEL = _(
    "I agree that this network stores the health information I choose to give "
    "(profile type, pathologies), only to run the network. I can withdraw this consent "
    "at any time."
)


def _health_consent_help() -> str:
    return format_html(
        '{} <a href="{}?next={}#consents-title">{}</a>',
        _(
            "To state pathologies, your consent to the processing of health data is needed: "
            "tick the box just below."
        ),
        reverse_lazy("gdpr_overview"),
        reverse_lazy("profile_edit"),
        _("What this consent means"),
    )


class SignupForm(forms.Form):
    """What a network asks on registration, on top of pseudonym, email and password."""

    profile_type = forms.ChoiceField(label=_("I am"), choices=ProfileType.choices)
    pathologies = forms.ModelMultipleChoiceField(
        label=_("Pathologies"),
        queryset=selectors.pathologies_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you want to share; you can change it later."),
    )
    department = forms.ChoiceField(
        label=_("Département"), choices=DEPARTMENT_CHOICES, required=False
    )
    accept_charter = forms.BooleanField(label=lazy(_charter_label, str)(), required=True)
    consent_health_data = forms.BooleanField(label=HEALTH_CONSENT_LABEL, required=True)

    field_order = ["username", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        if connection.schema_name == "public":
            return  # a platform account (members.signup): no member, no network
        charter = selectors.charter_current()
        services.member_register(
            user=user,
            profile_type=self.cleaned_data["profile_type"],
            pathologies=list(self.cleaned_data["pathologies"]),
            department=self.cleaned_data["department"],
            charter_version=charter.version if charter else 0,
        )


class ProfileForm(forms.ModelForm):
    pathologies = forms.ModelMultipleChoiceField(
        label=_("Pathologies"),
        queryset=selectors.pathologies_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ChoiceField(
        label=_("Département"), choices=DEPARTMENT_CHOICES, required=False
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP or GIF picture of at most 2 MB. Avoid a photo of your face."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = Member
        fields = [
            "profile_type",
            "pathologies",
            "department",
            "bio",
            "visibility_profile_type",
            "visibility_pathologies",
            "visibility_region",
            "visibility_bio",
            "visibility_avatar",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 600}),
            **{
                f"visibility_{name}": forms.Select(choices=Visibility.choices)
                for name in ("profile_type", "pathologies", "region", "bio", "avatar")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without consent to health data no pathology can be stated: the box that gives it
        # sits right under the pathologies, so one tick and one save do both.
        self.needs_health_consent = not services.health_consent_active(member=self.instance)
        if self.needs_health_consent:
            self.fields["pathologies"].help_text = lazy(_health_consent_help, str)()
            self.fields["consent_health_data"] = forms.BooleanField(
                label=HEALTH_CONSENT_LABEL, required=False
            )
            order = list(self.fields)
            order.remove("consent_health_data")
            order.insert(order.index("pathologies") + 1, "consent_health_data")
            self.order_fields(order)

    def clean(self):
        data = super().clean()
        if (
            self.needs_health_consent
            and data.get("pathologies")
            and not data.get("consent_health_data")
        ):
            self.add_error(
                "pathologies",
                _(
                    "To state pathologies, tick the box that gives your consent to the "
                    "processing of health data, or leave the pathologies empty."
                ),
            )
        return data


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("Pseudonym"),
        max_length=40,
        help_text=_("Shown to other members. Do not use your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return data
