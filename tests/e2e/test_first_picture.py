"""Time to the first picture on every page, and a placeholder of the figure's size while Plotly loads.

Issue 14, item 5. Every time is taken in the browser, from navigation start (`performance.now()` counts
from the navigation's `timeOrigin`) to the frame after the first figure's `.main-svg` entered the DOM
(the page's first image, or its title, on a page with no chart). Layout shifts are summed from
Chromium's 'layout-shift' entries. Times and shifts are written to screenshots/first-picture.json and
first-picture.md for the closing note, never asserted (a time is reported, not asserted); the tests
assert states: every page draws its first picture, and each chart's placeholder stands exactly where,
and as large as, the figure that replaces it.

Measured on this machine (TESTING.md, "Load"): Plotly's bundle (PlotlyChart.*.js, 4.7 MB) is fetched
when the first chart element arrives, and while the browser evaluates it no other lazy element is drawn
either; every chart shows an `stSkeleton` meanwhile.
"""

from __future__ import annotations

import json
import os
import platform
from typing import Any

import pytest
import streamlit

from tests.e2e.helpers import (
    IDLE,
    MAIN,
    SCREENSHOTS,
    TIMEOUT_MS,
    VIEWPORT,
    assert_clean_console,
    assert_no_exception,
    new_page,
    open_app,
    wait_for_idle,
)
from ui.common.frame import PAGES, STYLE_PATH, PageSpec
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

RESULTS = SCREENSHOTS / "first-picture.json"
TABLE = SCREENSHOTS / "first-picture.md"
# Plotly's lazily loaded bundle: held back by the placeholder test so that the placeholders can be measured.
PLOTLY_BUNDLE = "**/static/js/PlotlyChart.*.js"
# A pixel of tolerance: boxes are fractional, a placeholder "of the figure's size" is so to the pixel.
PIXEL = 1.0
# Shifts listed one by one in the results (all of them count in the sums).
SHOWN_SHIFT = 0.002

