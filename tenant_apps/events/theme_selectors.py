"""Reads of the webinar themes page: the knowledge base's themes with what members asked on
each, and the webinars already written from them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from tenant_apps.events.access import can_write
from tenant_apps.events.models import ThemeWebinar
from tenant_apps.knowledge import selectors as knowledge
from tenant_apps.knowledge.models import Category
from tenant_apps.members.models import Member


@dataclass
class Theme:
    demand: knowledge.ThemeDemand
    webinars: list[ThemeWebinar] = field(default_factory=list)


def themes_for(member: Member) -> list[Theme]:
    """Every theme with its counts (questions, searches without result), the most asked
    first, each with the webinars written from it (newest first). For those who write
    events, else 404. Four queries whatever the number of themes."""
    if not can_write(member):
        raise Http404
    webinars: dict[int, list[ThemeWebinar]] = defaultdict(list)
    for origin in ThemeWebinar.objects.select_related("event").order_by("-created", "-id"):
        if origin.category_id is not None:
            webinars[origin.category_id].append(origin)
    return [
        Theme(demand=demand, webinars=webinars[demand.category.pk])
        for demand in knowledge.themes_demand()
    ]


def access_theme(member: Member, pk: int) -> Category:
    """A knowledge-base theme, for those who write events; else 404."""
    if not can_write(member):
        raise Http404
    return knowledge.access_category(pk)
