"""What a member may read in the knowledge base: the only definition of it.

Pages, the API, the search, article cards in the forums and the questions' answers all ask
this module; the search's SQL is composed from ``Article.objects.visible_to(member)``'s
compiled SQL.

The rule: an active member of this network reads the published articles whose audience is
everyone (no space) or one of their spaces (``members.selectors.spaces_for``). Editors and
reviewers also open articles in every state, to write and verify them (``drafts=True``,
for the pages that open one article or list them for the editors). Anyone else reads
nothing; anything out of reach is the same 404 as what does not exist.

This module imports no knowledge model (the models import its queryset).
"""

from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from tenant_apps.members.models import Member
from tenant_apps.members.permissions import has_permission, is_reader
from tenant_apps.members.selectors import space_open_to, spaces_for

# Article.Status.PUBLISHED, named here because the models import this module;
# tests/knowledge/test_access.py checks that it matches.
PUBLISHED = "published"


def _is_editorial(member: Member) -> bool:
    # roles.is_editorial, asked of the permissions directly: roles imports the knowledge
    # models, which import this module.
    return has_permission(member, "knowledge.article:read_unpublished")


def _space_ids(member: Member) -> list[int]:
    cached = getattr(member, "_knowledge_space_ids", None)
    if cached is None:
        cached = [space.pk for space in spaces_for(member)]
        member._knowledge_space_ids = cached  # type: ignore[attr-defined]  # a memo for this request
    return cached


def reader_shape(member: Member) -> tuple[int, ...]:
    """All the readers' rule depends on for an active member (``is_reader``): the spaces
    they enter. The key of a query compiled once (core.compiled) for every member of the
    same shape (``ArticleQuerySet.visible_for``)."""
    return tuple(_space_ids(member))


def article_q(member: Member, prefix: str = "") -> Q:
    """The readers' rule as a filter (``prefix`` names the article from another model)."""
    return article_q_of(reader_shape(member), prefix)


def article_q_of(space_ids: tuple[int, ...], prefix: str = "") -> Q:
    """``article_q`` from the member's shape."""
    return Q(**{f"{prefix}status": PUBLISHED}) & (
        Q(**{f"{prefix}space__isnull": True}) | Q(**{f"{prefix}space_id__in": space_ids})
    )


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None, *, drafts: bool = False) -> "ArticleQuerySet":
        """Articles this member may read; with ``drafts``, every article for editors and
        reviewers (the readers' rule for everyone else)."""
        if not is_reader(member):
            return self.none()
        if drafts and _is_editorial(member):
            return self.all()
        return self.visible_for(reader_shape(member))

    def visible_for(self, shape: tuple[int, ...]) -> "ArticleQuerySet":
        """The readers' ``visible_to`` for an active member, from their shape
        (``reader_shape``): for a query compiled once per shape, such as the search's."""
        return self.filter(article_q_of(shape))


def article_readable(member: Member | None, article, *, drafts: bool = False) -> bool:
    """``ArticleQuerySet.visible_to`` for one article already loaded (with its space)."""
    if not is_reader(member):
        return False
    if drafts and _is_editorial(member):
        return True
    if article.status != PUBLISHED:
        return False
    return article.space_id is None or space_open_to(member, article.space)


def article_or_404(
    member: Member | None, queryset: ArticleQuerySet, pk: int, *, drafts: bool = False
) -> Any:
    found = queryset.visible_to(member, drafts=drafts).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
