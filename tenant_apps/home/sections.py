"""The sections of a signed-in member's home page, each made by one provider.

A provider is a function ``(viewer) -> Section | None``: ``None`` leaves its section out
(nothing pinned), a ``Section`` without items shows its empty state, which says what to do
next. ``PROVIDERS`` gives the page's order. An app that adds something to the home page
(the events: ``coming_events``) writes a provider here over its own selectors and its section's
template, and adds it to ``PROVIDERS``: the view and the page's template stay as they are.

Every provider reads through the apps' access modules (``home.selectors``), shows at most
``viewer.limit`` items, and offers "see all" when there are more.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tenant_apps.events import selectors as events_selectors
from tenant_apps.home import selectors
from tenant_apps.members.models import Member, Space
from tenant_apps.members.selectors import spaces_for
from tenant_apps.notifications import presentation
from tenant_apps.social import feed as social_feed

# Items a section shows; "see all" leads to the rest.
LIMIT = 5
# The coming events are few and each takes room (date, format, place).
EVENTS_LIMIT = 3


@dataclass(frozen=True)
class Viewer:
    """Who the home page is for: an active member, and when their previous visit ended
    (``None`` on a first visit)."""

    member: Member
    since: datetime | None
    limit: int = LIMIT


@dataclass
class Section:
    """One part of the page: a heading, a list rendered by ``template`` (which gets this
    section as ``section``), a link to the rest, and what to say when the list is empty."""

    key: str
    title: str
    template: str
    items: list[Any]
    more_url: str = ""
    more_label: str = ""
    empty: str = ""
    # A next step for the empty state (a URL and its label), or for the whole section.
    action_url: str = ""
    action_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def html_id(self) -> str:
        return f"home-{self.key}"


def _cut(rows: list[Any], limit: int) -> tuple[list[Any], bool]:
    """The first ``limit`` rows, and whether there were more."""
    return rows[:limit], len(rows) > limit


def followed_discussions(viewer: Viewer) -> Section:
    topics, more = _cut(
        selectors.followed_with_news(viewer.member, limit=viewer.limit), viewer.limit
    )
    return Section(
        key="followed",
        title=_("Discussions you follow"),
        template="home/sections/followed.html",
        items=topics,
        more_url=reverse("home_followed") if more else "",
        more_label=_("All followed discussions with new messages"),
        empty=_(
            "Nothing new in the discussions you follow. Follow a discussion to find its "
            "new messages here."
        ),
        action_url=reverse("forums:index"),
        action_label=_("Browse the forums"),
    )


def for_you(viewer: Viewer) -> Section:
    notifications, more = _cut(
        selectors.personal_notifications(viewer.member, limit=viewer.limit), viewer.limit
    )
    items = [(n, presentation.sentence(n)) for n in notifications]
    return Section(
        key="for-you",
        title=_("Replies and mentions"),
        template="home/sections/for_you.html",
        items=items,
        more_url=reverse("notifications:list"),
        more_label=_("All notifications") if not more else _("More unread notifications"),
        empty=_("No unread reply or mention."),
    )


def new_articles(viewer: Viewer) -> Section:
    articles, more = _cut(
        selectors.articles_since(viewer.member, since=viewer.since, limit=viewer.limit),
        viewer.limit,
    )
    if viewer.since is None:
        title = _("Latest articles")
        empty = _("The association has not published an article yet.")
    else:
        title = _("New articles since your last visit")
        empty = _("No new article since your last visit.")
    return Section(
        key="articles",
        title=title,
        template="home/sections/articles.html",
        items=articles,
        more_url=reverse("knowledge:index"),
        more_label=_("All articles of the knowledge base") if more or not articles else "",
        empty=empty,
    )


def community_feed(viewer: Viewer) -> Section:
    """The newest experiences of the members one follows (social.feed); the followed
    discussions and the pinned topics have their own sections."""
    page = social_feed.feed_page(viewer.member, size=viewer.limit, pinned=False, posts=False)
    return Section(
        key="feed",
        title=_("From the people you follow"),
        template="social/feed_section.html",
        items=page.entries,
        more_url=reverse("relations:feed"),
        more_label=_("My whole feed"),
        empty=_("Nothing new yet. Follow members who live the same thing to read them here."),
        action_url=reverse("relations:matching"),
        action_label=_("Find people like me"),
    )


def pinned(viewer: Viewer) -> Section | None:
    """The association's standing messages are its pinned topics: moderators already pin
    them, the forums' access rule already applies, and members can answer them, so the
    home page needs no second message field of its own."""
    topics, more = _cut(selectors.pinned_topics(viewer.member, limit=viewer.limit), viewer.limit)
    if not topics:
        return None
    return Section(
        key="pinned",
        title=_("Pinned messages"),
        template="home/sections/pinned.html",
        items=topics,
        more_url=reverse("forums:index") if more else "",
        more_label=_("All forums"),
    )


def coming_events(viewer: Viewer) -> Section:
    """The next events the member may see (events.access, never a draft), with what they
    registered for marked."""
    limit = min(EVENTS_LIMIT, viewer.limit)
    events, more = _cut(events_selectors.coming_events(viewer.member, limit=limit), limit)
    return Section(
        key="events",
        title=_("Coming events"),
        template="home/sections/events.html",
        items=events,
        more_url=reverse("events:index"),
        more_label=_("All coming events") if more else "",
        empty=_("No event is planned for now."),
        action_url=reverse("events:past"),
        action_label=_("Watch the past events again"),
    )


def my_spaces(viewer: Viewer) -> Section:
    spaces: list[Space] = spaces_for(viewer.member)
    groups = selectors.groups_joined(viewer.member)
    return Section(
        key="spaces",
        title=_("Your spaces and groups"),
        template="home/sections/spaces.html",
        items=spaces,
        empty=_("No space is open to your profile yet: the moderators can help."),
        action_url=reverse("forums:group_list"),
        action_label=_("Find a group") if not groups else _("All groups"),
        extra={"groups": groups},
    )


Provider = Callable[[Viewer], Section | None]

# The page's order: what changed for the member first, then where they belong.
PROVIDERS: list[Provider] = [
    followed_discussions,
    community_feed,
    for_you,
    pinned,
    coming_events,
    new_articles,
    my_spaces,
]


def sections_for(viewer: Viewer) -> list[Section]:
    """Every provider's section, in ``PROVIDERS`` order, those that apply."""
    return [section for provider in PROVIDERS if (section := provider(viewer)) is not None]
