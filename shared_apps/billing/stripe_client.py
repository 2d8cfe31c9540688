"""The one way to Stripe: a ``stripe.StripeClient`` built from the settings.

``STRIPE_SECRET_KEY`` empty: billing is off and only the free plan exists.
``STRIPE_API_BASE`` points the client elsewhere than Stripe (tests: localstripe and the
stand-in for Checkout and the Customer Portal, on loopback).
"""

import functools

import stripe
from django.conf import settings


def billing_enabled() -> bool:
    """Paid plans exist only with a Stripe secret key; without one, the free plan alone."""
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """The client for the current settings (cached per key and address)."""
    if not billing_enabled():
        raise RuntimeError("billing is off: STRIPE_SECRET_KEY is not set")
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@functools.lru_cache(maxsize=4)
def _client(key: str, api_base: str) -> stripe.StripeClient:
    addresses: stripe.BaseAddresses = {"api": api_base} if api_base else {}
    # Retries are Stripe's idempotent ones: a webhook or a job asks again anyway.
    return stripe.StripeClient(key, base_addresses=addresses, max_network_retries=1)


def webhook_event(*, payload: bytes, signature: str | None) -> stripe.Event:
    """The event in a webhook's raw body, once its signature (and its age) is checked.

    Raises ``stripe.SignatureVerificationError`` for a bad or stale signature and
    ``ValueError`` for a body that is not an event."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise stripe.SignatureVerificationError("no webhook secret configured", signature)
    return stripe.Webhook.construct_event(payload, signature, secret)
