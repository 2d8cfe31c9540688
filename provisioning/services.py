"""The tenant lifecycle: create, suspend, resume, export, restore, delete.

Every schema crossing of the project that is not a request or a job happens here, inside
an explicit ``tenant_context`` (DESIGN invariant 4).
"""

import functools
import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists, tenant_context

from core.hooks import tenant_app_hooks
from provisioning import citus, validation
from provisioning.cloning import forget_snapshots, schema_clone, snapshot_ensure
from provisioning.pgtools import pg_connection_args, pg_tool
from shared_apps.directory.services import (
    association_for_organization,
    association_sync_customer,
    directory_network_remove,
)
from tenant_apps.events import services as events
from tenant_apps.members import services as members
from tenant_apps.members.models import NetworkSettings, ProfileType, Role
from tenant_apps.moderation import services as moderation
from tenants.links import tenant_base_url
from tenants.models import Branding, Domain, Export, Organization, Tenant
from tenants.services import audit

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    pass


CREATE_STEPS = ("organization", "tenant", "schema", "defaults", "admin", "domains", "activate")

# Defaults every new network starts with; the association edits them afterwards.
DEFAULT_SPACES = (
    ("patients", "Patients", "Pour les personnes malades et anciens malades.",
     (ProfileType.PATIENT, ProfileType.FORMER_PATIENT)),
    ("proches-aidants", "Proches aidants", "Pour les proches qui accompagnent une personne malade.",
     (ProfileType.CAREGIVER,)),
)  # fmt: skip
DEFAULT_CRISIS_RESOURCES = (
    ("Prévention du suicide", "3114", "Numéro national, 24 h/24, 7 j/7, gratuit."),
    ("SAMU", "15", "Urgence médicale."),
)
DEFAULT_CHARTER_TITLE = "Charte du réseau"
DEFAULT_CHARTER_BODY = (
    "Ce réseau est un espace d'entraide gratuit, anonyme et bienveillant.\n\n"
    "- Utilisez un pseudonyme et ne publiez pas d'informations permettant de vous identifier.\n"
    "- Respectez les autres membres, leurs choix et leur rythme.\n"
    "- Les échanges ne remplacent pas l'avis de votre équipe soignante.\n"
    "- Les modérateurs, patients partenaires, peuvent masquer un message contraire à la charte.\n"
    "- En cas de détresse, appelez le 3114 ; en cas d'urgence médicale, le 15."
)


def _in_public(service: Callable) -> Callable:
    """Lifecycle services start from the public schema, wherever they are called from."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        with schema_context("public"):
            return service(*args, **kwargs)

    return run


class ProvisioningError(Exception):
    """A lifecycle request that cannot be carried out, with a message for the operator."""


@dataclass(frozen=True)
class Creation:
    tenant: Tenant
    invitation_url: str
    created: bool


# --- Platform and template -------------------------------------------------------------------

_template_at_head = threading.Event()


@_in_public
def platform_ensure() -> Tenant:
    """The platform's own row (public schema) and its domain; idempotent."""
    public, _created = Tenant.objects.get_or_create(
        schema_name="public",
        defaults={"name": settings.PLATFORM_NAME, "slug": "public", "status": "active"},
    )
    Domain.objects.get_or_create(
        domain=settings.PLATFORM_DOMAIN,
        defaults={"tenant": public, "is_primary": True, "verified": True},
    )
    return public


def template_forget() -> None:
    """Forget what this process knows of the template (it is on another database now)."""
    _template_at_head.clear()
    forget_snapshots()


def template_ensure(progress: Progress = _quiet) -> None:
    """Keep the template schema that new tenants are cloned from migrated to head."""
    if _template_at_head.is_set():
        return
    template = settings.TENANT_BASE_SCHEMA
    with schema_context("public"):
        if not schema_exists(template):
            progress("template:create")
            # Read only, never served: a local schema on a Citus coordinator (provisioning.citus).
            with transaction.atomic(), connection.cursor() as cursor:
                citus.execute(citus.local_schema_statements())
                cursor.execute(f'CREATE SCHEMA "{template}"')
    # django-tenants' connection methods, unknown to the Django stubs.
    connection.set_schema(template, include_public=False)  # type: ignore[attr-defined]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    if pending:
        progress("template:migrate")
        call_command(
            "migrate_schemas", schema_name=template, tenant=True, interactive=False, verbosity=0
        )
    # Its DDL for every process that creates a network (one read when it is there already).
    with schema_context("public"):
        snapshot_ensure(template)
    _template_at_head.set()


