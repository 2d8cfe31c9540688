"""``manage.py tenants create|list|suspend|resume|export|restore|delete|template|demo``."""

import getpass
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from provisioning import demo, services
from tenants.models import Tenant

STEP_LABELS = {
    "template:create": "Creating the template schema",
    "template:migrate": "Migrating the template schema (once per release)",
    "organization": "Organization",
    "tenant": "Network row and branding",
    "schema": "Schema",
    "defaults": "Default spaces, charter and crisis resources",
    "admin": "First admin invitation",
    "domains": "Domains",
    "activate": "Activation",
    "dump": "Dumping the schema",
    "manifest": "Writing the manifest",
    "archive": "Packing the archive",
    "files": "Files",
    "rows": "Platform rows",
}


class Command(BaseCommand):
    help = "Create and run networks (tenants): create, list, suspend, resume, export, delete."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        create = sub.add_parser("create", help="Create a network from the template schema.")
        create.add_argument("slug", help="identifier, e.g. poumon (also the subdomain)")
        create.add_argument("--name", required=True, help="the network's display name")
        create.add_argument("--organization", required=True, help="organization slug")
        create.add_argument("--organization-name", default="", help="name, if it is new")
        create.add_argument("--admin-email", required=True, help="who gets the invitation")
        create.add_argument("--domain", default="", help="a custom domain (unverified)")
        create.add_argument("--tagline", default="")
        create.add_argument("--listed", action="store_true", help="show on the platform home")
        create.add_argument(
            "--directory", action="store_true", help="create the association's directory listing"
        )

        sub.add_parser("list", help="List networks with their status and domains.")
        suspend = sub.add_parser("suspend", help="Take a network offline (503).")
        suspend.add_argument("slug")
        suspend.add_argument("--reason", default="")
        resume = sub.add_parser("resume", help="Put a suspended network back online.")
        resume.add_argument("slug")
        export = sub.add_parser("export", help="Write a restorable archive of a network.")
        export.add_argument("slug")
        restore = sub.add_parser("restore", help="Restore a network from an archive.")
        restore.add_argument("archive", type=Path)
        delete = sub.add_parser("delete", help="Drop a network (refused without an export).")
        delete.add_argument("slug")
        delete.add_argument("--force", action="store_true", help="delete without an export")
        sub.add_parser("template", help="Create or migrate the template schema.")
        sub.add_parser("demo", help="Provision the demo networks and accounts (idempotent).")

    def handle(self, *args, action: str, **options):
        self.actor = f"cli:{getpass.getuser()}"
        self.started = time.monotonic()
        try:
            getattr(self, f"do_{action}")(**options)
        except ValidationError as error:
            raise CommandError(_format_validation(error)) from error
        except services.ProvisioningError as error:
            raise CommandError(str(error)) from error

    def progress(self, step: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"  [{elapsed:6.2f} s] {STEP_LABELS.get(step, step)}…")

    def do_create(self, *, slug, name, organization, organization_name, admin_email, domain,
                  tagline, listed, directory=False, **_):  # fmt: skip
        creation = services.tenant_create(
            slug=slug,
            name=name,
            organization_slug=organization,
            organization_name=organization_name,
            admin_email=admin_email,
            custom_domain=domain,
            tagline=tagline,
            listed=listed,
            directory_listing=directory,
            actor=self.actor,
            progress=self.progress,
        )
        if not creation.created:
            self.stdout.write(f"The network {slug} already exists; nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(f"Network {slug} created."))
        self.stdout.write(f"First admin invitation (sent by email): {creation.invitation_url}")

    def do_list(self, **_):
        tenants = (
            Tenant.objects.exclude(schema_name="public")
            .select_related("organization")
            .prefetch_related("domains")
            .order_by("organization__slug", "slug")
        )
        for tenant in tenants:
            domains = ", ".join(d.domain for d in tenant.domains.all())
            self.stdout.write(
                f"{tenant.slug:24} {tenant.status:12} {tenant.organization.slug:20} {domains}"
            )

    def do_suspend(self, *, slug, reason, **_):
        services.tenant_suspend(slug=slug, actor=self.actor, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"Network {slug} suspended."))

    def do_resume(self, *, slug, **_):
        services.tenant_resume(slug=slug, actor=self.actor)
        self.stdout.write(self.style.SUCCESS(f"Network {slug} resumed."))

    def do_export(self, *, slug, **_):
        export = services.tenant_export(slug=slug, actor=self.actor, progress=self.progress)
        self.stdout.write(
            self.style.SUCCESS(f"Exported to {export.path} ({export.size_bytes} bytes).")
        )

    def do_restore(self, *, archive, **_):
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        tenant = services.tenant_restore(
            archive_path=archive, actor=self.actor, progress=self.progress
        )
        self.stdout.write(self.style.SUCCESS(f"Network {tenant.slug} restored."))

    def do_delete(self, *, slug, force, **_):
        services.tenant_delete(slug=slug, actor=self.actor, force=force)
        self.stdout.write(self.style.SUCCESS(f"Network {slug} deleted."))

    def do_template(self, **_):
        services.platform_ensure()
        services.template_ensure(progress=self.progress)
        self.stdout.write(self.style.SUCCESS("Template schema at head."))

    def do_demo(self, **_):
        with transaction.atomic():
            services.platform_ensure()
        for line in demo.demo_seed(actor=self.actor, progress=self.progress):
            self.stdout.write(line)


def _format_validation(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "\n".join(
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return "\n".join(error.messages)
