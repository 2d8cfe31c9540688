from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.messaging.models import BODY_MAX
from tenant_apps.social.models import SocialSettings

CONFIRM_LABEL = _("I confirm I want to send this information to this member")


class MessageForm(forms.Form):
    """A private message; the identifying-data confirmation appears only once screening
    found something (or when it was already ticked)."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=BODY_MAX,
        help_text=_("Plain text, only the two of you read it."),
    )
    confirm_identifying = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.is_bound and self.data.get("confirm_identifying")):
            del self.fields["confirm_identifying"]

    def ask_identifying(self) -> None:
        """Show the confirmation checkbox (after screening found identifying data)."""
        self.fields["confirm_identifying"] = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class FirstContactForm(forms.Form):
    first_contact = forms.ChoiceField(
        label=_("Who may write to me first"),
        choices=SocialSettings.FirstContact.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Once a conversation has started, both of you may write in it. The moderators may "
            "always write to a member they are helping. Blocking someone stops them at once."
        ),
    )
