"""An article's card where another app points to it (a forum reply).

The forums' templates load this library by name: the card, and the rule that decides whether
its reader may see it (``knowledge.access``), stay the knowledge base's own, and the forums
import nothing from it.
"""

from django import template
from django.template.loader import render_to_string

from tenant_apps.knowledge import access

register = template.Library()


@register.simple_tag
def article_card(card, member) -> str:
    """The card of ``card.article`` (loaded with its space) when ``member`` may read the
    article, else nothing."""
    if card is None or not access.article_readable(member, card.article):
        return ""
    return render_to_string("knowledge/_article_card.html", {"card": card})
