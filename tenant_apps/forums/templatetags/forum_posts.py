"""A topic page's messages, written out in Python.

A topic page shows 20 messages. Written with the template language, each one cost about
0.6 ms, most of the page's time (tests/bench/forums.py); with ``format_html`` per message,
0.4 ms. What the messages of a page share (labels, link patterns, the reader's rights, the
CSRF field) is now worked out once per page by ``_PageWriter``, and each message is an
f-string over escaped values: about 0.05 ms.

Every value is escaped with ``html.escape``, exactly as Django's ``escape`` does;
``body_html`` was cleaned (nh3) when it was written.
"""

import functools
from html import escape
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat, formats, timezone
from django.utils.http import RFC3986_SUBDELIMS, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tenant_apps.forums.models import Post, Reaction
from tenant_apps.members.selectors import spaces_for

register = template.Library()

# An id no message has: reverse() it once, then put each message's id in its place.
_SLOT = 2_147_483_647


def _route(name: str, *args: object, text: bool = False):
    """``reverse(name, args)`` with ``_SLOT`` standing for an id, or a ``text`` that
    ``reverse`` would quote, as a function of it."""
    head, tail = _pattern(name, args, get_script_prefix(), get_urlconf())
    if text:
        return lambda value: f"{head}{quote(value, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"
    return lambda pk: f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=64)
def _pattern(name: str, args: tuple, prefix: str, urlconf: str | None) -> tuple[str, str]:
    """Reversed once per process (for each script prefix and URLconf), not on every page."""
    head, _slot, tail = reverse(name, args=args, urlconf=urlconf).partition(str(_SLOT))
    return head, tail


# Django's date format letters that strftime writes the same, zero-padded.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


@functools.lru_cache(maxsize=16)
def _date_writer(django_format: str):
    """The language's format as one ``strftime`` when it uses only the letters above (French:
    ``d/m/Y H:i``), else Django's formatter: a tenth of the time, on 20 dates a page."""
    if any((c.isalpha() and c not in _STRFTIME) or c in "%\\" for c in django_format):
        return lambda moment: dateformat.format(moment, django_format)
    pattern = "".join(_STRFTIME.get(c, c) for c in django_format)
    return lambda moment: moment.strftime(pattern)


