"""Presentation mode, the guided tour and the keyboard, on the forward page in a real browser."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    new_page,
    open_app,
    presentation_switch,
    root_font_px,
    run_follows,
    screenshot,
    toggle_presentation,
    window_path,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

ANIMATION = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'
SIDEBAR_BOX = '[data-testid="stSidebar"]'
# What has the keyboard focus: the element's tag, its Streamlit test id and its accessible name.
FOCUSED = """() => { const e = document.activeElement; const box = e.closest('[data-testid]');
    const name = e.getAttribute('aria-label') || e.innerText || '';
    return {tag: e.tagName, testid: box ? box.getAttribute('data-testid') : '', name: name.trim()}; }"""


def figure_font(page: Any) -> float:
    """layout.font.size of the step-by-step figure, as Plotly drew it."""
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    return float(page.evaluate("(sel) => document.querySelector(sel)._fullLayout.font.size", ANIMATION))


def sidebar_collapsed(page: Any) -> bool:
    return page.locator(SIDEBAR_BOX).get_attribute("data-collapsed") == "true"


def tour_button(page: Any, key: str) -> Any:
    return page.locator(MAIN).get_by_role("button", name=labelled(t(key)))


def labelled(label: str) -> re.Pattern:
    """A button's accessible name that starts with `label`: a step button's name ends with its clicker
    key ("Next ▶ PageDown")."""
    return re.compile("^" + re.escape(label))


def test_a_presentation_link_shows_large_type_with_the_sidebar_collapsed(server: str, browser: Any) -> None:
    normal = new_page(browser)
    open_app(normal, server, "forward")
    normal_root, normal_figure = root_font_px(normal), figure_font(normal)
    assert not sidebar_collapsed(normal)
    screenshot(normal, "forward-normal")

    lecture = new_page(browser)
    open_app(lecture, server, "forward?presentation=1")
    assert root_font_px(lecture) > 1.2 * normal_root
    assert figure_font(lecture) > normal_figure
    assert sidebar_collapsed(lecture)
    # Secondary panels are gone; the figure, the step buttons and the step's formula stay.
    assert lecture.locator(MAIN).get_by_text(t("export.title")).count() == 0
    assert lecture.locator(MAIN).get_by_text(t("forward.source")).count() == 0
    assert lecture.locator(MAIN).get_by_role("button", name=labelled(t("forward.next"))).count() == 1
    assert lecture.locator(f"{MAIN} .katex").filter(has_text="Z(").count() > 0
    assert_no_exception(lecture)
    screenshot(lecture, "forward-presentation")

    # The sidebar opens on demand, with presentation mode on.
    lecture.get_by_test_id("stExpandSidebarButton").click()
    presentation_switch(lecture).wait_for(state="visible")
    assert presentation_switch(lecture).is_checked()
    for page in (normal, lecture):
        assert_clean_console(page)
        page.context.close()


def test_switching_presentation_on_enlarges_the_figure_and_keeps_the_sidebar(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    root, font = root_font_px(page), figure_font(page)

    toggle_presentation(page)
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert root_font_px(page) > 1.2 * root
    assert figure_font(page) > font
    assert not sidebar_collapsed(page)  # the switch just clicked stays in reach
    assert dict(parse_qsl(urlparse(page.url).query)) == {"presentation": "1"}
    assert_no_exception(page)
    assert_clean_console(page)


def test_the_tour_walks_the_window_through_one_computation(server: str, page: Any) -> None:
    open_app(page, server, "forward?presentation=1")
    click_and_wait(page, tour_button(page, "tour.start"))
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert page.locator(MAIN).get_by_text(t("tour.progress", k=1, n=7)).count() == 1
    first = window_path(page, ANIMATION)
    callout = page.locator(f'{MAIN} [data-testid="stAlert"]').first
    assert t("forward.fig.input") in callout.inner_text()

    click_and_wait(page, tour_button(page, "tour.next"))
    click_and_wait(page, tour_button(page, "tour.next"))
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert page.locator(MAIN).get_by_text(t("tour.progress", k=3, n=7)).count() == 1
    assert window_path(page, ANIMATION) != first  # the window moved where the text says
    assert t("forward.fig.window") in page.locator(f'{MAIN} [data-testid="stAlert"]').first.inner_text()
    assert dict(parse_qsl(urlparse(page.url).query))["tour"] == "3"
    assert_no_exception(page)
    page.locator(MAIN).get_by_text(t("tour.progress", k=3, n=7)).scroll_into_view_if_needed()
    screenshot(page, "forward-tour")
    assert_clean_console(page)


def _tab_until(page: Any, name: str, presses: int = 90) -> list[dict]:
    """Press Tab until the element named `name` has the focus; return every element focused on the way."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if (seen[-1]["name"] or "").startswith(name):
            return seen
    pytest.fail(f"Tab never reached {name!r}: {seen}")


