"""A guideline's version as a PDF, drawn by the server with reportlab's built-in fonts (no
font is fetched or embedded): title, version, validity, what changed, then the sections.

The sections' text comes from their cleaned HTML (``body_html``) reduced to paragraphs and
list items; reportlab's paragraph markup is given escaped text only."""

import html
import io
import re

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from tenant_apps.pro.models import Guideline, GuidelineSection, GuidelineVersion

_BLOCK = re.compile(r"<(p|li|h[2-6]|pre|tr)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _blocks(body_html: str) -> list[tuple[str, str]]:
    """(kind, plain text) for each paragraph, item, heading, code block or table row."""
    found = []
    for match in _BLOCK.finditer(body_html):
        kind, inner = match.group(1), match.group(2)
        text = html.unescape(_TAG.sub(" ", inner))
        text = re.sub(r"[ \t]+", " ", text).strip()
        if text:
            found.append((kind, text))
    return found


def _text(value: str) -> str:
    # Paragraph parses a small markup: the text goes in escaped.
    return html.escape(value, quote=False)


def render(
    guideline: Guideline, version: GuidelineVersion, sections: list[GuidelineSection]
) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=guideline.title, author=guideline.group.name,
        leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        # Uncompressed streams: the text stays findable by simple tools (and by tests).
        pageCompression=0, invariant=1,
    )  # fmt: skip
    story = [Paragraph(_text(guideline.title), styles["Title"])]
    facts = [
        _("Version %(number)s") % {"number": version.number},
        _("Working group: %(group)s") % {"group": guideline.group.name},
        _("Organ or theme: %(organ)s") % {"organ": guideline.organ},
    ]
    if version.validated_at is not None:
        facts.append(
            _("Validated on %(date)s")
            % {"date": formats.date_format(version.validated_at, "SHORT_DATE_FORMAT")}
        )
    else:
        facts.append(_("Not validated yet: a draft."))
    if version.pk == guideline.current_version_id and guideline.valid_until:
        facts.append(
            _("Valid until %(date)s")
            % {"date": formats.date_format(guideline.valid_until, "SHORT_DATE_FORMAT")}
        )
        facts.append(_("Status: %(status)s") % {"status": guideline.get_status_display()})
    for fact in facts:
        story.append(Paragraph(_text(fact), styles["Normal"]))
    if version.change_summary:
        story += [Spacer(1, 0.3 * cm), Paragraph(_text(_("What changed")), styles["Heading3"]),
                  Paragraph(_text(version.change_summary), styles["Normal"])]  # fmt: skip
    for section in sections:
        story += [Spacer(1, 0.4 * cm), Paragraph(_text(section.title), styles["Heading2"])]
        for kind, text in _blocks(section.body_html):
            if kind == "li":
                story.append(Paragraph(_text(text), styles["Normal"], bulletText="•"))
            elif kind.startswith("h"):
                story.append(Paragraph(_text(text), styles["Heading4"]))
            elif kind == "pre":
                story.append(Paragraph(_text(text), styles["Code"]))
            else:
                story.append(Paragraph(_text(text), styles["Normal"]))
    document.build(story)
    return buffer.getvalue()
