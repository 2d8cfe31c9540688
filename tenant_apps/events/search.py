"""The events' part of the network's search, beside articles and forum topics.

knowledge.selectors.search finds ``SOURCE`` through core.hooks: knowledge and events sit side
by side in the layers and neither imports the other. The candidates are the rule's own
queryset (``EventQuerySet.visible_for``, access.py), compiled once per shape of the rule
(core.compiled): published and cancelled events of the member's audience, never a draft.
"""

from html import unescape

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet
from django.utils.html import strip_tags

from core.compiled import Compiled
from core.search import CONFIG, SearchSource
from tenant_apps.events.access import reader_shape
from tenant_apps.events.models import Event
from tenant_apps.members.models import Member

KIND = "event"
# Between articles (verified answers, 1.0) and forum talk (0.6).
FACTOR = 0.8
CAP = 100


def _source(shape: tuple[tuple[int, ...], int], *, query: str) -> QuerySet:
    space_ids, cap = shape
    return (
        Event.objects.visible_for(space_ids)
        .filter(search_vector=SearchQuery(query, search_type="websearch", config=CONFIG))
        .order_by("-starts_at", "-id")
        .values("id", "search_vector")[:cap]
    )


_EVENTS = Compiled(_source, texts=("query",))


def candidates(member: Member, folded: str) -> tuple[str, list]:
    """The events this member may see that match the (folded) query, the latest first."""
    return _EVENTS.sql((reader_shape(member), CAP), query=folded)


# What the results page and the snippets read.
SHOWN = ("id", "title", "description_html", "format", "starts_at", "ends_at", "online", "status")


def found(ids: list[int]) -> dict[int, tuple[Event, str, str]]:
    """The events found: id → (event, title, plain text of its description). One query."""
    events = Event.objects.filter(pk__in=ids).only(*SHOWN)
    return {
        event.pk: (
            event,
            event.title,
            " ".join(unescape(strip_tags(event.description_html)).split()),
        )
        for event in events
    }


SOURCE = SearchSource(kind=KIND, factor=FACTOR, cap=CAP, candidates=candidates, found=found)
