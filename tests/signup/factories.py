"""Platform accounts for sign-up's tests: representatives with a verified address and an
authenticator app, or without one of the two."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "x-long-secret-signup"


def representative(username: str, *, verified: bool = True, totp: bool = True, **fields):
    """A platform account (public schema: call it there); its TOTP secret as ``.secret``."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, **fields
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    user.secret = ""
    if totp:
        user.secret = generate_totp_secret()
        TOTP.activate(user, user.secret)
    return user


def platform_client(user=None) -> Client:
    """A client on the platform's domain, signed in as ``user`` (public schema)."""
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def form_data(name: str, **overrides) -> dict:
    return {
        "organization_name": f"Association {name}",
        "network_name": f"Réseau {name}",
        "subdomain": name,
        **overrides,
    }
