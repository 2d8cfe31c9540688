from django.db import models


class TemplateSnapshot(models.Model):
    """The template schema's DDL (``pg_dump --schema-only``) for one migration state of it.

    Taken once, when the template is migrated or by the first creation after that, and read by
    every process that creates a network: a ``pg_dump`` costs time that grows with the whole
    catalog (0.2 s at 10 networks, 3.8 s at 1,000), a row read does not. ``state`` is a digest
    of the template's ``django_migrations``: migrating the template changes it, so a snapshot
    of an older template is never used again.
    """

    template = models.CharField(max_length=63)
    state = models.CharField(max_length=64)
    ddl = models.TextField()
    # [table, whether its id is an identity column whose sequence must follow the rows]
    tables_with_rows = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["template", "state"], name="provisioning_snapshot_template_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template}@{self.state[:12]}"
