"""The topic page's messages, each rendered once per version and kept in the network's cache.

A message reads the same for everyone who may read it but for its variant: the reason alone
where its body is not shown (a hidden message, to its author), folded behind its content
warnings for a reader who asked, or open; and the language. Its HTML (``forums/_post.html``,
autoescaped) is cached under its id and version, its topic's version, the variant, the
language and its author's name: every write that changes how a message or its topic reads
bumps a version (forums.services), so nothing is ever deleted from the cache, only no longer
asked for. The cache's key function prefixes the network's schema (config.settings).

The controls under a message (``forums/_post_controls.html``: reaction buttons, quote, edit,
report, moderation) are cached apart, per message version and kind of reader: author or not,
moderator, may reply, may report, the set of kinds they pressed (most readers pressed none)
and the page's address, which the links send back to. They hold no CSRF token: their buttons
submit the page's one form (``forums/topic.html``), so nothing is rendered per message on a
request but what the cache lacks.
"""

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from tenant_apps.forums.models import Post, Topic
from tenant_apps.members.models import Member

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


def _rendered(post: Post, variant: str) -> dict[str, object]:
    """What the cache keeps of a message: its HTML, the words that name it for screen readers
    and its links."""
    author = post.author.display_name if post.author_id else ""
    return {
        "html": render_to_string(
            "forums/_post.html",
            {"post": post, "body_shown": variant != REASON, "folded": variant == FOLDED},
        ),
        "about": gettext("the message of %(name)s") % {"name": author},
        "links": {
            "react": reverse("forums:react", args=[post.pk]),
            "edit": reverse("forums:post_edit", args=[post.pk]),
            "report": reverse("moderation:report", args=[post.pk]),
        },
    }


@dataclass(frozen=True)
class Reader:
    """What the controls under a message depend on besides the message."""

    member: Member
    is_moderator: bool
    can_reply: bool
    can_report: bool
    here: str


def _footer_key(post: Post, topic: Topic, reader: Reader, language: str) -> str:
    pressed = ".".join(r["kind"] for r in post.reactions_shown if r["pressed"])
    own = "a" if post.author_id == reader.member.pk else "o"
    kind = f"{own}{reader.is_moderator:d}{reader.can_reply:d}{reader.can_report:d}"
    # The buttons name the author (``about``); the links send back to the page's address,
    # which the reader chooses: a digest they cannot make collide with another page's.
    name = post.author.display_name if post.author_id else ""
    author = zlib.crc32(name.encode())
    here = hashlib.blake2b(reader.here.encode(), digest_size=12).hexdigest()
    return (
        f"forums:footer:{post.pk}:{post.version}:{topic.version}:{language}:{kind}:{pressed}:"
        f"{author:x}:{here}"
    )


def post_fragments(posts: Sequence[Post], *, topic: Topic, reader: Reader) -> None:
    """Set on each post of a page read by ``posts_page`` its rendered message (``html``,
    ``about``, ``links``) and the controls under it for this kind of reader (``footer_html``):
    from the cache when they are there (one round trip for the page), else rendered and
    stored."""
    language = get_language() or ""
    messages = {}
    for post in posts:
        variant = _variant(post)
        messages[_key(post, topic, variant, language)] = (post, variant)
    footers = {_footer_key(post, topic, reader, language): post for post in posts}
    found = cache.get_many([*messages, *footers])
    missing = {}
    for key, (post, variant) in messages.items():
        if key not in found:
            found[key] = missing[key] = _rendered(post, variant)
        post.html, post.about, post.links = (found[key][k] for k in ("html", "about", "links"))
    for key, post in footers.items():
        if key not in found:
            found[key] = missing[key] = render_to_string(
                "forums/_post_controls.html",
                {
                    "post": post,
                    "member": reader.member,
                    "is_moderator": reader.is_moderator,
                    "can_reply": reader.can_reply,
                    "can_report": reader.can_report,
                    "here": reader.here,
                },
            )
        post.footer_html = found[key]
    if missing:
        cache.set_many(missing, TIMEOUT)
