"""The topic page's messages, each rendered once per version and kept in the network's cache.

A message reads the same for everyone who may read it but for its variant: the reason alone
where its body is not shown (a hidden message, to its author), folded behind its content
warnings for a reader who asked, or open; and the language. Its HTML (``forums/_post.html``,
autoescaped) is cached under its id and version, its topic's version, the variant, the
language and its author's name: every write that changes how a message or its topic reads
bumps a version (forums.services), so nothing is ever deleted from the cache, only no longer
asked for. The cache's key function prefixes the network's schema (config.settings).

What is the reader's own (their pressed reactions, the links and forms they may use) is
rendered on every request, by ``forums/_post_controls.html``.
"""

import zlib
from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from tenant_apps.forums.models import Post, Topic

TIMEOUT = 24 * 3600
REASON, FOLDED, OPEN = "r", "f", "o"


def _variant(post: Post) -> str:
    if not post.body_shown:
        return REASON
    return FOLDED if post.collapsed and post.warning_names else OPEN


def _key(post: Post, topic: Topic, variant: str, language: str) -> str:
    # The author's name is in the message: erasing an account changes it without a write to
    # the post. Hashed to keep the key short and printable.
    name = post.author.display_name if post.author_id else ""
    author = zlib.crc32(name.encode())
    zone = timezone.get_current_timezone_name()
    return (
        f"forums:post:{post.pk}:{post.version}:{topic.version}:{variant}:{language}:{zone}:"
        f"{author:x}"
    )


def post_fragments(posts: Sequence[Post], *, topic: Topic) -> None:
    """Set ``html`` on each post of a page read by ``posts_page``: its message rendered, from
    the cache when it is there (one round trip for the page), else rendered and stored."""
    language = get_language() or ""
    wanted = {}
    for post in posts:
        variant = _variant(post)
        wanted[_key(post, topic, variant, language)] = (post, variant)
    found = cache.get_many(list(wanted))
    rendered = {}
    for key, (post, variant) in wanted.items():
        html = found.get(key)
        if html is None:
            html = render_to_string(
                "forums/_post.html",
                {"post": post, "body_shown": variant != REASON, "folded": variant == FOLDED},
            )
            rendered[key] = html
        post.html = html
    if rendered:
        cache.set_many(rendered, TIMEOUT)