# --- Create ----------------------------------------------------------------------------------


@_in_public
def tenant_create(
    *,
    slug: str,
    name: str,
    organization_slug: str,
    organization_name: str = "",
    admin_email: str,
    custom_domain: str = "",
    tagline: str = "",
    primary_color: str = "",
    accent_color: str = "",
    listed: bool = False,
    directory_listing: bool = False,
    actor: str,
    progress: Progress = _quiet,
) -> Creation:
    """Create a network from the template schema, all or nothing, and invite its first admin.

    ``directory_listing``: the association opted in to the platform directory, where its own
    listing is created (kept in step with its organization and listed networks by a job).

    Calling it again for an existing network with the same organization returns that network
    unchanged. Every write happens in one transaction, schema clone included (PostgreSQL DDL
    is transactional), so a failure or a killed process leaves nothing behind.
    """
    _validate_creation(slug=slug, admin_email=admin_email, custom_domain=custom_domain)
    existing = Tenant.objects.filter(slug=slug).select_related("organization").first()
    if existing is not None:
        if existing.organization and existing.organization.slug == organization_slug:
            return Creation(tenant=existing, invitation_url="", created=False)
        raise ProvisioningError(_("The identifier “%(slug)s” is already taken.") % {"slug": slug})
    template_ensure(progress)

    with transaction.atomic():
        progress("organization")
        organization, _created = Organization.objects.get_or_create(
            slug=organization_slug, defaults={"name": organization_name or organization_slug}
        )
        progress("tenant")
        tenant = Tenant.objects.create(
            schema_name=validation.schema_name_for(slug),
            slug=slug,
            name=name,
            organization=organization,
            listed=listed,
        )
        branding = Branding(tenant=tenant, display_name=name, tagline=tagline)
        branding.primary_color = primary_color or branding.primary_color
        branding.accent_color = accent_color or branding.accent_color
        branding.full_clean()
        branding.save()

        progress("schema")
        with citus.distributed_schema(tenant.schema_name):
            schema_clone(settings.TENANT_BASE_SCHEMA, tenant.schema_name)
        with tenant_context(tenant):
            progress("defaults")
            _seed_defaults()
            progress("admin")
            invitation = members.invitation_create(email=admin_email, role=Role.ADMIN)

        progress("domains")
        primary = f"{slug}.{settings.PLATFORM_DOMAIN}"
        Domain.objects.create(domain=primary, tenant=tenant, is_primary=True, verified=True)
        if custom_domain:
            Domain.objects.create(domain=custom_domain, tenant=tenant, is_primary=False)

        progress("activate")
        tenant.status = Tenant.Status.ACTIVE
        tenant.save(update_fields=["status"])
        if directory_listing:
            association_for_organization(organization=organization, description=tagline)
        else:
            association_sync_customer(organization_id=organization.pk)
        audit(actor=actor, action="create", tenant_slug=slug, organization=organization.slug)

    url = f"{tenant_base_url(tenant, domain=primary)}/invitation/{invitation.key}/"
    return Creation(tenant=tenant, invitation_url=url, created=True)


def _validate_creation(*, slug: str, admin_email: str, custom_domain: str) -> None:
    errors: dict[str, list[str]] = {}
    for field, check, value in (
        ("slug", validation.validate_slug, slug),
        ("admin_email", validation.validate_admin_email, admin_email),
        ("custom_domain", validation.validate_hostname, custom_domain),
    ):
        if field == "custom_domain" and not value:
            continue
        try:
            check(value)
        except ValidationError as error:
            errors[field] = error.messages
    if custom_domain and Domain.objects.filter(domain=custom_domain).exists():
        errors.setdefault("custom_domain", []).append(
            _("The domain “%(host)s” already serves a network.") % {"host": custom_domain}
        )
    if errors:
        raise ValidationError(errors)


