"""Presentation mode on a projector: the animation opens the page, its numbers readable from the back row.

Each page with an animation is opened by a lecturer's link (`?presentation=1`) at 1280×720 and 1920×1080,
in both languages. The animated figure lies whole on the first screen, with its Play button and the step
buttons (and, at 1080p, the step's arithmetic below them); every number printed in its grids (Plotly's
heatmap texts) is at least 18 px, lies inside its panel and the figure, and touches no other number, on
the first frame and on the last. A screenshot of each first screen goes to screenshots/projector-*.png.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    new_page,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import STRINGS
from viz.numbers import MIN_PROJECTED_PX

pytestmark = pytest.mark.e2e

SCREENS = {"1280": {"width": 1280, "height": 720}, "1920": {"width": 1920, "height": 1080}}
LANGUAGES = {"en": "en-US", "zh": "zh-CN"}
# Each page with an animation: the string keys of its step buttons, and whether the step's arithmetic is
# a formula below the figure. Pooling's and the transposed convolution's animations play in the browser
# (the clicker steps their figure through assets/clicker.js) and write their arithmetic inside it.
PAGES = {
    "forward": (("forward.prev", "forward.next"), True),
    "backward": (("forward.prev", "forward.next"), True),
    "pooling": ((), False),
    "transposed": ((), False),
}
# Numbers may come this close to a panel's edge (a text box includes its font's ascent and descent).
EDGE_PX = 1.0

# The animated figure: the first chart of the page with frames.
_FIGURE = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .findIndex(gd => gd._transitionData && gd._transitionData._frames.length > 0)"""

# Boxes (viewport pixels) of the figure, its Play button, and every number printed in a heatmap, each
# with the box of the panel (subplot) it is drawn in and its computed font size.
_MEASURE = """(index) => {
    const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[index];
    const box = e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const figure = box(gd);
    const panel = id => {
        const [, x, y] = id.match(/^x(\\d*)y(\\d*)$/);
        const xa = gd._fullLayout['xaxis' + x], ya = gd._fullLayout['yaxis' + y];
        return {left: figure.left + xa._offset, right: figure.left + xa._offset + xa._length,
                top: figure.top + ya._offset, bottom: figure.top + ya._offset + ya._length};
    };
    const numbers = [...gd.querySelectorAll('g.hm g.heatmap-label text')].map(e => {
        const subplot = [...e.closest('g.subplot').classList].find(c => c !== 'subplot');
        return {text: e.textContent, size: parseFloat(getComputedStyle(e).fontSize),
                box: box(e), panel: panel(subplot), subplot};
    });
    const play = [...gd.querySelectorAll('.updatemenu-button')].map(box);
    const words = [...gd.querySelectorAll('.annotation-text, g.textpoint text')].map(e =>
        ({text: e.textContent, box: box(e)}));
    return {figure, play, numbers, words, frames: gd._transitionData._frames.map(f => f.name)};
}"""

_GO_TO_FRAME = """([index, name]) => {
    const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[index];
    return window.Plotly.animate(gd, [name], {frame: {duration: 0, redraw: true}, transition: {duration: 0},
                                              mode: 'immediate'});
}"""

# The step's arithmetic: the first formula block below the figure (its Markdown element, whole).
_ARITHMETIC = """(bottom) => {
    const formula = [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
        .find(e => e.getBoundingClientRect().top >= bottom);
    if (!formula) return null;
    const r = formula.closest('[data-testid="stMarkdownContainer"]').getBoundingClientRect();
    return {top: r.top, bottom: r.bottom};
}"""


def words(language: str, key: str) -> str:
    return STRINGS[key][language]


def edges(box: dict) -> dict:
    """A Playwright bounding box (x, y, width, height) as edges."""
    return {
        "left": box["x"],
        "top": box["y"],
        "right": box["x"] + box["width"],
        "bottom": box["y"] + box["height"],
    }


def inside(box: dict, frame: dict, slack: float = 0.0) -> bool:
    return (
        box["left"] >= frame["left"] - slack
        and box["right"] <= frame["right"] + slack
        and box["top"] >= frame["top"] - slack
        and box["bottom"] <= frame["bottom"] + slack
    )


