"""The pseudonym's skeleton, unique: added empty, filled for existing accounts, then made
unique. Existing look-alikes keep their pseudonyms; the later account's key gets its id."""

from django.db import migrations, models

import shared_apps.accounts.pseudonyms


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: set[str] = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        key = shared_apps.accounts.pseudonyms.pseudonym_skeleton(user.username)
        if key in seen:
            key = f"{key}#{user.pk}"
        seen.add(key)
        User.objects.filter(pk=user.pk).update(pseudonym_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="pseudonym_key",
            field=models.CharField(editable=False, max_length=200, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={"unique": "This pseudonym is already taken."},
                help_text="Shown to other members. Do not use your real name.",
                max_length=40,
                unique=True,
                validators=[shared_apps.accounts.pseudonyms.PseudonymValidator()],
                verbose_name="pseudonym",
            ),
        ),
    ]
