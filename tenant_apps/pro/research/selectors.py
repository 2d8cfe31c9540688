"""Reads of the research area: the training list, campaigns with what each reader may see
of their events and articles, and the clinical trials' list (search, filters, keyset
pages). What a reader may see comes from ``access``."""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchVector
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core import geo
from core import search as french
from tenant_apps.events.models import Event
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Member
from tenant_apps.pro.models import Campaign, ClinicalTrial, TrialCentre
from tenant_apps.pro.research import access

TRAINING_LIMIT = 50
PAGE_SIZE = 25
VECTOR = SearchVector("search_document", config=french.CONFIG)


@dataclass
class Training:
    events: list[Event]
    articles: list[Article]


def training(member: Member) -> Training:
    """Coming (or running) training events, soonest first, and training articles, newest
    first; 50 of each at most."""
    events = (
        access.training_events(member)
        .filter(ends_at__gte=timezone.now())
        .select_related("space")
        .order_by("starts_at", "id")[:TRAINING_LIMIT]
    )
    articles = (
        access.training_articles(member)
        .select_related("space")
        .order_by("-published", "-id")[:TRAINING_LIMIT]
    )
    return Training(events=list(events), articles=list(articles))


def campaigns(member: Member) -> QuerySet[Campaign]:
    """Campaigns this member may see, the latest first (a network keeps a few dozen)."""
    return access.campaigns_visible_to(member).order_by("-starts_on", "-id")


@dataclass
class CampaignPage:
    campaign: Campaign
    events: list[Event]
    articles: list[Article]


def campaign_page(member: Member, campaign: Campaign) -> CampaignPage:
    """A campaign with the events (soonest first) and articles this member may see."""
    events = access.campaign_events(member, campaign).order_by("starts_at", "id")
    articles = access.campaign_articles(member, campaign).order_by("title", "id")
    return CampaignPage(campaign=campaign, events=list(events), articles=list(articles))


@dataclass(frozen=True)
class TrialFilters:
    """What the trials' list is narrowed by; empty strings mean "any"."""

    q: str = ""
    phase: str = ""
    status: str = ""
    region: str = ""

    def query(self, **changes: str) -> str:
        given = {**self.__dict__, **changes}
        return urlencode([(key, value) for key, value in given.items() if value])

    @property
    def active(self) -> bool:
        return any(self.__dict__.values())


def _centres() -> Prefetch:
    return Prefetch("centres", queryset=TrialCentre.objects.order_by("region", "name", "id"))


def trials(member: Member, filters: TrialFilters) -> QuerySet[ClinicalTrial]:
    """The trials this member may read under the filters, by title."""
    rows = access.trials_visible_to(member)
    if filters.phase:
        rows = rows.filter(phase=filters.phase)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.region:
        rows = rows.filter(
            pk__in=TrialCentre.objects.filter(region=filters.region).values("trial_id")
        )
    if filters.q.strip():
        rows = rows.annotate(document=VECTOR).filter(document=french.query(filters.q))
    return rows.order_by("title", "id")


@dataclass
class TrialPage:
    trials: list[ClinicalTrial]
    next_cursor: int | None


def trial_page(member: Member, filters: TrialFilters, after: int | None = None) -> TrialPage:
    """A page of trials after the one whose id is ``after`` (keyset on title, id)."""
    rows = trials(member, filters)
    if after is not None:
        last = rows.filter(pk=after).values_list("title", flat=True).first()
        if last is not None:
            rows = rows.filter(Q(title__gt=last) | Q(title=last, id__gt=after))
    found = list(rows.prefetch_related(_centres())[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return TrialPage(trials=found, next_cursor=found[-1].pk if more else None)


def filters_from(params) -> TrialFilters:
    """Filters from a query string; unknown choices are ignored rather than refused."""
    phase = params.get("phase", "")
    status = params.get("statut", params.get("status", ""))
    region = params.get("region", "")
    return replace(
        TrialFilters(),
        q=params.get("q", "")[:200],
        phase=phase if phase in ClinicalTrial.Phase.values else "",
        status=status if status in ClinicalTrial.Status.values else "",
        region=region if region in geo.REGIONS else "",
    )
