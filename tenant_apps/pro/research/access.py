"""Who reads and edits training, prevention campaigns and clinical trials.

- The training list (``/formations/``): the network's professionals
  (``tenant_apps.pro.access.is_professional``). Which training events and articles each of
  them sees is the events' and knowledge's own rule (``Event.objects.visible_to``,
  ``Article.objects.visible_to``): a training event of a space they do not enter stays
  hidden.
- Campaigns: every active member reads the published ones; each campaign shows only the
  events and articles the reader may see (same two rules). Admins with their second factor
  (``STAFF``) also see drafts, and create and edit campaigns.
- Clinical trials: every active member reads the list (patients look for trials too);
  admins with their second factor create and edit them.

Anything else is the 404 of what does not exist, and nothing changes.
"""

from datetime import timedelta
from typing import TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tenant_apps.events.models import Event
from tenant_apps.knowledge.models import Article
from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.pro.access import STAFF, is_professional
from tenant_apps.pro.models import Campaign, ClinicalTrial

T = TypeVar("T")


def _or_404(found: T | None) -> T:
    if found is None:
        raise Http404
    return found


# --- training --------------------------------------------------------------------------------


def training_reader_or_404(member: Member | None) -> Member:
    """Professionals only: the training list is for them."""
    if member is None or not is_professional(member):
        raise Http404
    return member


def training_events(member: Member | None) -> QuerySet[Event]:
    if not is_professional(member):
        return Event.objects.none()
    return Event.objects.visible_to(member).filter(training=True)


def training_articles(member: Member | None) -> QuerySet[Article]:
    if not is_professional(member):
        return Article.objects.none()
    return Article.objects.visible_to(member).filter(training=True)


# --- campaigns -------------------------------------------------------------------------------


def can_edit(member: Member | None) -> bool:
    """Admins with their second factor edit campaigns and trials."""
    return is_reader(member) and has_permission(member, STAFF)


def reader_or_404(member: Member | None) -> Member:
    if member is None or not is_reader(member):
        raise Http404
    return member


def editor_or_404(member: Member | None) -> Member:
    if member is None or not can_edit(member):
        raise Http404
    return member


def campaigns_visible_to(member: Member | None) -> QuerySet[Campaign]:
    if not is_reader(member):
        return Campaign.objects.none()
    if can_edit(member):
        return Campaign.objects.all()
    return Campaign.objects.filter(published=True)


def campaign_or_404(member: Member | None, slug: str) -> Campaign:
    return _or_404(campaigns_visible_to(member).filter(slug=slug).first())


def campaign_events(member: Member | None, campaign: Campaign) -> QuerySet[Event]:
    """The campaign's events this member may see (the events' rule)."""
    return Event.objects.visible_to(member).filter(campaigns=campaign)


def campaign_articles(member: Member | None, campaign: Campaign) -> QuerySet[Article]:
    """The campaign's articles this member may read (knowledge's rule)."""
    return Article.objects.visible_to(member).filter(campaigns=campaign)


def linkable_events(member: Member | None) -> QuerySet[Event]:
    """What an editor may attach to a campaign: the events they see, drafts included, from
    a year ago on (older ones stay attached)."""
    since = timezone.now() - timedelta(days=365)
    return Event.objects.visible_to(member, drafts=True).filter(ends_at__gte=since)


def linkable_articles(member: Member | None) -> QuerySet[Article]:
    return Article.objects.visible_to(member, drafts=True)


# --- clinical trials -------------------------------------------------------------------------


def trials_visible_to(member: Member | None) -> QuerySet[ClinicalTrial]:
    if not is_reader(member):
        return ClinicalTrial.objects.none()
    return ClinicalTrial.objects.all()


def trial_or_404(member: Member | None, pk: int) -> ClinicalTrial:
    return _or_404(trials_visible_to(member).filter(pk=pk).first())
