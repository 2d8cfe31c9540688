"""Screenshots of the running demo, for the README and the design review.

Signs in as each demo network's member (``membre-<network>``, the demo's password) and saves
the home page, a topic, the knowledge base and the account area of every demo network at
1280 px and 390 px, into docs/screenshots/<network>-<page>-<width>.png.

    make demo                      # in another terminal (port 8000, or DEMO_PORT)
    .venv/bin/python scripts/screenshots.py --port 8000

Each shot is the full page, cut at three screens' height (a long page would make a huge
file), and saved as an 8-bit palette PNG (``--truecolor`` keeps every colour).
Chromium is Debian's (/usr/bin/chromium), driven by the playwright package.
"""

import argparse
import ast
import io
import sys
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]
WIDTHS = {1280: 800, 390: 844}
SCREENS = 3  # a full-page shot stops after this many screens
# The account area: the account hub once it exists, else allauth's email page.
ACCOUNT_PATHS = ("/compte/", "/comptes/email/")
ACCOUNT_PREFIX = "membre"  # provisioning/demo.py DEMO_ACCOUNTS: the plain member


def demo_constants() -> tuple[str, list[str]]:
    """The demo's password and network slugs, read from provisioning/demo.py without
    importing it (that would need Django's settings and a database)."""
    tree = ast.parse((REPO / "provisioning" / "demo.py").read_text())
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in ("DEMO_PASSWORD", "DEMO_NETWORKS"):
                values[target.id] = node.value
    password = ast.literal_eval(values["DEMO_PASSWORD"])
    slugs = [
        ast.literal_eval(value)
        for network in values["DEMO_NETWORKS"].elts
        for key, value in zip(network.keys, network.values, strict=True)
        if ast.literal_eval(key) == "slug"
    ]
    return password, slugs


def compact_png(png: bytes, *, truecolor: bool = False) -> bytes:
    """The screenshot re-encoded small: a 256-colour palette (text stays sharp: a page has
    few colours) unless ``truecolor``, and Pillow's optimised deflate either way."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if not truecolor:
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(page, path: Path, width: int, height: int, *, truecolor: bool) -> int:
    """Save the page at this width, at most ``SCREENS`` screens tall; the file's size."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_load_state("networkidle")
    full = page.evaluate("() => document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": width, "height": min(full, SCREENS * height)}
    png = page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    data = compact_png(png, truecolor=truecolor)
    path.write_bytes(data)
    return len(data)


class Failed(Exception):
    pass


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    if urlsplit(page.url).path.startswith("/comptes/"):
        raise Failed(f"could not sign in as {email} on {base} (still on {page.url})")


def open_ok(page, url: str) -> bool:
    response = page.goto(url)
    return response is not None and response.status == 200


def a_topic(page, base: str) -> str:
    """A topic the member can read: the first one linked from the home page, else from the
    first forum of the forums' index."""
    link = 'a[href^="/forums/sujet/"]'
    for start in ("/", "/forums/"):
        page.goto(f"{base}{start}")
        if page.locator(link).count():
            return base + page.locator(link).first.get_attribute("href")
    page.goto(f"{base}/forums/")
    forum = page.locator('main a[href^="/forums/"]').first
    if forum.count():
        forum.click()
        page.wait_for_load_state()
        if page.locator(link).count():
            return base + page.locator(link).first.get_attribute("href")
    raise Failed(f"no topic to show on {base}")


def network_pages(page, base: str) -> dict[str, str]:
    pages = {"home": f"{base}/", "topic": a_topic(page, base), "knowledge": f"{base}/ressources/"}
    for path in ACCOUNT_PATHS:
        if open_ok(page, f"{base}{path}"):
            pages["account"] = f"{base}{path}"
            break
    else:
        raise Failed(f"no account page on {base} ({', '.join(ACCOUNT_PATHS)})")
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="the demo's port (8000)")
    parser.add_argument("--host", default="localhost", help="the platform's domain (localhost)")
    parser.add_argument("--networks", nargs="*", help="network slugs (every demo network)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to save (docs/screenshots)")
    parser.add_argument("--truecolor", action="store_true", help="keep every colour")
    options = parser.parse_args(argv)
    password, slugs = demo_constants()
    networks = options.networks or slugs
    options.out.mkdir(parents=True, exist_ok=True)

    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for slug in networks:
            base = f"http://{slug}.{options.host}:{options.port}"
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
            page = context.new_page()
            try:
                sign_in(page, base, f"{ACCOUNT_PREFIX}-{slug}@demo.invalid", password)
                for name, url in network_pages(page, base).items():
                    if not open_ok(page, url):
                        failures.append(f"{slug}: {url} did not answer 200")
                        print(failures[-1], file=sys.stderr)
                        continue
                    for width, height in WIDTHS.items():
                        path = options.out / f"{slug}-{name}-{width}.png"
                        size = shoot(page, path, width, height, truecolor=options.truecolor)
                        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}"
                              f"  {size // 1024} KB")  # fmt: skip
            except (Failed, PlaywrightError) as error:
                failures.append(f"{slug}: {error}")
                print(f"{slug}: {error}", file=sys.stderr)
            finally:
                context.close()
        browser.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
