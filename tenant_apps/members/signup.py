from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.templatekit import get_entrance_context_data
from allauth.core.exceptions import ImmediateHttpResponse
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tenant_apps.members import selectors
from tenant_apps.members.models import NetworkAudience, ProfileType

# What a network asks on registration (members.forms.SignupForm), not asked on the platform.
PLATFORM_SKIPS = ("profile_type", "pathologies", "department", "accept_charter",
                  "consent_health_data")  # fmt: skip


class AccountSignupForm(SignupForm):
    """allauth's sign-up form, where the username is the public pseudonym.

    allauth sets the username label after the extra fields' form (members.forms.SignupForm)
    is built, so the label is set here, last.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Pseudonym")
        self.fields["username"].help_text = _("Shown to other members. Do not use your real name.")
        if connection.schema_name == "public":
            # The platform's domain: an account to manage a directory listing, not a member
            # of any network, so none of a network's questions (nor its tables) apply.
            for name in PLATFORM_SKIPS:
                self.fields.pop(name, None)
            return
        # A network of one space (its caregivers' network) proposes that space's profile
        # type first, rather than the first of the list ("Patient"), who would see nothing.
        spaces = selectors.spaces_list()
        if len(spaces) == 1 and spaces[0].audience and "profile_type" in self.fields:
            self.fields["profile_type"].initial = spaces[0].audience[0]
        # A network for health professionals only (its admins' setting) offers their profile
        # (and the association's volunteers'); they then ask to be verified (tenant_apps.pro).
        if (
            "profile_type" in self.fields
            and selectors.network_settings().audience == NetworkAudience.PROFESSIONALS
        ):
            offered = (ProfileType.PROFESSIONAL, ProfileType.VOLUNTEER)
            self.fields["profile_type"].choices = [
                (value, label) for value, label in ProfileType.choices if value in offered
            ]
            self.fields["profile_type"].initial = ProfileType.PROFESSIONAL

    def try_save(self, request):
        # Two sign-ups with look-alike pseudonyms at the same moment both pass validation;
        # the unique skeleton lets one win, and the other gets the form back, not a 500.
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.add_error("username", get_adapter().error_messages["username_taken"])
            context = {**get_entrance_context_data(request), "form": self}
            raise ImmediateHttpResponse(render(request, "account/signup.html", context)) from None
        except ValidationError as error:
            # The network's plan is full (members.services): nothing was kept.
            self.add_error(None, error.messages)
            context = {**get_entrance_context_data(request), "form": self}
            raise ImmediateHttpResponse(render(request, "account/signup.html", context)) from None
