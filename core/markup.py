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
        "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
        "pre", "strong", "ul", "del", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
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


def _headings_from(tokens, top: int) -> None:
    """The page owns the headings above ``top``: the text's own headings start there and go
    down one level at a time, whatever levels the author typed ("##" then "####" become
    ``top`` then ``top`` + 1), so that no level is skipped (WCAG 1.3.1, axe heading-order)."""
    levels = sorted({int(token.tag[1]) for token in tokens if token.type == "heading_open"})
    new_level = {level: min(top + rank, 6) for rank, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{new_level[int(token.tag[1])]}"


def render_markdown(text: str, *, top_heading: int = 3) -> SafeString:
    """Safe HTML for a member's Markdown, its headings starting at ``top_heading`` (h3 in a
    message, which sits under the page's h1 and h2; h2 in an article, the page's body)."""
    if not 2 <= top_heading <= 6:
        raise ValueError("headings of a text start at h2 at the highest")
    env: dict = {}
    tokens = _MARKDOWN.parse(text, env)
    _headings_from(tokens, top_heading)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    return mark_safe(sanitize_html(html))  # noqa: S308 - sanitized just above


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
