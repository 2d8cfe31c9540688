"""The statistics associations publish and list in the directory (/annuaire/statistiques/):
a public page of the platform's domain, newest first, each linking to the release's frozen
page on its network's own domain. Nothing here counts anything."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from shared_apps.directory import selectors_insights

PAGE_SIZE = 20


def _after(request: HttpRequest):
    """The keyset of the last listing shown (``apres=<ISO time>~<id>``), or None."""
    given = request.GET.get("apres", "")[:80]
    moment, _sep, pk = given.rpartition("~")
    try:
        when = parse_datetime(moment) if moment else None
    except ValueError:  # well formed, but no such time ("2026-13-45T99:00")
        return None
    if when is None or not pk.isdigit() or len(pk) > 18:
        return None
    return when, int(pk)


def insight_listings(request: HttpRequest) -> HttpResponse:
    rows = selectors_insights.insight_listings_page(after=_after(request), size=PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    following = f"{rows[-1].published_at.isoformat()}~{rows[-1].pk}" if more else ""
    return render(
        request,
        "directory/insights.html",
        {
            "rows": rows,
            "following": following,
            "first_page": not request.GET.get("apres"),
            "directory_section": "insights",
        },
    )
