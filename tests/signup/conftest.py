"""Sign-up's tests read billing's plans (seeded again when a test that committed flushed
them), and its paid plan runs against billing's localstripe and Checkout stand-in."""

from tests.billing.conftest import (  # noqa: F401 - fixtures, found by pytest here
    localstripe,
    seeded_plans,
    stripe_api,
    stripe_on,
    stripe_stand_in,
)
