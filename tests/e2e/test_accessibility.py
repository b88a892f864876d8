"""Every page, in English and in Chinese, checked by axe-core in a real browser at a projector's 1280×720,
its expanders open: no critical or serious violation. The moderate and minor ones are written to
screenshots/axe-violations.json (and printed), to read and cite.

axe-core comes from npm: scripts/test.sh installs the version it pins into .cache/axe-core (git-ignored).
Without it these tests skip, or fail under CI=true, like the other e2e tests without a browser.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import (
    APP_ROOT,
    MAIN,
    SCREENSHOTS,
    TIMEOUT_MS,
    assert_no_exception,
    missing,
    open_app,
    wait_for_idle,
)
from ui.common.frame import PAGES, PageSpec
from ui.common.i18n import STRINGS

pytestmark = pytest.mark.e2e

AXE_PACKAGE = APP_ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core"
AXE_SCRIPT = AXE_PACKAGE / "axe.min.js"
REPORT = SCREENSHOTS / "axe-violations.json"
# What must never be there; "moderate" and "minor" are reported, not failed.
BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
# A chart is drawn when Plotly has made its SVG: wait for every chart of the page (axe checks the SVGs too).
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    .every(chart => chart.querySelector('.main-svg'))"""
# Two frames first: the app's script (assets/keyboard_scrolling.js) looks at the page once per frame.
RUN_AXE = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    return (await axe.run(document, {resultTypes: ['violations']})).violations;
}"""
CLOSED_EXPANDERS = f"{MAIN} details:not([open]) > summary"
PROJECTOR = {"width": 1280, "height": 720}
# Where a violation is: its rule, its impact and the first few elements (selectors) that break it.
NODES_SHOWN = 5


def _summary(violation: dict[str, Any]) -> dict[str, Any]:
    nodes = violation["nodes"]
    return {
        "id": violation["id"],
        "impact": violation["impact"],
        "help": violation["help"],
        "nodes": len(nodes),
        "targets": [" ".join(map(str, node["target"])) for node in nodes[:NODES_SHOWN]],
    }


def _record(view: str, violations: list[dict[str, Any]], seconds: dict[str, float]) -> None:
    """Write this view's violations into the shared report (one entry per page × language), with the
    seconds it took to open the page (charts drawn, expanders open) and to run axe-core."""
    SCREENSHOTS.mkdir(exist_ok=True)
    report = json.loads(REPORT.read_text(encoding="utf-8")) if REPORT.exists() else {}
    version = json.loads((AXE_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    report["axe-core"] = version
    report.setdefault("views", {})[view] = {
        "counts": {impact: sum(v["impact"] == impact for v in violations) for impact in IMPACTS},
        "violations": violations,
        "seconds": {step: round(value, 2) for step, value in seconds.items()},
    }
    REPORT.write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="session")
def axe() -> Path:
    """The path of axe-core's script; asked for before the server, so that without it nothing starts."""
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT.relative_to(APP_ROOT)} is missing (bash scripts/test.sh installs axe-core)")
    return AXE_SCRIPT


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("spec", PAGES, ids=[spec.page_id for spec in PAGES])
def test_no_critical_or_serious_violation(
    axe: Path, server: str, page: Any, spec: PageSpec, language: str
) -> None:
    started = time.perf_counter()
    url_path = spec.url_path
    # A projector's smaller screen: columns are narrow there, and what does not fit scrolls.
    page.set_viewport_size(PROJECTOR)
    # English: the browser's language (en-US); Chinese: a link's language, which wins over the browser's.
    open_app(page, server, url_path if language == "en" else f"{url_path}?language=zh")
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    wait_for_idle(page, start_ms=0)
    assert_no_exception(page)
    title = STRINGS["app.name" if spec.is_home else spec.title_key][language]
    assert title in page.locator(f"{MAIN} h1").first.inner_text()  # the page, in the language meant
    # What a student opens is checked too (the source code, the formulas): an expander opens in the
    # browser, without a script run.
    closed = page.locator(CLOSED_EXPANDERS)
    for _ in range(closed.count()):
        closed.first.click()
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)

    drawn = time.perf_counter()
    page.add_script_tag(path=str(axe))
    violations = [_summary(v) for v in page.evaluate(RUN_AXE)]
    view = f"{spec.page_id}-{language}"
    _record(view, violations, {"page": drawn - started, "axe": time.perf_counter() - drawn})
    for v in violations:
        print(f"{view}: {v['impact']} {v['id']} ×{v['nodes']}: {v['targets']}")

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core found on {view}:\n" + json.dumps(blocking, indent=2, ensure_ascii=False)


def test_a_formula_wider_than_its_column_takes_the_focus_and_scrolls(server: str, page: Any) -> None:
    """What axe-core checks, used as a keyboard user would: a formula that does not fit is in the tab
    order (tabindex 0) and, focused, the arrow keys scroll it; formulas that fit stay out of the order."""
    page.set_viewport_size(PROJECTOR)
    open_app(page, server, "activations")  # its formulas sit in half a column
    boxes = page.locator(f"{MAIN} .katex-display")
    wide = page.locator(f'{MAIN} .katex-display[tabindex="0"]')
    wide.first.wait_for(timeout=TIMEOUT_MS)
    overflowing = "b => b.scrollWidth > b.clientWidth + 1"
    assert [box.evaluate(overflowing) for box in boxes.all()] == [
        box.get_attribute("tabindex") == "0" for box in boxes.all()
    ]
    wide.first.focus()
    assert wide.first.evaluate("b => b.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=wide.first.element_handle(), timeout=5_000)
