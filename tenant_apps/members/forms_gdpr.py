"""Forms of the member's own personal-data pages."""

from allauth.core import ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

KEEP_CONTENT = "keep"
DELETE_CONTENT = "delete"


class AccountEraseForm(forms.Form):
    """Confirm an erasure with the current password, and say what becomes of the messages."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask for it again to be sure it is really you."),
    )
    content = forms.ChoiceField(
        label=_("What you wrote in the network"),
        choices=[
            (KEEP_CONTENT, _("Keep my messages, signed “Deleted member”")),
            (DELETE_CONTENT, _("Delete my messages too")),
        ],
        initial=KEEP_CONTENT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # allauth's "reauthenticate" limit: the password cannot be guessed here either.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.request.user):
            raise forms.ValidationError(
                _("Too many attempts: wait a minute, then try again."), code="rate_limited"
            )
        if not self.request.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password

    @property
    def delete_content(self) -> bool:
        return self.cleaned_data["content"] == DELETE_CONTENT