def _seed_defaults() -> None:
    for slug, space_name, description, audience in DEFAULT_SPACES:
        members.space_create(name=space_name, slug=slug, description=description, audience=audience)
    NetworkSettings.objects.create()
    members.charter_publish(title=DEFAULT_CHARTER_TITLE, body=DEFAULT_CHARTER_BODY)
    for resource_name, phone, description in DEFAULT_CRISIS_RESOURCES:
        moderation.crisis_resource_create(name=resource_name, phone=phone, description=description)
    for _app, seed in tenant_app_hooks("seeds", "seed_defaults"):
        seed()


# --- Suspend, resume -------------------------------------------------------------------------


def _access_tenant(slug: str) -> Tenant:
    tenant = Tenant.objects.exclude(schema_name="public").filter(slug=slug).first()
    if tenant is None:
        raise ProvisioningError(_("No network has the identifier “%(slug)s”.") % {"slug": slug})
    return tenant


@_in_public
def tenant_suspend(*, slug: str, actor: str, reason: str = "") -> Tenant:
    """Take a network offline: its site answers 503 until it is resumed."""
    with transaction.atomic():
        tenant = _access_tenant(slug)
        tenant.status = Tenant.Status.SUSPENDED
        tenant.save(update_fields=["status"])
        # Its events leave the platform directory (resuming lists them again as they change).
        directory_network_remove(tenant=tenant)
        audit(actor=actor, action="suspend", tenant_slug=slug, reason=reason)
    return tenant


@_in_public
def tenant_resume(*, slug: str, actor: str) -> Tenant:
    """Put a suspended network back online."""
    with transaction.atomic():
        tenant = _access_tenant(slug)
        if tenant.status != Tenant.Status.SUSPENDED:
            raise ProvisioningError(_("The network “%(slug)s” is not suspended.") % {"slug": slug})
        tenant.status = Tenant.Status.ACTIVE
        tenant.save(update_fields=["status"])
        audit(actor=actor, action="resume", tenant_slug=slug)
        with tenant_context(tenant):
            events.directory_relist()  # its events, removed at the suspension, listed again
        association_sync_customer(organization_id=tenant.organization_id)  # and the network
    return tenant


# --- Export, restore -------------------------------------------------------------------------

ARCHIVE_FORMAT = 1


def tenant_files_root(tenant: Tenant) -> Path:
    return Path(settings.MEDIA_ROOT) / tenant.schema_name


@_in_public
def tenant_export(*, slug: str, actor: str, progress: Progress = _quiet) -> Export:
    """Write one archive with the schema's dump, the network's public rows and its files."""
    tenant = _access_tenant(slug)
    export_dir = Path(settings.TENANT_EXPORT_DIR)
    export_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    final = export_dir / f"{slug}-{stamp}.tar.gz"
    partial = final.with_name(final.name + ".partial")
    args, env = pg_connection_args()
    with tempfile.TemporaryDirectory(prefix="entraide-export-") as work:
        dump = Path(work) / "schema.dump"
        progress("dump")
        subprocess.run(  # noqa: S603 - fixed binary, arguments built here
            [pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
             f"--schema={tenant.schema_name}", f"--file={dump}", connection.settings_dict["NAME"]],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        progress("manifest")
        manifest = Path(work) / "manifest.json"
        manifest.write_text(json.dumps(_manifest(tenant), ensure_ascii=False, indent=2))
        progress("archive")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(manifest, arcname="manifest.json")
                archive.add(dump, arcname="schema.dump")
                files = tenant_files_root(tenant)
                if files.is_dir():
                    archive.add(files, arcname="files")
            partial.rename(final)
        finally:
            partial.unlink(missing_ok=True)
    export = Export.objects.create(tenant=tenant, path=str(final), size_bytes=final.stat().st_size)
    audit(actor=actor, action="export", tenant_slug=slug, archive=final.name)
    return export


def _manifest(tenant: Tenant) -> dict[str, object]:
    branding = tenant.branding
    organization = tenant.organization
    if organization is None:
        raise ValueError("only a network, which belongs to an organization, is exported")
    return {
        "format": ARCHIVE_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "slug": tenant.slug,
        "name": tenant.name,
        "schema_name": tenant.schema_name,
        "status": tenant.status,
        "listed": tenant.listed,
        "organization": {"slug": organization.slug, "name": organization.name},
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary, "verified": d.verified}
            for d in tenant.domains.all()
        ],
        "branding": {
            "display_name": branding.display_name,
            "tagline": branding.tagline,
            "logo": branding.logo.name,
            "primary_color": branding.primary_color,
            "accent_color": branding.accent_color,
            "contact_email": branding.contact_email,
            "legal_notice": branding.legal_notice,
        },
    }


