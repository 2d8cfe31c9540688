"""The asset budget: the CSS and JavaScript a page makes the browser load, gzip-compressed
together, stay under 60 KB, so that the site opens quickly on a weak phone connection.

The assets are read from the rendered HTML (``<link rel=stylesheet href>``, ``<script src>``,
and the ``@import`` of the stylesheets), each found through the static files' finders, as
the site serves them (WhiteNoise, ``WHITENOISE_USE_FINDERS``).
"""

import gzip
import os
import re
from html.parser import HTMLParser
from posixpath import dirname, join, normpath
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests import matrix

pytestmark = pytest.mark.django_db
world, role_accounts = matrix.world, matrix.role_accounts  # the module's shared world

BUDGET = 60 * 1024  # bytes, gzip-compressed
IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attributes.get("href"):
            self.urls.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])


def static_name(url: str) -> str:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not a static file of the site"
    return path.removeprefix(settings.STATIC_URL)


def read_static(name: str) -> bytes:
    found = finders.find(name)
    assert found, f"the page loads /static/{name}, which does not exist"
    with open(found, "rb") as file:
        return file.read()


def page_assets(html: str, fetch=None) -> dict[str, bytes]:
    """Each static file the page loads (stylesheets' imports included), by name, once; an
    address outside the static files (the network's palette, tenants.theme) read through
    ``fetch`` when given."""
    parser = _Assets()
    parser.feed(html)
    assets: dict[str, bytes] = {}
    dynamic = [url for url in parser.urls if not url.startswith(settings.STATIC_URL)]
    if fetch is not None:
        for url in dynamic:
            assets[url] = fetch(url)
        parser.urls = [url for url in parser.urls if url not in dynamic]
    waiting = [static_name(url) for url in parser.urls]
    while waiting:
        name = waiting.pop(0)
        if name in assets:
            continue
        assets[name] = read_static(name)
        if name.endswith(".css"):
            for imported in IMPORT.findall(assets[name].decode()):
                if imported.startswith("/"):
                    waiting.append(static_name(imported))
                else:
                    waiting.append(normpath(join(dirname(name), imported)))
    return assets


def gzipped_size(assets: dict[str, bytes]) -> int:
    return len(gzip.compress(b"".join(assets.values()), compresslevel=9))


def test_page_assets_follows_links_scripts_and_css_imports(settings, tmp_path):
    css = tmp_path / "css"
    css.mkdir()
    (css / "main.css").write_text('@import url("parts/colours.css");\nbody { margin: 0 }\n')
    (css / "parts").mkdir()
    (css / "parts" / "colours.css").write_text(":root { --primary: #123456 }\n")
    (tmp_path / "app.js").write_text("console.log(1)\n")
    settings.STATICFILES_DIRS = [tmp_path]
    html = (
        '<link rel="stylesheet" href="/static/css/main.css">'
        '<link rel="icon" href="/static/favicon.png">'
        '<script src="/static/app.js" defer></script><script>var inline = 1;</script>'
    )
    assert set(page_assets(html)) == {"css/main.css", "css/parts/colours.css", "app.js"}
    with pytest.raises(AssertionError, match="does not exist"):
        page_assets('<script src="/static/missing.js"></script>')
    # The budget can be broken: 100 KB of random bytes do not compress.
    noise = os.urandom(100_000)
    assert gzipped_size({"big.js": noise}) > BUDGET


@pytest.mark.parametrize(
    ("page", "role"),
    [("home", "anonymous"), ("home", "member"), ("topic", "member")],
)
def test_a_page_loads_under_60_kb_of_css_and_javascript_gzipped(client_as, world, page, role):
    path = "/" if page == "home" else f"/forums/sujet/{world.topic.pk}/"
    client = client_as(role)
    response = client.get(path)
    assert response.status_code == 200
    assets = page_assets(response.content.decode(), fetch=lambda url: client.get(url).content)
    assert any(name.endswith(".css") for name in assets), "the page loads no stylesheet"
    size = gzipped_size(assets)
    listing = ", ".join(f"{name} ({len(body)} B)" for name, body in assets.items())
    print(f"{page} as {role}: {size} B gzipped of {BUDGET} B: {listing}")
    assert size < BUDGET, f"{size} B gzipped, over the {BUDGET} B budget: {listing}"
