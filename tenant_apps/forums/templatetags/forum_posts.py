"""A topic page's messages, written out in Python.

A topic page shows 20 messages. Written with the template language, each one cost about
0.6 ms, most of the page's time (tests/bench/forums.py); with ``format_html`` it costs a
tenth of that. Every value is escaped as the template language would; ``body_html`` was
cleaned (nh3) when it was written.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tenant_apps.forums.models import Post
from tenant_apps.members.selectors import spaces_for

register = template.Library()


def _csrf_input(context) -> SafeString:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token")
    )


def _header(post: Post) -> SafeString:
    author = post.author
    if author is not None and author.user is not None:
        name = format_html(
            '<a href="{}">{}</a>', reverse("profile", args=[author.user.username]), author
        )
    else:
        name = _("Deleted member")
    created = timezone.localtime(post.created)
    parts = [
        format_html(
            '<h3 id="message-{0}-by" class="post-author">{1}</h3>'
            '<a href="#message-{0}" class="muted"><time datetime="{2}">{3}</time></a>',
            post.pk,
            name,
            created.isoformat(),
            formats.date_format(created, "SHORT_DATETIME_FORMAT"),
        )  # fmt: skip
    ]
    if post.edited:
        parts.append(
            format_html(
                ' · <a class="edited" href="{}">{}</a>',
                reverse("forums:post_history", args=[post.pk]),
                _("edited"),
            )
        )
    if post.status == Post.Status.HELD:
        parts.append(format_html('<p class="badge held">{}</p>', _("Awaiting approval")))
    elif post.status == Post.Status.HIDDEN:
        parts.append(format_html('<p class="badge hidden-post">{}</p>', _("Hidden by a moderator")))
    return format_html("<header>{}</header>", mark_safe("".join(parts)))  # noqa: S308


def _article_card(context, post: Post) -> SafeString:
    """The knowledge-base article a moderator attached, when this reader may open it."""
    card = getattr(post, "article_card", None)
    if card is None or card.article.status != card.article.Status.PUBLISHED:
        return mark_safe("")  # noqa: S308
    if card.article.space_id is not None:
        spaces = context.render_context.get("forum_reader_spaces")
        if spaces is None:
            spaces = {space.pk for space in spaces_for(context["member"])}
            context.render_context["forum_reader_spaces"] = spaces
        if card.article.space_id not in spaces:
            return mark_safe("")  # noqa: S308
    return render_to_string("knowledge/_article_card.html", {"card": card})


def _body(context, post: Post) -> SafeString:
    is_moderator = context["is_moderator"]
    # Stored HTML, cleaned by config.markup when the message was written.
    body = format_html(
        '<div class="post-body">{}{}</div>',
        mark_safe(post.body_html),  # noqa: S308
        _article_card(context, post),
    )
    reason = format_html(
        '<p class="hidden-reason">{}</p>', _("Reason: %(reason)s") % {"reason": post.hidden_reason}
    )
    if post.status == Post.Status.HIDDEN and not is_moderator:
        return reason
    names = ", ".join(post.warning_names)
    if post.collapsed:
        return format_html(
            '<details class="content-warning"><summary>{}</summary>{}</details>',
            _("Warning: %(names)s") % {"names": names},
            body,
        )
    tags = (
        format_html(
            '<p class="muted warning-tags">{}</p>',
            _("Content warning: %(names)s") % {"names": names},
        )
        if names
        else ""
    )
    return format_html("{}{}{}", tags, body, reason if post.status == Post.Status.HIDDEN else "")


def _footer(context, post: Post) -> SafeString:
    member = context["member"]
    is_moderator = context["is_moderator"]
    own = post.author_id == member.pk
    about = _("the message of %(name)s") % {"name": post.author.display_name if post.author else ""}
    here = context["request"].get_full_path()
    parts = []
    if post.status == Post.Status.PUBLISHED:
        buttons = format_html_join(
            "",
            '<button type="submit" name="kind" value="{0}" class="reaction" data-kind="{0}" '
            'aria-pressed="{1}">{2} <span class="count" aria-hidden="true">{3}</span>'
            '<span class="visually-hidden"> {4}</span></button>',
            (
                (r["kind"], "true" if r["pressed"] else "false", r["label"], r["count"],
                 r["count_label"])
                for r in post.reactions_shown
            ),
        )  # fmt: skip
        # One form per message: each button submits its own kind.
        parts.append(
            format_html(
                '<form method="post" action="{}" class="inline-form reactions" role="group" '
                'aria-label="{}">{}{}</form>',
                reverse("forums:react", args=[post.pk]),
                _("Reactions"),
                _csrf_input(context),
                buttons,
            )  # fmt: skip
        )
        if context["can_reply"]:
            parts.append(
                format_html(
                    '<a class="quote" href="?citer={}#reply-form">{}'
                    '<span class="visually-hidden"> {}</span></a>',
                    post.pk,
                    _("Quote"),
                    about,
                )  # fmt: skip
            )
    if own:
        parts.append(
            format_html(
                '<a class="edit" href="{}">{}</a>',
                reverse("forums:post_edit", args=[post.pk]),
                _("Edit"),
            )
        )
    elif context["can_report"] and post.status == Post.Status.PUBLISHED:
        parts.append(
            format_html(
                '<a class="report" href="{}?{}">{}<span class="visually-hidden"> {}</span></a>',
                reverse("moderation:report", args=[post.pk]),
                urlencode({"next": here}),
                _("Report"),
                about,
            )  # fmt: skip
        )
    if is_moderator:
        parts.append(_moderation(context, post, own=own, about=about, here=here))
    return format_html("<footer>{}</footer>", mark_safe("".join(parts)))  # noqa: S308


def _moderation(context, post: Post, *, own: bool, about: str, here: str) -> SafeString:
    action, label = {
        Post.Status.HELD: ("approve", _("Approve")),
        Post.Status.HIDDEN: ("restore", _("Restore")),
    }.get(post.status, ("hide", _("Hide")))
    edit = (
        ""
        if own
        else format_html(
            '<a class="moderate-edit" href="{}?{}">{}</a>',
            reverse("moderation:post_edit", args=[post.pk]),
            urlencode({"next": here}),
            _("Edit with a reason"),
        )  # fmt: skip
    )
    return format_html(
        '{}<form method="post" action="{}" class="inline-form moderate">{}'
        '<input type="hidden" name="next" value="{}"><button type="submit">{}'
        '<span class="visually-hidden"> {}</span></button></form>',
        edit, reverse("moderation:post_action", args=[post.pk, action]), _csrf_input(context),
        here, label, about,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def forum_post(context, post: Post) -> SafeString:
    """One message of a topic page, as ``<article id="message-<id>">``."""
    return format_html(
        '<article id="message-{0}" class="card post post-{1}" aria-labelledby="message-{0}-by">'
        "{2}{3}{4}</article>",
        post.pk, post.status, _header(post), _body(context, post),
        _footer(context, post),
    )  # fmt: skip