def archive_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile("manifest.json")
        if member is None:
            raise ProvisioningError(_("This archive has no manifest."))
        manifest = json.load(member)
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise ProvisioningError(_("This archive's format is not supported."))
    return manifest


@_in_public
def tenant_restore(*, archive_path: Path, actor: str, progress: Progress = _quiet) -> Tenant:
    """Bring an exported network back: its schema, its rows and its files."""
    manifest = archive_manifest(archive_path)
    slug, schema = manifest["slug"], manifest["schema_name"]
    if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema):
        raise ProvisioningError(_("The network “%(slug)s” already exists.") % {"slug": slug})
    files_root = Path(settings.MEDIA_ROOT) / schema
    args, env = pg_connection_args()
    with tempfile.TemporaryDirectory(prefix="entraide-restore-") as work:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        try:
            progress("schema")
            subprocess.run(  # noqa: S603 - fixed binary, arguments built here
                [pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
                 f"--dbname={connection.settings_dict['NAME']}", str(Path(work) / "schema.dump")],
                env=citus.tool_environment(env), check=True, capture_output=True,
            )  # fmt: skip
            progress("files")
            if (Path(work) / "files").is_dir():
                shutil.copytree(Path(work) / "files", files_root)
            progress("rows")
            with transaction.atomic():
                citus.execute(citus.distribute_statements(schema))
                tenant = _restore_rows(manifest)
                audit(actor=actor, action="restore", tenant_slug=slug, archive=archive_path.name)
        except BaseException:
            # The dump and the files went in outside the transaction: take them out again.
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            shutil.rmtree(files_root, ignore_errors=True)
            raise
    return tenant


def _restore_rows(manifest: dict) -> Tenant:
    organization, _created = Organization.objects.get_or_create(
        slug=manifest["organization"]["slug"],
        defaults={"name": manifest["organization"]["name"]},
    )
    tenant = Tenant.objects.create(
        schema_name=manifest["schema_name"],
        slug=manifest["slug"],
        name=manifest["name"],
        organization=organization,
        listed=manifest["listed"],
        status=manifest["status"],
    )
    Branding.objects.create(tenant=tenant, **manifest["branding"])
    for domain in manifest["domains"]:
        Domain.objects.create(tenant=tenant, **domain)
    return tenant


# --- Delete ----------------------------------------------------------------------------------


@_in_public
def tenant_delete(*, slug: str, actor: str, force: bool = False) -> None:
    """Drop a network's schema, rows and files; refused unless an export exists or forced."""
    tenant = _access_tenant(slug)
    has_export = any(Path(e.path).is_file() for e in tenant.exports.all())
    if not (has_export or force):
        raise ProvisioningError(
            _("The network “%(slug)s” has no export: export it first, or force the deletion.")
            % {"slug": slug}
        )
    files = tenant_files_root(tenant)
    with transaction.atomic():
        schema = tenant.schema_name
        directory_network_remove(tenant=tenant)
        tenant.delete(force_drop=True)
        audit(actor=actor, action="delete", tenant_slug=slug, forced=force and not has_export)
        logger.info("network %s deleted, schema %s dropped", slug, schema)
    shutil.rmtree(files, ignore_errors=True)
