"""``manage.py billing sync`` (plans → Stripe products and prices) and
``manage.py billing reconcile`` (subscriptions ← Stripe, what the nightly job does)."""

from django.core.management.base import BaseCommand, CommandError

from shared_apps.billing import services
from shared_apps.billing.stripe_client import billing_enabled


class Command(BaseCommand):
    help = "Keep plans and subscriptions in step with Stripe."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["sync", "reconcile"])

    def handle(self, *args, action: str, **options):
        if not billing_enabled():
            raise CommandError("STRIPE_SECRET_KEY is not set: billing is off (free plan only).")
        if action == "sync":
            written = services.plans_sync()
            self.stdout.write(f"plans written to Stripe: {', '.join(written) or 'none'}")
        else:
            repaired = services.subscriptions_reconcile()
            self.stdout.write(f"subscriptions repaired: {repaired}")