def overlapping(numbers: list[dict]) -> list[tuple[str, str]]:
    """Pairs of numbers whose text boxes overlap (sorted by left edge: a sweep, not all pairs)."""
    found, ordered = [], sorted(numbers, key=lambda n: n["box"]["left"])
    for k, a in enumerate(ordered):
        for b in ordered[k + 1 :]:
            if b["box"]["left"] >= a["box"]["right"]:
                break
            if b["box"]["top"] < a["box"]["bottom"] and a["box"]["top"] < b["box"]["bottom"]:
                found.append((a["text"], b["text"]))
    return found


def check_numbers(measured: dict, where: str) -> None:
    """Every number of the grids: large enough, inside its panel and the figure, clear of the others."""
    numbers = measured["numbers"]
    assert numbers, f"{where}: no numbers in the grids"
    small = sorted({(n["subplot"], n["size"]) for n in numbers if n["size"] < MIN_PROJECTED_PX})
    assert not small, f"{where}: numbers under {MIN_PROJECTED_PX} px: {small}"
    cut = [(n["subplot"], n["text"]) for n in numbers if not inside(n["box"], n["panel"], EDGE_PX)]
    assert not cut, f"{where}: numbers outside their panel: {cut[:5]}"
    out = [n["text"] for n in numbers if not inside(n["box"], measured["figure"])]
    assert not out, f"{where}: numbers outside the figure: {out[:5]}"
    assert not overlapping(numbers), f"{where}: numbers touching: {overlapping(numbers)[:5]}"
    cut_words = [w["text"] for w in measured["words"] if not inside(w["box"], measured["figure"])]
    assert not cut_words, f"{where}: words cut at the figure's edge: {cut_words}"
    crowded = overlapping(measured["words"])  # the panels' titles and the step's lines
    assert not crowded, f"{where}: titles running into each other: {crowded}"


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("page_id", list(PAGES))
def test_presentation_opens_on_a_readable_animation(
    server: str, browser: Any, page_id: str, screen: str, language: str
) -> None:
    viewport = SCREENS[screen]
    page = new_page(browser, locale=LANGUAGES[language])
    page.set_viewport_size(viewport)
    open_app(page, server, f"{page_id}?presentation=1&language={language}")
    page.wait_for_selector(f"{MAIN} .js-plotly-plot .main-svg")
    index = page.evaluate(_FIGURE)
    assert index >= 0, "no animated figure on the page"
    measured = page.evaluate(_MEASURE, index)
    where = f"{page_id} {screen} {language}"
    screenshot(page, f"projector-{page_id}-{screen}-{language}")

    # The first screen: the figure whole, its Play button, the step buttons.
    first_screen = {"left": 0, "top": 0, "right": viewport["width"], "bottom": viewport["height"]}
    assert inside(measured["figure"], first_screen), f"{where}: figure at {measured['figure']}"
    assert measured["play"] and all(inside(button, first_screen) for button in measured["play"])
    buttons, arithmetic_below = PAGES[page_id]
    for key in buttons:
        button = page.locator(MAIN).get_by_role("button", name=words(language, key)).first
        assert inside(edges(button.bounding_box()), first_screen), f"{where}: {key} off the first screen"
    if screen == "1920" and arithmetic_below:
        arithmetic = page.evaluate(_ARITHMETIC, measured["figure"]["bottom"])
        assert arithmetic and arithmetic["bottom"] <= viewport["height"], (
            f"{where}: arithmetic at {arithmetic}"
        )

    check_numbers(measured, f"{where}, first frame")
    page.evaluate(_GO_TO_FRAME, [index, measured["frames"][-1]])
    page.wait_for_timeout(300)
    check_numbers(page.evaluate(_MEASURE, index), f"{where}, last frame")
    assert_no_exception(page)
    assert_clean_console(page)
    page.context.close()


