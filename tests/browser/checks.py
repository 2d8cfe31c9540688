"""What every page must pass in a browser, at each width: no horizontal scroll, no serious or
critical axe-core violation, no console error. Used by the sweep (test_sweep.py).

axe-core comes from npm (package.json, installed by ``make install``: ``npm ci``); it is read
from node_modules and given to the browser context once (``with_axe``), which runs it in
every page it opens: sending its 650 KB over Playwright's pipe for each page
(``page.evaluate``) took longer than the checks themselves.
"""

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The two widths of the quality bar: a laptop, and a phone held upright (390 × 844).
WIDTHS = {1280: 800, 390: 844}
FAILING_IMPACTS = ("serious", "critical")

# The horizontal overflow, and the elements that stick out past the right edge (the
# outermost ones first), so that a failure says where to look.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    else if (typeof el.className === "string" && el.className.trim())
      name += "." + el.className.trim().split(/\\s+/).join(".");
    return name;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 1 && rect.width > 0) {
      if (!culprits.some((outer) => outer.contains(el))) culprits.push(el);
    }
    if (culprits.length >= 5) break;
  }
  // Text running out of a box that is itself narrow enough (a long word, a <pre>): the box
  // whose content overflows it, the innermost ones.
  if (!culprits.length) {
    for (const el of document.body.querySelectorAll("*")) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible"
          && el.getBoundingClientRect().left + el.scrollWidth > width + 1) {
        culprits.push(el);
      }
    }
    culprits.splice(0, culprits.length,
      ...culprits.filter((el) => !culprits.some((inner) => inner !== el && el.contains(inner)))
        .slice(0, 5));
  }
  return {scrollWidth, width, culprits: culprits.map(describe)};
}"""

# The rules of WCAG 2.0 and 2.1 at levels A and AA (the quality bar; not axe's deprecated or
# experimental ones), and axe's "best practice" rules whose findings are serious or critical;
# not the other best practices (landmarks, heading order: moderate or minor), which took a
# third of axe's time.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BEST_PRACTICES = ["aria-dialog-name", "aria-text", "aria-treeitem-name", "label-title-only",
                      "tabindex"]  # fmt: skip
AXE_RUN = """async ([tags, extra]) => {
  const rules = axe.getRules(tags)
    .filter((rule) => !rule.tags.some((tag) => tag === "experimental" || tag === "deprecated"))
    .map((rule) => rule.ruleId).concat(extra);
  const results = await axe.run(document, {
    runOnly: {type: "rule", values: rules},
    resultTypes: ["violations"],
    ancestry: false,
    xpath: false,
    iframes: false,
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    count: v.nodes.length,
  }));
}"""


@dataclass
class ConsoleErrors:
    """The console errors and uncaught exceptions of a page since the last ``take()``."""

    seen: list[str] = field(default_factory=list)

    def listen(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.seen.append(
            f"console: {message.text} ({message.location.get('url') or 'inline'})"
        ))  # fmt: skip
        page.on("pageerror", lambda error: self.seen.append(f"uncaught: {error}"))

    def take(self) -> list[str]:
        taken, self.seen = self.seen, []
        return taken


def axe_path() -> Path:
    if not AXE.exists():
        raise FileNotFoundError(
            f"{AXE} is missing: run `make install` (or `npm ci`) at the repository's root"
        )
    return AXE


def with_axe(context) -> None:
    """Every page the browser context opens from now on has ``window.axe``."""
    context.add_init_script(path=axe_path())


def page_problems(page) -> list[str]:
    """The problems of the page as it is now, at the viewport's current width."""
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        problems.append(
            f"horizontal scroll: {overflow['scrollWidth']} px wide in {overflow['width']} px; "
            f"sticking out: {', '.join(overflow['culprits']) or '?'}"
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol, which the page's Content-Security-Policy does
        # not govern (a <script> tag added to the page would be refused: no inline script).
        page.evaluate(axe_path().read_text())
    for violation in page.evaluate(AXE_RUN, [AXE_TAGS, AXE_BEST_PRACTICES]):
        if violation["impact"] in FAILING_IMPACTS:
            problems.append(
                f"axe {violation['impact']} {violation['id']} ({violation['help']}) on "
                f"{violation['count']} element(s): {'; '.join(violation['targets'])}"
            )
    return problems
