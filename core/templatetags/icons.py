"""``{% icon "bell" %}``, ``{% icon "menu" "icon-open" %}``: an inline SVG icon of
templates/includes/icon.html (where the icons are drawn and named, docs/design.md "Icons"),
rendered once per process for each name and class. The header draws a dozen icons on every
page; running the drawing's chain of comparisons for each was a measurable part of every
page's time. A built-in tag (config/settings.py TEMPLATES): templates need no ``load``."""

from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _drawn(name: str, css_class: str) -> SafeString:
    svg = render_to_string("includes/icon.html", {"name": name, "class": css_class})
    return mark_safe(svg.strip())  # noqa: S308 - our own template's output, escaped there


@register.simple_tag
def icon(name: str, css_class: str = "") -> SafeString:
    return _drawn(name, css_class)
