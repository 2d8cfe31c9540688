"""Member Markdown never yields executable markup, and sanitizing is idempotent."""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.markup import ALLOWED_TAGS, URL_SCHEMES, render_markdown, sanitize_html

# Known evasion vectors (OWASP XSS filter evasion cheat sheet and common variants), both as
# raw HTML and as Markdown links and images.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",  # noqa: E501
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="  javascript:alert(1)">clic</a>',
    '<a href="java&#x09;script:alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "[clic](javascript:alert(1))",
    "[clic](JAVASCRIPT:alert(1))",
    "[clic](jav&#x61;script:alert(1))",
    "[clic](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '![x](https://example.org/x.png"onerror="alert(1))',
    "[clic](<javascript:alert(1)>)",
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">ok</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<input autofocus onfocus=alert(1)>",
]

EXECUTABLE_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "svg",
                   "math", "meta", "base", "link", "img", "body", "details"}  # fmt: skip


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS or tag in EXECUTABLE_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "action"}:
                self.problems.append(f"attribute {name}")
            if name == "href" and value is not None:
                cleaned = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
                scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned else ""
                if scheme and "/" not in scheme and scheme not in URL_SCHEMES:
                    self.problems.append(f"href {value!r}")
        if tag == "a" and dict(attrs).get("rel") != "nofollow noopener":
            self.problems.append("link without rel=nofollow noopener")


def executable_parts(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_known_evasion_vectors_come_out_harmless():
    for vector in XSS_VECTORS:
        for rendered in (str(render_markdown(vector)), sanitize_html(vector)):
            assert executable_parts(rendered) == [], (vector, rendered)
            assert sanitize_html(rendered) == rendered, vector


def test_links_are_kept_with_nofollow_noopener_and_text_is_escaped():
    html = str(render_markdown("Voir [la HAS](https://www.has-sante.fr) & <b>gras</b>"))
    assert '<a href="https://www.has-sante.fr" rel="nofollow noopener">la HAS</a>' in html
    assert "&amp;" in html and "&lt;b&gt;" in html


def test_member_headings_start_below_the_page_headings():
    assert str(render_markdown("# Titre")).startswith("<h3>Titre</h3>")


def test_headings_start_where_the_page_says_and_skip_no_level():
    text = "## Traitement\n\ntexte\n\n#### Effets\n\n## Suivi\n\n###### Note"
    html = str(render_markdown(text, top_heading=2))
    assert [line[:4] for line in html.splitlines() if line.startswith("<h")] == [
        "<h2>", "<h3>", "<h2>", "<h4>",
    ]  # fmt: skip
    # A post's text stays under the page's h1 and h2, whatever its author typed.
    assert str(render_markdown("### Seul titre")).startswith("<h3>Seul titre</h3>")
    with pytest.raises(ValueError):
        render_markdown("# Titre", top_heading=1)


# Fragments that attacks are made of, glued together in any order.
FRAGMENTS = list("<>/=\"' \t\n&#;:()[]!`*_-abcdejlnoprstvxy0123456789") + [
    "script", "javascript", "onerror", "onload", "href", "src", "img", "svg", "a ", "style",
    "iframe", "data:", "&#x09;", "&#106;", "](", "<!--", "-->",
]  # fmt: skip
html_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(html_ish)
def test_no_generated_input_yields_executable_markup(text):
    rendered = str(render_markdown(text))
    assert executable_parts(rendered) == []
    assert sanitize_html(rendered) == rendered


@settings(max_examples=300, deadline=None)
@given(st.one_of(html_ish, st.text(max_size=200)))
def test_sanitizing_twice_changes_nothing(text):
    once = sanitize_html(text)
    assert executable_parts(once) == []
    assert sanitize_html(once) == once