class _PageWriter:
    """What the messages of one page share, worked out once."""

    def __init__(self, context):
        self.context = context
        self.member = context["member"]
        self.is_moderator = context["is_moderator"]
        self.can_reply = context["can_reply"]
        self.can_report = context["can_report"]
        here = context["request"].get_full_path()
        self.next_query = escape(urlencode({"next": here}))
        self.next_field = f'<input type="hidden" name="next" value="{escape(here)}">'
        self.csrf = (
            '<input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{escape(str(context.get("csrf_token")))}">'
        )
        self.react = _route("forums:react", _SLOT)
        self.history = _route("forums:post_history", _SLOT)
        self.edit = _route("forums:post_edit", _SLOT)
        self.report = _route("moderation:report", _SLOT)
        self.moderator_edit = _route("moderation:post_edit", _SLOT)
        self.moderate = {
            action: _route("moderation:post_action", _SLOT, action)
            for action in ("approve", "restore", "hide")
        }
        self.date = _date_writer(formats.get_format("SHORT_DATETIME_FORMAT"))
        self.zone = timezone.get_current_timezone()
        self.profile = _route("profile", str(_SLOT), text=True)
        self.reader_spaces: set[int] | None = None
        self.text = {
            key: escape(str(value))
            for key, value in {
                "deleted": _("Deleted member"),
                "edited": _("edited"),
                "held": _("Awaiting approval"),
                "hidden": _("Hidden by a moderator"),
                "reactions": _("Reactions"),
                "quote": _("Quote"),
                "edit": _("Edit"),
                "report": _("Report"),
                "moderator_edit": _("Edit with a reason"),
                "approve": _("Approve"),
                "restore": _("Restore"),
                "hide": _("Hide"),
            }.items()
        }
        self.reaction_labels = {kind: escape(str(label)) for kind, label in Reaction.Kind.choices}
        # Worded per message, from patterns translated once.
        self.patterns = {
            "reason": _("Reason: %(reason)s"),
            "folded": _("Warning: %(names)s"),
            "tagged": _("Content warning: %(names)s"),
            "about": _("the message of %(name)s"),
        }

    def post(self, post: Post) -> str:
        return (
            f'<article id="message-{post.pk}" class="card post post-{escape(post.status)}" '
            f'aria-labelledby="message-{post.pk}-by">'
            f"{self.header(post)}{self.body(post)}{self.footer(post)}</article>"
        )

    def header(self, post: Post) -> str:
        author = post.author
        if author is not None and author.user is not None:
            name = (
                f'<a href="{escape(self.profile(author.user.username))}">{escape(str(author))}</a>'
            )
        else:
            name = self.text["deleted"]
        created = post.created.astimezone(self.zone)
        shown = escape(self.date(created))
        html = (
            f'<header><h3 id="message-{post.pk}-by" class="post-author">{name}</h3>'
            f'<a href="#message-{post.pk}" class="muted"><time datetime="{created.isoformat()}">'
            f"{shown}</time></a>"
        )
        if post.edited:
            html += f' · <a class="edited" href="{self.history(post.pk)}">{self.text["edited"]}</a>'
        if post.status == Post.Status.HELD:
            html += f'<p class="badge held">{self.text["held"]}</p>'
        elif post.status == Post.Status.HIDDEN:
            html += f'<p class="badge hidden-post">{self.text["hidden"]}</p>'
        return html + "</header>"

    def article_card(self, post: Post) -> str:
        """The knowledge-base article a moderator attached, when this reader may open it."""
        card = post.card
        if card is None or card.article.status != card.article.Status.PUBLISHED:
            return ""
        if card.article.space_id is not None:
            if self.reader_spaces is None:
                self.reader_spaces = {space.pk for space in spaces_for(self.member)}
            if card.article.space_id not in self.reader_spaces:
                return ""
        return render_to_string("knowledge/_article_card.html", {"card": card})

    def body(self, post: Post) -> str:
        # Stored HTML, cleaned by core.markup when the message was written.
        body = f'<div class="post-body">{post.body_html}{self.article_card(post)}</div>'
        reason = ""
        if post.status == Post.Status.HIDDEN:
            reason = escape(self.patterns["reason"] % {"reason": post.hidden_reason})
            reason = f'<p class="hidden-reason">{reason}</p>'
            if not self.is_moderator:
                return reason
        names = ", ".join(post.warning_names)
        if post.collapsed:
            summary = escape(self.patterns["folded"] % {"names": names})
            return f'<details class="content-warning"><summary>{summary}</summary>{body}</details>'
        tags = ""
        if names:
            tags = escape(self.patterns["tagged"] % {"names": names})
            tags = f'<p class="muted warning-tags">{tags}</p>'
        return f"{tags}{body}{reason}"

    def footer(self, post: Post) -> str:
        own = post.author_id == self.member.pk
        about = escape(
            self.patterns["about"] % {"name": post.author.display_name if post.author else ""}
        )
        about = f'<span class="visually-hidden"> {about}</span>'
        text = self.text
        html = "<footer>"
        if post.status == Post.Status.PUBLISHED:
            # One form per message: each button submits its own kind.
            html += (
                f'<form method="post" action="{self.react(post.pk)}" class="inline-form '
                f'reactions" role="group" aria-label="{text["reactions"]}">{self.csrf}'
            )
            for r in post.reactions_shown:
                html += (
                    f'<button type="submit" name="kind" value="{r["kind"]}" class="reaction" '
                    f'data-kind="{r["kind"]}" aria-pressed="{"true" if r["pressed"] else "false"}">'
                    f'{self.reaction_labels[r["kind"]]} <span class="count" aria-hidden="true">'
                    f'{r["count"]}</span><span class="visually-hidden"> '
                    f"{escape(r['count_label'])}</span></button>"
                )
            html += "</form>"
            if self.can_reply:
                html += (
                    f'<a class="quote" href="?citer={post.pk}#reply-form">{text["quote"]}'
                    f"{about}</a>"
                )
        if own:
            html += f'<a class="edit" href="{self.edit(post.pk)}">{text["edit"]}</a>'
        elif self.can_report and post.status == Post.Status.PUBLISHED:
            html += (
                f'<a class="report" href="{self.report(post.pk)}?{self.next_query}">'
                f"{text['report']}{about}</a>"
            )
        if self.is_moderator:
            html += self.moderation(post, own=own, about=about)
        return html + "</footer>"

    def moderation(self, post: Post, *, own: bool, about: str) -> str:
        action = {Post.Status.HELD: "approve", Post.Status.HIDDEN: "restore"}.get(
            post.status, "hide"
        )
        html = ""
        if not own:
            html = (
                f'<a class="moderate-edit" href="{self.moderator_edit(post.pk)}?'
                f'{self.next_query}">{self.text["moderator_edit"]}</a>'
            )
        return (
            f'{html}<form method="post" action="{self.moderate[action](post.pk)}" '
            f'class="inline-form moderate">{self.csrf}{self.next_field}<button type="submit">'
            f"{self.text[action]}{about}</button></form>"
        )


@register.simple_tag(takes_context=True)
def forum_posts(context, posts: list[Post]) -> SafeString:
    """The messages of a topic page, each as ``<article id="message-<id>">``."""
    writer = _PageWriter(context)
    return mark_safe("".join(writer.post(post) for post in posts))  # noqa: S308 - escaped above
