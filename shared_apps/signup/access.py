"""Who may use sign-up's pages, and which requests and organizations are whose.

A representative is a platform account (public schema) with a verified email address and
an authenticator app (TOTP), as for operators. A request and an organization are readable
by the account that asked for them alone: anyone else, staff included, gets the 404 of one
that does not exist.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.http import Http404

from shared_apps.signup.models import SignupRequest
from tenants.models import Organization

# The steps before a network can be created, in order.
STEP_ACCOUNT = "account"
STEP_EMAIL = "email"
STEP_TOTP = "totp"


def steps_missing(user) -> list[str]:
    """What this person still has to do before creating a network."""
    if not (user.is_authenticated and user.is_active):
        return [STEP_ACCOUNT, STEP_EMAIL, STEP_TOTP]
    missing = []
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        missing.append(STEP_EMAIL)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        missing.append(STEP_TOTP)
    return missing


def requests_of(user) -> QuerySet[SignupRequest]:
    """The sign-up requests this account made."""
    if not user.is_authenticated:
        return SignupRequest.objects.none()
    return SignupRequest.objects.filter(account_id=user.pk)


def request_or_404(user, pk: int) -> SignupRequest:
    request = requests_of(user).select_related("tenant", "organization", "plan").filter(pk=pk)
    found = request.first()
    if found is None:
        raise Http404
    return found


def organizations_of(user) -> QuerySet[Organization]:
    """The organizations this account created by signing up."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(signup_requests__account_id=user.pk).distinct()


def organization_or_404(user, pk: int) -> Organization:
    found = organizations_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
