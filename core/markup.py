"""Member-written Markdown to safe HTML, for posts and articles.

Markdown is rendered with raw HTML switched off (CommonMark, markdown-it-py), then the HTML
is cleaned by nh3 (ammonia) against an allow-list: no script, no event handler, no style,
no ``javascript:`` or ``data:`` URL survives, and every link gets ``rel="nofollow noopener"``.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
        "pre", "strong", "ul", "del", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _renderer() -> MarkdownIt:
    # Headings h1/h2 belong to the page; member text starts at h3 (see heading_open below).
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])

    def heading_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        level = min(int(token.tag[1]) + 2, 6)
        return f"<h{level}>"

    def heading_close(renderer, tokens, idx, options, env):
        level = min(int(tokens[idx].tag[1]) + 2, 6)
        return f"</h{level}>\n"

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


_MARKDOWN = _renderer()


def sanitize_html(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes; idempotent."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """Safe HTML for a member's Markdown."""
    return mark_safe(sanitize_html(_MARKDOWN.render(text)))  # noqa: S308 - sanitized just above


def editor_attrs(rows: int, **extra: object) -> dict[str, object]:
    """A Markdown textarea's widget attributes: static/js/editor.js puts its formatting
    toolbar over every ``textarea[data-markdown]``, with these names for its buttons."""
    return {
        "rows": rows,
        **extra,
        "data-markdown": "",
        "data-label-toolbar": pgettext_lazy("editor", "Formatting"),
        "data-label-bold": pgettext_lazy("editor", "Bold"),
        "data-label-italic": pgettext_lazy("editor", "Italic"),
        "data-label-list": pgettext_lazy("editor", "List"),
        "data-label-link": pgettext_lazy("editor", "Link"),
        "data-label-quote": pgettext_lazy("editor", "Quote"),
    }