# Installed before any script of the page runs (add_init_script): it records, in the page's own clock,
# when the first picture was in the DOM and painted, every layout shift, when the app's stylesheet
# arrived, and the last box of each element's placeholder (stSkeleton) before the element replaced it.
# "Painted": a requestAnimationFrame callback runs before the frame that shows the new DOM is drawn; a
# message posted from it is delivered after that frame (the usual "after next paint" measure).
RECORDER = """(styleMarker) => {
    const CHART = '[data-testid="stPlotlyChart"]';
    const SKELETON = '[data-testid="stSkeleton"]';
    const CONTAINER = '[data-testid="stElementContainer"]';
    const MAIN = '[data-testid="stMain"]';
    const visibleCharts = () => [...document.querySelectorAll(CHART)].filter(
        (chart) => chart.getBoundingClientRect().height > 0);
    const rec = {
        shifts: [], chart: null, chartDom: null, image: null, heading: null, headingDom: null,
        style: null, released: null, stopped: false, placeholders: new Map(),
    };
    window.__firstPicture = rec;
    const box = (element) => {
        const r = element.getBoundingClientRect();
        return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height};
    };
    // What moved: the nearest test id of each shifted node, and by how much.
    const moved = (source) => {
        const node = source.node && (source.node.closest ? source.node : source.node.parentElement);
        const owner = node && node.closest('[data-testid]');
        const [a, b] = [source.previousRect, source.currentRect];
        const by = `${Math.round(b.x - a.x)},${Math.round(b.y - a.y)} px`;
        return `${owner ? owner.getAttribute('data-testid') : '?'} ${by}`;
    };
    const keep = (entries) => {
        for (const e of entries) {
            if (e.hadRecentInput) continue;
            const sources = (e.sources || []).slice(0, 3).map(moved);
            rec.shifts.push({t: e.startTime, value: e.value, moved: sources});
        }
    };
    const shifts = new PerformanceObserver((list) => keep(list.getEntries()));
    shifts.observe({type: 'layout-shift', buffered: true});
    const afterPaint = (done) => requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done(performance.now());
        channel.port2.postMessage(null);
    });
    const look = () => {
        if (rec.chartDom === null) {
            const svg = document.querySelector(`${CHART} .main-svg`);
            if (svg && svg.getBoundingClientRect().height > 0) {
                rec.chartDom = performance.now();
                afterPaint((now) => { rec.chart = now; });
            }
        }
        if (rec.image === null) {
            const img = document.querySelector(`${MAIN} img`);
            if (img && img.complete && img.naturalWidth > 0) {
                rec.image = -1;
                afterPaint((now) => { rec.image = now; });
            }
        }
        if (rec.headingDom === null && document.querySelector(`${MAIN} h1`)) {
            rec.headingDom = performance.now();
            afterPaint((now) => { rec.heading = now; });
        }
        if (rec.style === null
            && [...document.querySelectorAll('style')].some((s) => s.textContent.includes(styleMarker))) {
            rec.style = performance.now();
        }
    };
    // Each frame: the box of every visible placeholder and of its element's container.
    const frame = () => {
        look();
        for (const skeleton of document.querySelectorAll(SKELETON)) {
            const container = skeleton.closest(CONTAINER);
            if (!container || container.getBoundingClientRect().height === 0) continue;
            rec.placeholders.set(container, {
                skeleton: box(skeleton), container: box(container), styled: rec.style !== null,
                graphic: container.classList.contains('stPrintGraphic'),
            });
        }
        if (!rec.stopped) requestAnimationFrame(frame);
    };
    new MutationObserver(look).observe(document, {subtree: true, childList: true});
    requestAnimationFrame(frame);

    // The first picture is painted: the first visible chart's, or on a page without one its image or title.
    window.__firstPictureDrawn = () => {
        const charts = visibleCharts();
        if (charts.length) return rec.chart > 0 && charts.every((c) => c.querySelector('.main-svg'));
        if (document.querySelector(`${MAIN} img`)) return rec.image > 0;
        return rec.heading > 0;
    };
    // Every placeholder left is a chart's, and the app's stylesheet is in: what a slow bundle shows.
    window.__onlyChartsWait = () => rec.style !== null && [...document.querySelectorAll(SKELETON)].every(
        (s) => s.closest(CONTAINER) && s.closest(CONTAINER).classList.contains('stPrintGraphic'));
    window.__firstPictureReport = () => {
        rec.stopped = true;
        keep(shifts.takeRecords());
        const charts = visibleCharts();
        return {
            chart: rec.chart, chartDom: rec.chartDom, image: rec.image, heading: rec.heading,
            headingDom: rec.headingDom, style: rec.style, released: rec.released, shifts: rec.shifts,
            charts: charts.map((chart) => {
                const svg = chart.querySelector('.main-svg');
                const plot = chart.querySelector('.js-plotly-plot');
                return {
                    figure: svg ? box(svg) : null,
                    layoutHeight: plot && plot.layout ? plot.layout.height : null,
                    placeholder: rec.placeholders.get(chart.closest(CONTAINER)) || null,
                };
            }),
        };
    };
}"""


def _install_recorder(page: Any) -> None:
    """Record the first picture in every document this page's context loads from now on."""
    marker = STYLE_PATH.read_text(encoding="utf-8").splitlines()[0]
    page.context.add_init_script(script=f"({RECORDER})({json.dumps(marker)})")


