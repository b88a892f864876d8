"""The backward page in a real browser: it opens with the forward page's image, the loss choice changes the
heatmaps, a click on a cell moves the one-hot loss, Play advances, the view picker shows one closer view at a
time, and learning lowers the loss."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    SIDEBAR,
    SIDEBAR_LINKS,
    TIMEOUT_MS,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    run_follows,
    screenshot,
    wait_for_idle,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

CHART = '[class*="st-key-backward-chart-{name}"] .js-plotly-plot'
# Plotly's Pause interrupts a running animation and rejects its promise, which Chromium reports as an
# uncaught "undefined" (the pageerror form of TESTING.md's harmless "Plotly.animate rejected"). A figure
# replaced by a rerun while it animates does the same.
PAUSE_REJECTION = "pageerror: undefined"
# A fingerprint of a figure's data: changes when any trace's values change.
FINGERPRINT = (
    "gd => JSON.stringify(gd.data.map(trace => trace.z || trace.source || trace.customdata || null))"
)


def chart(page: Any, name: str) -> Any:
    return page.locator(CHART.format(name=name)).first


def sidebar_choice(page: Any, label: str) -> Any:
    """The sidebar's selectbox labelled `label` (a combobox whose input holds the chosen option)."""
    return page.locator(SIDEBAR).get_by_role("combobox", name=label, exact=True)


def choose_in_sidebar(page: Any, label: str, option: str) -> None:
    """Pick `option` in the sidebar's selectbox labelled `label`."""
    box = sidebar_choice(page, label)
    box.click()
    box.press("ArrowDown")  # opens the list of options
    with run_follows(page):
        page.get_by_role("option", name=option, exact=True).click()


def cell_position(page: Any, name: str, row: int, col: int) -> tuple[float, float]:
    """Page coordinates of output cell (row, col) on the first panel of a chart."""
    box = chart(page, name).bounding_box()
    x, y = chart(page, name).evaluate(
        "(gd, rc) => { const l = gd._fullLayout; return [l.xaxis._offset + l.xaxis.l2p(rc[1]),"
        " l.yaxis._offset + l.yaxis.l2p(rc[0])]; }",
        [row, col],
    )
    return box["x"] + x, box["y"] + y


def view_button(page: Any, view: str) -> Any:
    """The view picker's button for one of the closer views."""
    return page.locator(MAIN).get_by_role("radio", name=t(f"backward.view.{view}"), exact=True)


def test_backward_page_follows_the_forward_page_and_responds(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    choose_in_sidebar(page, t("conv.sample"), t("sample.checkerboard"))
    link = page.locator(SIDEBAR_LINKS).filter(has_text=t("page.backward")).first
    click_and_wait(page, link)
    page.wait_for_selector(f"{MAIN} h1:has-text('{t('page.backward')}')")
    wait_for_idle(page, timeout_ms=60_000)
    assert sidebar_choice(page, t("conv.sample")).input_value() == t("sample.checkerboard")
    page.wait_for_selector(f"{CHART.format(name='delta')} .main-svg")
    assert_no_exception(page)

    # Switching the loss changes δ.
    before = chart(page, "delta").evaluate(FINGERPRINT)
    click_and_wait(page, page.get_by_text(t("backward.loss.sum"), exact=True))
    after = chart(page, "delta").evaluate(FINGERPRINT)
    assert before != after

    # A click on a cell of the maps moves the one-hot loss there.
    click_and_wait(page, page.get_by_text(t("backward.loss.impulse"), exact=True))
    chart(page, "delta").scroll_into_view_if_needed()
    row = page.get_by_label(re.compile("One-hot cell: row"))
    col = page.get_by_label(re.compile("One-hot cell: column"))
    # On a loaded machine the first click can land before Plotly has registered the hover it needs,
    # so the click is repeated (at most three times) until the rerun it starts shows the cell.
    for _ in range(3):
        x, y = cell_position(page, "delta", 5, 7)
        page.mouse.move(x, y)
        page.wait_for_timeout(500)
        page.mouse.click(x, y)
        for _ in range(40):
            wait_for_idle(page, timeout_ms=60_000)
            if (row.input_value(), col.input_value()) == ("5", "7"):
                break
            page.wait_for_timeout(250)
        if (row.input_value(), col.input_value()) == ("5", "7"):
            break
    assert (row.input_value(), col.input_value()) == ("5", "7")
    assert_no_exception(page)
    screenshot(page, "backward")
    assert_clean_console(page, PAUSE_REJECTION)


def test_play_advances_and_learning_lowers_the_loss(server: str, page: Any) -> None:
    open_app(page, server, "backward")
    animation = chart(page, "anim")
    animation.scroll_into_view_if_needed()
    page.wait_for_selector(f"{CHART.format(name='anim')} .main-svg")
    page.wait_for_timeout(500)
    screenshot(page, "backward-animation")
    start = animation.evaluate("gd => gd.layout.sliders[0].active")
    animation.locator(".updatemenu-button").filter(has_text=t("forward.fig.fast")).first.click()
    advanced = f"(start) => document.querySelector('{CHART.format(name='anim')}')"
    advanced += ".layout.sliders[0].active > start"
    page.wait_for_function(advanced, arg=start, timeout=TIMEOUT_MS)
    animation.locator(".updatemenu-button").filter(has_text=t("forward.fig.pause")).first.click()

    # The closer views, one at a time: each shows its own figure in place of the animation.
    for view, figure in (("sweep", "sweep"), ("gather", "gather")):
        click_and_wait(page, view_button(page, view))
        page.wait_for_selector(f"{CHART.format(name=figure)} .main-svg", timeout=60_000)
        assert page.locator(CHART.format(name="anim")).count() == 0
        chart(page, figure).scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        screenshot(page, f"backward-{view}")
    assert page.locator(MAIN).get_by_text(re.compile("both forms", re.IGNORECASE)).count() >= 1

    click_and_wait(page, view_button(page, "learn"))
    run = page.get_by_role("button", name=t("backward.run_steps", n=50))
    run.scroll_into_view_if_needed()
    click_and_wait(page, run)
    wait_for_idle(page, timeout_ms=60_000)
    summary = page.locator(MAIN).get_by_text(re.compile("After 50 steps")).inner_text()
    first, last = re.search(r"from (\S+) to (\S+);", summary).groups()
    assert float(last.replace("−", "-")) < float(first.replace("−", "-")) / 10
    page.wait_for_selector(f"{CHART.format(name='learn')} .main-svg")
    chart(page, "learn").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "backward-learn")
    assert_no_exception(page)
    assert_clean_console(page, PAUSE_REJECTION)
