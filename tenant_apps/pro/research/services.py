"""Writes of the research area: prevention campaigns and clinical trials. Who may call them
is decided by ``access`` in the views and the API; the services validate and write."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import geo
from core import search as french
from core.markup import render_markdown
from tenant_apps.members.models import Member
from tenant_apps.members.services import audit
from tenant_apps.pro.models import Campaign, ClinicalTrial, TrialCentre

# ClinicalTrials.gov, the EU Clinical Trials Register (CTIS numbers, with or without their
# two-digit suffix), and the French ID-RCB.
REGISTRY_FORMATS = (
    re.compile(r"NCT\d{8}"),
    re.compile(r"20\d\d-\d{6}-\d{2}(-\d{2})?"),
    re.compile(r"20\d\d-A\d{5}-\d{2}"),
)
MAX_CENTRES = 60


def registry_number_clean(value: str) -> str:
    """The registry number, upper-cased and trimmed, if it has one of the accepted forms."""
    number = value.strip().upper()
    if not any(pattern.fullmatch(number) for pattern in REGISTRY_FORMATS):
        raise ValidationError(
            {
                "registry_number": [
                    _(
                        "Give a ClinicalTrials.gov number (NCT followed by 8 digits), an EU CT "
                        "number (2024-512345-12-00) or an ID-RCB (2024-A01234-56)."
                    )
                ]
            }
        )
    return number


def _region_of(place: str) -> str | None:
    """A région code from a département code ("86") or a région's name."""
    if place.upper() in geo.DEPARTMENT_REGION:
        return geo.DEPARTMENT_REGION[place.upper()]
    folded = french.fold(place)
    for code, (name, _departments) in geo.REGIONS.items():
        if french.fold(name) == folded:
            return code
    return None


def centres_parse(text: str) -> list[dict[str, str]]:
    """Centres from lines "name ; city ; département or région" (the région is kept)."""
    centres: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not parts[0] or not parts[1] or len(parts[0]) > 200:
            message = _('Line %(line)d: write "centre ; city ; département".')
            raise ValidationError({"centres": [message % {"line": number}]})
        region = _region_of(parts[2])
        if region is None:
            message = _("Line %(line)d: unknown département or région.")
            raise ValidationError({"centres": [message % {"line": number}]})
        centres.append({"name": parts[0], "city": parts[1][:100], "region": region})
    if len(centres) > MAX_CENTRES:
        raise ValidationError({"centres": [_("At most 60 centres.")]})
    return centres


def _search_text(trial: ClinicalTrial, centres: list[dict[str, str]]) -> str:
    parts = [trial.title, trial.acronym, trial.conditions, trial.summary, trial.registry_number]
    for centre in centres:
        parts += [centre["name"], centre["city"], geo.REGIONS.get(centre["region"], ("",))[0]]
    return french.searchable(" ".join(part for part in parts if part))


def _trial_save(
    trial: ClinicalTrial, *, actor: Member, centres: list[dict[str, str]], action: str
) -> ClinicalTrial:
    trial.registry_number = registry_number_clean(trial.registry_number)
    trial.full_clean(exclude=["registry_number", "search_document"], validate_unique=False)
    trial.search_document = _search_text(trial, centres)
    try:
        with transaction.atomic():
            trial.save()
    except IntegrityError:
        raise ValidationError(
            {"registry_number": [_("A trial with this registry number is already listed.")]}
        ) from None
    trial.centres.all().delete()
    TrialCentre.objects.bulk_create(TrialCentre(trial=trial, **centre) for centre in centres)
    audit(actor=actor, action=action, trial=trial.pk)
    return trial


@transaction.atomic
def trial_create(
    *,
    actor: Member,
    title: str,
    phase: str,
    conditions: str,
    registry_number: str,
    contact: str,
    status: str = ClinicalTrial.Status.RECRUITING,
    acronym: str = "",
    summary: str = "",
    centres: list[dict[str, str]] | None = None,
) -> ClinicalTrial:
    """List a clinical trial with its centres."""
    trial = ClinicalTrial(
        title=title, acronym=acronym, phase=phase, status=status, conditions=conditions,
        summary=summary, registry_number=registry_number, contact=contact,
    )  # fmt: skip
    return _trial_save(trial, actor=actor, centres=centres or [], action="pro_trial_create")


@transaction.atomic
def trial_update(
    *, actor: Member, trial: ClinicalTrial, centres: list[dict[str, str]], **fields: str
) -> ClinicalTrial:
    """Change a trial's fields and replace its centres."""
    trial = ClinicalTrial.objects.select_for_update().get(pk=trial.pk)
    for name, value in fields.items():
        setattr(trial, name, value)
    return _trial_save(trial, actor=actor, centres=centres, action="pro_trial_update")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "campagne"
    slug, number = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _campaign_save(campaign: Campaign, *, actor: Member, events, articles, action: str) -> Campaign:
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": [_("The end comes before the start.")]})
    campaign.full_clean(exclude=["slug", "body_html"], validate_unique=False)
    campaign.body_html = render_markdown(campaign.body)
    campaign.save()
    # None keeps what is attached (an API update that does not name them).
    if events is not None:
        campaign.events.set(events)
    if articles is not None:
        campaign.articles.set(articles)
    audit(actor=actor, action=action, campaign=campaign.pk)
    return campaign


@transaction.atomic
def campaign_create(
    *,
    actor: Member,
    title: str,
    kind: str,
    summary: str,
    starts_on,
    ends_on,
    body: str = "",
    published: bool = False,
    events=(),
    articles=(),
) -> Campaign:
    """Create a prevention or screening campaign with its events and articles."""
    campaign = Campaign(
        title=title, slug=_unique_slug(title), kind=kind, summary=summary, body=body,
        starts_on=starts_on, ends_on=ends_on, published=published,
    )  # fmt: skip
    return _campaign_save(
        campaign, actor=actor, events=events, articles=articles, action="pro_campaign_create"
    )


@transaction.atomic
def campaign_update(
    *, actor: Member, campaign: Campaign, events=None, articles=None, **fields
) -> Campaign:
    """Change a campaign (its address stays the same) and its events and articles (``None``:
    unchanged)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in fields.items():
        setattr(campaign, name, value)
    return _campaign_save(
        campaign, actor=actor, events=events, articles=articles, action="pro_campaign_update"
    )


@transaction.atomic
def campaign_delete(*, actor: Member, campaign: Campaign) -> None:
    """Delete a campaign; its events and articles stay, only the links go."""
    locked = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if locked is None:
        return
    audit(actor=actor, action="pro_campaign_delete", campaign=locked.pk)
    locked.delete()
