"""The plans every platform starts with; operators change prices and limits in the admin,
and ``manage.py billing sync`` creates their Stripe products and prices."""

from django.db import migrations

# (code, name, interval, price in cents, networks, members per network, storage MB,
# white label, position)
PLANS = (
    ("gratuit", "Gratuit", "free", 0, 1, 50, 500, False, 0),
    ("association-mensuel", "Association — mensuel", "month", 2900, 3, 1000, 10_240, True, 10),
    ("association-annuel", "Association — annuel", "year", 29_000, 3, 1000, 10_240, True, 11),
    ("federation-mensuel", "Fédération — mensuel", "month", 9900, 15, 10_000, 51_200, True, 20),
    ("federation-annuel", "Fédération — annuel", "year", 99_000, 15, 10_000, 51_200, True, 21),
)


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, name, interval, price, networks, members, storage, white, position in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "interval": interval,
                "price_cents": price,
                "max_networks": networks,
                "max_members": members,
                "max_storage_mb": storage,
                "white_label": white,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("billing", "Plan").objects.filter(
        code__in=[plan[0] for plan in PLANS], subscriptions__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_subscription_networks")]

    operations = [migrations.RunPython(seed, unseed)]