def _measure(page: Any, base_url: str, spec: PageSpec) -> dict[str, Any]:
    """Open the page, wait until its first picture is painted and every element drawn; return the record."""
    open_app(page, base_url, spec.url_path)
    page.wait_for_function("window.__firstPictureDrawn()", timeout=TIMEOUT_MS)
    return _summary(page.evaluate("window.__firstPictureReport()"))


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """The figures of one visit: what the first picture was, when it was painted, and the layout shifts.

    Shifts up to the frame that first painted the title move Streamlit's own loading skeleton (the frame:
    the page's wide layout and the sidebar arrive with the title); later shifts move the page's content.
    """
    if report["charts"]:
        picture, painted = "chart", report["chart"]
    elif report["image"] is not None:
        picture, painted = "image", report["image"]
    else:
        picture, painted = "title", report["heading"]
    titled = report["heading"]
    shifts = report["shifts"]
    return {
        "picture": picture,
        "first_picture_ms": round(painted),
        "title_ms": round(report["heading"]),
        "stylesheet_ms": None if report["style"] is None else round(report["style"]),
        "charts": len(report["charts"]),
        "cls": round(sum(s["value"] for s in shifts), 4),
        "cls_frame": round(sum(s["value"] for s in shifts if s["t"] <= titled), 4),
        "cls_content": round(sum(s["value"] for s in shifts if s["t"] > titled), 4),
        "shifts": [
            {"ms": round(s["t"]), "value": round(s["value"], 4), "moved": s["moved"]}
            for s in shifts
            if s["value"] >= SHOWN_SHIFT
        ],
        "placeholders": [_placeholder(chart) for chart in report["charts"]],
        "cls_at_release": None
        if report["released"] is None
        else round(sum(s["value"] for s in shifts if s["t"] >= report["released"]), 4),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _placeholder(chart: dict[str, Any]) -> dict[str, Any]:
    """A chart's last placeholder box (while the stylesheet was in) against the figure drawn in its place."""
    seen, figure = chart["placeholder"], chart["figure"]
    entry: dict[str, Any] = {"figure": _rounded(figure), "layout_height": chart["layoutHeight"]}
    if seen is not None:
        entry |= {"skeleton": _rounded(seen["skeleton"]), "reserved": _rounded(seen["container"])}
        entry["styled"] = seen["styled"]
    return entry


def _rounded(box: dict[str, float] | None) -> dict[str, float] | None:
    return None if box is None else {key: round(value, 1) for key, value in box.items()}


def _same_box(a: dict[str, float], b: dict[str, float]) -> bool:
    return all(abs(a[key] - b[key]) <= PIXEL for key in ("x", "y", "width", "height"))


def _record(section: str, key: str, entry: dict[str, Any], browser: Any) -> None:
    """Merge one measurement into screenshots/first-picture.json and rewrite first-picture.md from it."""
    SCREENSHOTS.mkdir(exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["machine"] = {
        "cores": os.cpu_count(),
        "chromium": browser.version,
        "streamlit": streamlit.__version__,
        "python": platform.python_version(),
        "viewport": VIEWPORT,
    }
    data.setdefault(section, {}).setdefault(key, {}).update(entry)
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    TABLE.write_text(_table(data))


def _table(data: dict[str, Any]) -> str:
    machine = data["machine"]
    lines = [
        "# Time to the first picture (tests/e2e/test_first_picture.py)",
        "",
        f"Chromium {machine['chromium']}, {machine['cores']} cores, Streamlit {machine['streamlit']}, "
        f"window {machine['viewport']['width']}×{machine['viewport']['height']}. Milliseconds from "
        "navigation start to the frame after the first chart's SVG was drawn (the first image or the "
        "title on a page with no chart). CLS: layout shift of the whole load; 'frame' is the part "
        "up to the title's first frame (Streamlit's loading skeleton as the wide layout and the sidebar "
        "arrive), "
        "'content' the rest. Placeholder: the chart placeholder's box against the figure's box "
        "(Plotly's bundle held back until the page had settled); 'shift at arrival' is the layout shift "
        "after it was let through. Load: the machine's 1-minute load average at the time.",
        "",
        "| page | picture | cold ms | warm ms | CLS cold (frame + content) | CLS warm (frame + content) "
        "| placeholder = figure | shift at arrival | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [(name, entry) for name, entry in data.get("pages", {}).items()]
    rows += [(f"{name} (fresh server)", entry) for name, entry in data.get("fresh_server", {}).items()]
    for name, entry in rows:
        cold, warm, held = entry.get("cold", {}), entry.get("warm", {}), entry.get("placeholder", {})
        lines.append(
            f"| {name} | {cold.get('picture', '')} | {cold.get('first_picture_ms', '')} "
            f"| {warm.get('first_picture_ms', '')} | {_cls(cold)} | {_cls(warm)} | {held.get('verdict', '')} "
            f"| {held.get('cls_at_release', '')} | {cold.get('load_average', '')} |"
        )
    return "\n".join(lines) + "\n"


def _cls(visit: dict[str, Any]) -> str:
    if "cls" not in visit:
        return ""
    return f"{visit['cls']} ({visit['cls_frame']} + {visit['cls_content']})"


def _name(spec: PageSpec) -> str:
    return spec.url_path or "home"


@pytest.mark.parametrize("spec", PAGES, ids=_name)
def test_every_page_draws_its_first_picture_cold_and_warm(server: str, browser: Any, spec: PageSpec) -> None:
    """A new browser context (nothing cached), then a second visit in it (the bundles cached)."""
    page = new_page(browser)
    try:
        _install_recorder(page)
        cold = _measure(page, server, spec)
        warm = _measure(page, server, spec)
        assert_no_exception(page)
        assert_clean_console(page)
    finally:
        page.context.close()
    _record("pages", _name(spec), {"title": t(spec.title_key), "cold": cold, "warm": warm}, browser)
    for visit in (cold, warm):
        # The home page shows a picture (an image today, a preview figure later); every topic a chart.
        assert visit["picture"] in (("chart", "image") if spec.is_home else ("chart",)), visit


# The placeholder rule is one CSS rule for every chart: checked on the two pages with the most figures
# (every page was checked when it was written), to keep the suite's time.
PLACEHOLDER_PAGES = [spec for spec in PAGES if spec.url_path in ("forward", "backward")]


@pytest.mark.parametrize("spec", PLACEHOLDER_PAGES, ids=_name)
def test_a_charts_placeholder_has_the_figures_size(server: str, browser: Any, spec: PageSpec) -> None:
    """While Plotly's bundle loads, each chart's placeholder fills the box its figure then takes.

    The bundle is held back until everything else on the page is drawn, so that the placeholders are seen
    as a slow connection shows them; then it is let through and each figure must land on its placeholder.
    """
    page = new_page(browser)
    held: list[Any] = []
    try:
        _install_recorder(page)
        page.context.route(PLOTLY_BUNDLE, lambda route: held.append(route))
        page.goto(f"{server}/{spec.url_path}", wait_until="commit")
        page.wait_for_selector(f"{MAIN} h1", timeout=TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        page.wait_for_function("window.__onlyChartsWait()", timeout=TIMEOUT_MS)
        # Two frames: the recorder has seen the placeholders as they now stand.
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if held:
            page.screenshot(path=str(SCREENSHOTS / f"first-picture-placeholder-{_name(spec)}.png"))
        page.evaluate("() => { window.__firstPicture.released = performance.now(); }")
        for route in held:
            route.continue_()
        page.context.unroute(PLOTLY_BUNDLE)
        wait_for_idle(page, start_ms=0)
        page.wait_for_function("window.__firstPictureDrawn()", timeout=TIMEOUT_MS)
        result = _summary(page.evaluate("window.__firstPictureReport()"))
        assert_no_exception(page)
        assert_clean_console(page)
    finally:
        page.context.close()

    placeholders = result["placeholders"]
    wrong = [p for p in placeholders if "skeleton" not in p or not _same_box(p["skeleton"], p["figure"])]
    right = len(placeholders) - len(wrong)
    result["verdict"] = f"{right} of {len(placeholders)}" if placeholders else "no chart"
    _record("pages", _name(spec), {"placeholder": result}, browser)
    if not spec.is_home:
        assert placeholders, "the page drew no chart"
    assert all(p.get("styled") for p in placeholders if "skeleton" in p), "placeholder seen before the CSS"
    assert not wrong, f"placeholders that are not their figure's box: {wrong}"


def test_first_visit_on_a_fresh_server(fresh_server: str, browser: Any) -> None:
    """The forward page opened first on a just-started server: the first visitor's cost (imports, caches)."""
    spec = next(spec for spec in PAGES if spec.url_path == "forward")
    page = new_page(browser)
    try:
        _install_recorder(page)
        cold = _measure(page, fresh_server, spec)
        warm = _measure(page, fresh_server, spec)
        assert_no_exception(page)
        assert_clean_console(page)
    finally:
        page.context.close()
    _record("fresh_server", _name(spec), {"title": t(spec.title_key), "cold": cold, "warm": warm}, browser)
    assert cold["picture"] == warm["picture"] == "chart"
