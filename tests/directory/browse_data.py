"""Published and unpublished listings for the directory's browsing tests (public schema)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from shared_apps.directory import search
from shared_apps.directory.models import (
    Association,
    DirectoryEvent,
    Initiative,
    Pathology,
    Resource,
    Review,
    Theme,
)

_serial = itertools.count(1)


def pathology(name: str) -> Pathology:
    from django.utils.text import slugify

    return Pathology.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def theme(name: str) -> Theme:
    from django.utils.text import slugify

    return Theme.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def association(name: str, *, pathologies=(), review=Review.PUBLISHED, **fields) -> Association:
    n = next(_serial)
    row = Association.objects.create(
        name=name, slug=f"asso-{n}", description=fields.pop("description", f"Association {name}"),
        review=review, published_at=timezone.now() if review == Review.PUBLISHED else None,
        **fields,
    )  # fmt: skip
    row.pathologies.set(pathologies)
    search.reindex(Association, [row.pk])
    return row


def initiative(title: str, *, pathologies=(), themes=(), review=Review.PUBLISHED, **fields):
    n = next(_serial)
    defaults = {
        "description": f"Initiative {title}", "carrier": Initiative.Carrier.PATIENT,
        "form": Initiative.Form.VOLUNTEER, "motivation": "Aider les autres",
        "success_text": "La persévérance",
    }  # fmt: skip
    defaults.update(fields)
    row = Initiative.objects.create(
        title=title, slug=f"init-{n}", review=review,
        published_at=timezone.now() if review == Review.PUBLISHED else None, **defaults,
    )  # fmt: skip
    row.pathologies.set(pathologies)
    row.themes.set(themes)
    search.reindex(Initiative, [row.pk])
    return row


def event(title: str, *, pathologies=(), review=Review.PUBLISHED, days=7, **fields):
    start = timezone.now() + timedelta(days=days)
    defaults = {
        "format": "webinar", "starts_at": start, "ends_at": start + timedelta(hours=2),
        "online": True, "network_name": "Association test", "url": "https://example.org/e",
    }  # fmt: skip
    defaults.update(fields)
    row = DirectoryEvent.objects.create(
        title=title, review=review,
        published_at=timezone.now() if review == Review.PUBLISHED else None, **defaults,
    )  # fmt: skip
    row.pathologies.set(pathologies)
    search.reindex(DirectoryEvent, [row.pk])
    return row


def resource(title: str, *, published=True, themes=(), **fields) -> Resource:
    n = next(_serial)
    body = fields.pop("body", f"Un guide : {title}")
    row = Resource.objects.create(
        title=title, slug=f"res-{n}", summary=fields.pop("summary", title), body=body,
        body_html=f"<p>{body}</p>", published=published,
        published_at=timezone.now() if published else None, **fields,
    )  # fmt: skip
    row.themes.set(themes)
    search.reindex(Resource, [row.pk])
    return row
