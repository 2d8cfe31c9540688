from allauth.account.forms import SignupForm
from django.utils.translation import gettext_lazy as _


class AccountSignupForm(SignupForm):
    """allauth's sign-up form, where the username is the public pseudonym.

    allauth sets the username label after the extra fields' form (members.forms.SignupForm)
    is built, so the label is set here, last.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Pseudonym")
        self.fields["username"].help_text = _("Shown to other members. Do not use your real name.")