# The chain rule's graph (the page's first chart): its box, and each text it draws (node names, values,
# gradients, the numbers on the edges) with its box and computed font size.
_GRAPH = """() => {
    const gd = document.querySelector('[data-testid="stMain"] .js-plotly-plot');
    const box = e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const texts = [...gd.querySelectorAll('.annotation-text, g.textpoint text')]
        .filter(e => e.textContent.trim() !== '')  // an empty annotation: an arrow without a number
        .map(e => ({text: e.textContent, size: parseFloat(getComputedStyle(e).fontSize), box: box(e)}));
    return {figure: box(gd), texts};
}"""


def check_graph(
    page: Any, viewport: dict, language: str, where: str, steps: int | None = 3, arithmetic: bool = True
) -> None:
    """The graph, its step buttons and (at 1080p, after the first step, if `arithmetic`) the step's
    arithmetic on the first screen; every number and name in the graph ≥ 18 px, inside it and clear of
    the others, at each of the first `steps` steps (the forward pass and the backward steps after it;
    None: every step)."""
    first_screen = {"left": 0, "top": 0, "right": viewport["width"], "bottom": viewport["height"]}
    for step in range(steps or 10_000):
        if step and steps is None and step_button(page, language, "chain_rule.next").is_disabled():
            break
        if step:
            with run_follows(page):
                step_button(page, language, "chain_rule.next").click()
        measured = page.evaluate(_GRAPH)
        assert inside(measured["figure"], first_screen), f"{where}: graph at {measured['figure']}"
        for key in ("chain_rule.back", "chain_rule.next"):
            box = edges(step_button(page, language, key).bounding_box())
            assert inside(box, first_screen), f"{where}: {key} off the first screen"
        texts = measured["texts"]
        small = sorted({(n["text"], n["size"]) for n in texts if n["size"] < MIN_PROJECTED_PX})
        assert not small, f"{where}, step {step}: texts under {MIN_PROJECTED_PX} px: {small}"
        cut = [n["text"] for n in texts if not inside(n["box"], measured["figure"])]
        assert not cut, f"{where}, step {step}: cut at the figure's edge: {cut}"
        assert not overlapping(texts), f"{where}, step {step}: touching: {overlapping(texts)}"
        if viewport["height"] >= 1080 and step and arithmetic:
            arithmetic = page.evaluate(_ARITHMETIC, measured["figure"]["bottom"])
            assert arithmetic and arithmetic["bottom"] <= viewport["height"], f"{where}: {arithmetic}"


def step_button(page: Any, language: str, key: str) -> Any:
    """A step button of the chain rule (its accessible name ends with its clicker key)."""
    name = re.compile("^" + re.escape(words(language, key)))
    return page.locator(MAIN).get_by_role("button", name=name).first


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_presentation_opens_the_chain_rule_on_its_graph(
    server: str, browser: Any, screen: str, language: str
) -> None:
    viewport = SCREENS[screen]
    page = new_page(browser, locale=LANGUAGES[language])
    page.set_viewport_size(viewport)
    open_app(page, server, f"chain_rule?presentation=1&language={language}")
    page.wait_for_selector(f"{MAIN} .js-plotly-plot .main-svg")
    screenshot(page, f"projector-chain_rule-{screen}-{language}")
    check_graph(page, viewport, language, f"chain_rule {screen} {language}")
    # The larger examples (a max gate; a neuron with five inputs): taller graphs, kept readable, fit 1080p.
    if screen == "1920" and language == "en":
        for preset in ("max_gate", "neuron"):
            box = page.locator(MAIN).get_by_role("combobox", name=words(language, "chain_rule.preset"))
            box.click()
            box.press("ArrowDown")  # opens the list of options
            with run_follows(page):
                page.get_by_role("option", name=words(language, f"chain_rule.preset.{preset}")).click()
            # Back to the top, as a lecturer would (the list of examples scrolled the page to the controls).
            page.evaluate("""() => { window.scrollTo(0, 0);
                document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')
                    .forEach(e => e.scrollTo(0, 0)); }""")
            check_graph(page, viewport, language, f"chain_rule {preset}", steps=None, arithmetic=False)
            screenshot(page, f"projector-chain_rule-{preset}-{screen}-{language}")
    assert_no_exception(page)
    assert_clean_console(page)
    page.context.close()