@pytest.mark.parametrize("query", ["", "?presentation=1"], ids=["normal", "presentation"])
def test_the_keyboard_reaches_the_steps_and_the_figure(server: str, page: Any, query: str) -> None:
    open_app(page, server, f"forward{query}")
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    seen = _tab_until(page, t("forward.next"))
    names = [element["name"] for element in seen]
    assert any((name or "").startswith(t("forward.prev")) for name in names)
    assert any(element["testid"] == "stNumberInputField" for element in seen[-4:])  # the step number
    if query:  # a collapsed sidebar leaves the tab order: the page comes right after the skip link
        assert not any(element["name"] == t("sidebar.language") for element in seen)

    step_box = page.locator(MAIN).get_by_label(t("forward.step"), exact=False)
    before = int(step_box.input_value())
    with run_follows(page):
        page.keyboard.press("Enter")
    assert int(step_box.input_value()) == before + 1

    # Onward, the figure's own controls (its mode bar: PNG download, zoom) take the focus.
    after = _tab_until(page, "Download plot as a PNG", presses=10)
    assert after[-1]["testid"] == "stPlotlyChart"
    assert_no_exception(page)


def test_a_clicker_steps_the_animation_and_the_tour(server: str, page: Any) -> None:
    """PageDown / PageUp (what a presenter's clicker sends) and the arrow keys step the animation, and the
    tour once open."""
    open_app(page, server, "forward?presentation=1")
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert page.get_by_text(t("clicker.hint")).count() == 1
    step_box = page.locator(MAIN).get_by_label(t("forward.step"), exact=False)
    before = int(step_box.input_value())
    page.locator(f"{MAIN} h1").first.click()  # the keys reach the page, not a field
    steps = [("PageDown", 1), ("PageDown", 2), ("PageUp", 1), ("ArrowRight", 2), ("ArrowLeft", 1)]
    for key, expected in steps:
        with run_follows(page):
            page.keyboard.press(key)
        assert int(step_box.input_value()) == before + expected, key

    click_and_wait(page, page.get_by_role("button", name=t("tour.start")))
    progress = page.locator(MAIN).get_by_text(t("tour.progress", k=1, n=7))
    assert progress.count() == 1
    with run_follows(page):
        page.keyboard.press("PageDown")
    assert page.locator(MAIN).get_by_text(t("tour.progress", k=2, n=7)).count() == 1
    assert_no_exception(page)


# How far the page is scrolled down (Streamlit scrolls its main view, not the window).
_SCROLLED = """() => Math.max(window.scrollY, ...[...document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stAppViewContainer"]')].map(e => e.scrollTop))"""
# The frame the slider of the page's animated figure shows.
_SHOWN_FRAME = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .find(gd => gd._transitionData && gd._transitionData._frames.length > 0)._fullLayout.sliders[0].active"""


def test_a_clicker_steps_an_animation_without_step_buttons(server: str, page: Any) -> None:
    """Pooling's animation plays in the browser: in presentation mode the clicker's keys and the arrows
    step its figure (assets/clicker.js) and Space plays and pauses it."""
    open_app(page, server, "pooling?presentation=1")
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert page.get_by_text(t("clicker.hint_play")).count() == 1
    page.locator(f"{MAIN} h1").first.click()
    steps = [("PageDown", 1), ("ArrowRight", 2), ("PageUp", 1), ("ArrowLeft", 0), ("ArrowLeft", 0)]
    for key, expected in steps:
        page.keyboard.press(key)
        page.wait_for_function(f"() => ({_SHOWN_FRAME})() === {expected}", timeout=5_000)
    page.keyboard.press(" ")  # plays: the slider moves on by itself
    page.wait_for_function(f"() => ({_SHOWN_FRAME})() >= 2", timeout=10_000)
    page.keyboard.press(" ")  # pauses: it stays where it is
    page.wait_for_function(
        """() => { const gd = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
            .find(g => g._transitionData && g._transitionData._frames.length > 0);
            return !gd._transitionData._animationRaf; }""",
        timeout=5_000,
    )
    paused = page.evaluate(_SHOWN_FRAME)
    page.wait_for_timeout(1_000)  # a playing animation would move within this (a frame every ≤ 800 ms)
    assert page.evaluate(_SHOWN_FRAME) == paused
    assert page.evaluate(_SCROLLED) == 0  # the keys stepped the figure, not the page
    assert_no_exception(page)


def test_the_arrow_keys_stay_with_the_controls_that_use_them(server: str, page: Any) -> None:
    """Outside presentation mode the pooling page's keys scroll as usual; in a slider they move it."""
    open_app(page, server, "pooling")
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    page.locator(f"{MAIN} h1").first.click()
    page.keyboard.press("PageDown")
    page.wait_for_function(f"() => ({_SCROLLED})() > 0", timeout=5_000)
    assert page.evaluate(_SHOWN_FRAME) == 0
    slider = page.locator(MAIN).get_by_role("slider").first
    before = slider.input_value()
    slider.focus()
    with run_follows(page):
        page.keyboard.press("ArrowRight")
    assert slider.input_value() != before
    assert page.evaluate(_SHOWN_FRAME) == 0
    assert_no_exception(page)
