"""Writes of the care offer (admins), care pathways and local groups."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import geo
from core import search as french
from core.markup import render_markdown
from tenant_apps.forums import services as forums
from tenant_apps.forums.models import Group
from tenant_apps.members.models import Member
from tenant_apps.members.selectors import network_settings
from tenant_apps.members.services import audit
from tenant_apps.pro.models import CarePathway, CareProvider, LocalGroup

# The fields an admin writes on a provider (the form, the API, the CSV import).
PROVIDER_FIELDS = (
    "name", "kind", "establishment", "description", "specialties", "address", "postcode",
    "city", "department", "phone", "email", "website",
)  # fmt: skip


def search_text(provider: CareProvider) -> str:
    """What the list's French search reads: folded, the stop words blanked (core.search)."""
    parts = [
        provider.name,
        provider.get_kind_display(),
        provider.specialties,
        provider.city,
        geo.DEPARTMENT_NAMES.get(provider.department, ""),
        provider.description,
    ]
    return french.searchable(" ".join(part for part in parts if part))


def _prepared(provider: CareProvider) -> CareProvider:
    """Validate a provider's fields; derive its région and its search document."""
    errors: dict[str, Any] = {}
    provider.department = provider.department.strip().upper()
    if provider.department not in geo.DEPARTMENT_REGION:
        errors["department"] = _("Choose a French département (its code, such as 86).")
    if provider.postcode and not (provider.postcode.isdigit() and len(provider.postcode) == 5):
        errors["postcode"] = _("A postcode has five digits.")
    if provider.establishment_id is not None:
        if provider.kind != CareProvider.Kind.SERVICE:
            errors["establishment"] = _("Only a hospital service belongs to an establishment.")
        elif provider.establishment_id == provider.pk:
            errors["establishment"] = _("A service cannot belong to itself.")
    same = CareProvider.objects.filter(
        name__iexact=provider.name.strip(), city__iexact=provider.city
    )
    if provider.name and same.exclude(pk=provider.pk).exists():
        # A second click on "Save", or the same place entered twice.
        errors["name"] = _duplicate().message_dict["name"][0]
    try:
        provider.full_clean(exclude=["region", "search_document", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    provider.region = geo.DEPARTMENT_REGION[provider.department]
    provider.search_document = search_text(provider)
    return provider


def _duplicate() -> ValidationError:
    return ValidationError(
        {"name": [_("This provider is already in the care offer (same name and city).")]}
    )


def _save(provider: CareProvider) -> None:
    """Save; the same name and city saved at the same instant by someone else (the
    ``pro_care_provider_once`` constraint) is the form's error, not a 500."""
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as error:
        if "pro_care_provider_once" not in str(error):
            raise
        raise _duplicate() from None


def provider_create(*, actor: Member, **fields: Any) -> CareProvider:
    """Add one provider to the care offer."""
    for key in fields:
        if key not in PROVIDER_FIELDS:
            raise ValueError(key)
    values = {key: "" if value is None else value for key, value in fields.items()}
    values["establishment"] = fields.get("establishment")
    provider = _prepared(CareProvider(**values))
    _save(provider)
    audit(actor=actor, action="pro_care_provider_create", provider=provider.pk)
    return provider


def provider_update(*, actor: Member, provider: CareProvider, **fields: Any) -> CareProvider:
    """Change a provider's fields."""
    for key, value in fields.items():
        if key not in PROVIDER_FIELDS:
            raise ValueError(key)
        setattr(provider, key, value if value is not None or key == "establishment" else "")
    _save(_prepared(provider))
    audit(actor=actor, action="pro_care_provider_update", provider=provider.pk)
    return provider


def providers_import(*, actor: Member, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Write rows that ``csv_io.parse`` validated, all or none: one transaction, bulk
    inserts; a service's ``establishment`` is the name of an establishment already in the
    offer or earlier in the same file."""
    rows = list(rows)
    with transaction.atomic():
        known = {
            name.casefold(): pk
            for pk, name in CareProvider.objects.filter(
                kind=CareProvider.Kind.ESTABLISHMENT
            ).values_list("pk", "name")
        }
        created: list[CareProvider] = []
        # Establishments first, so that the services of the same file find them.
        ordered = sorted(rows, key=lambda row: row["kind"] != CareProvider.Kind.ESTABLISHMENT)
        for batch_kinds in (True, False):
            batch = []
            for row in ordered:
                if (row["kind"] == CareProvider.Kind.ESTABLISHMENT) != batch_kinds:
                    continue
                values = {key: value for key, value in row.items() if key != "establishment"}
                provider = CareProvider(**values)
                name = row.get("establishment") or ""
                provider.establishment_id = known.get(name.casefold()) if name else None
                provider.region = geo.DEPARTMENT_REGION[provider.department]
                provider.search_document = search_text(provider)
                batch.append(provider)
            try:
                with transaction.atomic():
                    batch = CareProvider.objects.bulk_create(batch)
            except IntegrityError as error:
                # Checked line by line by ``csv_io.parse``; here only if someone added the
                # same provider between the check and the write.
                if "pro_care_provider_once" not in str(error):
                    raise
                raise ValidationError(
                    _(
                        "A provider of this file was added to the care offer meanwhile (same "
                        "name and city); nothing was imported. Send the file again."
                    )
                ) from None
            if batch_kinds:
                known.update({p.name.casefold(): p.pk for p in batch})
            created.extend(batch)
        audit(actor=actor, action="pro_care_import", count=len(created))
    return [provider.pk for provider in created]


def pathway_save(
    *,
    actor: Member,
    pathway: CarePathway | None = None,
    title: str,
    pathology: str,
    department: str,
    summary: str,
    body: str,
    published: bool,
    providers: Iterable[CareProvider] = (),
) -> CarePathway:
    """Write a care pathway page: its steps' Markdown is cleaned once, here."""
    errors: dict[str, str] = {}
    if department and department not in geo.DEPARTMENT_REGION:
        errors["department"] = _("Choose a French département (its code, such as 86).")
    if not title.strip():
        errors["title"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    if pathway is None:
        pathway = CarePathway(slug=_unique_slug(title))
    pathway.title, pathway.pathology, pathway.department = title.strip(), pathology, department
    pathway.summary, pathway.body, pathway.published = summary, body, published
    pathway.full_clean(exclude=["body_html", "slug"])
    pathway.body_html = str(render_markdown(body, top_heading=2))
    with transaction.atomic():
        pathway.save()
        pathway.providers.set(list(providers))
        audit(actor=actor, action="pro_care_pathway_save", pathway=pathway.pk)
    return pathway


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "parcours")[:70].strip("-")
    slug, n = base, 1
    while CarePathway.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def local_group_create(
    *,
    proposer: Member,
    name: str,
    description: str,
    space: Any,
    access: str,
    department: str = "",
    region: str = "",
    establishment: CareProvider | None = None,
) -> Group:
    """Propose a forum group tied to a place, through the forums' own service. When the
    network's ``local_groups_open`` is on, it opens at once (the proposer moderates it);
    otherwise moderators decide, as for any group."""
    if department and department not in geo.DEPARTMENT_REGION:
        raise ValidationError({"department": _("Choose a French département.")})
    if region and region not in geo.REGIONS:
        raise ValidationError({"region": _("Choose a French région.")})
    if not (department or region or establishment):
        raise ValidationError(
            {"department": _("Tie the group to a département, a région or an establishment.")}
        )
    with transaction.atomic():
        group = forums.group_propose(
            proposer=proposer, name=name, description=description, space=space, access=access
        )
        LocalGroup.objects.create(
            group=group, department=department, region=region, establishment=establishment
        )
        if network_settings().local_groups_open:
            forums.group_approve(group=group, moderator=proposer, self_opened=True)
    return group
