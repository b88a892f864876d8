"""The fully connected page in a real browser: the classic example, a grid edit, the learning rate,
the backward view, and an empty layer said as a sentence."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    screenshot,
    set_number,
    wait_for_idle,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

DIAGRAM = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'
METRIC = f'{MAIN} [data-testid="stMetricValue"]'


def metric(page: Any, k: int) -> str:
    return page.locator(METRIC).nth(k).inner_text().strip()


def unit_texts(page: Any) -> list[list[str]]:
    """The numbers written in the diagram's circles, layer by layer."""
    script = (
        "(sel) => document.querySelector(sel).data.filter(d => d.mode === 'markers+text').map(d => d.text)"
    )
    return page.evaluate(script, DIAGRAM)


def test_classic_example_learning_rate_and_backward_view(server: str, page: Any) -> None:
    open_app(page, server, "dense")
    page.wait_for_selector(f"{DIAGRAM} .main-svg")
    assert_no_exception(page)
    assert metric(page, 0) == "0.298371109"
    assert unit_texts(page)[2] == ["0.751", "0.773"]

    before = metric(page, 1)
    set_number(page, MAIN, t("dense.lr"), 2.0)
    assert metric(page, 1) != before
    assert metric(page, 0) == "0.298371109"

    click_and_wait(page, page.locator(MAIN).get_by_text(t("dense.show.backward"), exact=True))
    assert unit_texts(page)[2] == ["0.138", "−0.0381"]
    page.locator(DIAGRAM).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "dense-backward")
    assert_no_exception(page)
    assert_clean_console(page)


def edit_first_cell(page: Any, text: str) -> None:
    """Type `text` into the first data cell of the first grid ([x | t]: x₁ of example 1)."""
    grid = page.locator(f'{MAIN} [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # Right of the narrow index column, below the header row.
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + 58)
    page.wait_for_timeout(150)
    page.keyboard.press("Enter")  # opens the cell's editor, an input over the canvas
    editor = page.locator("input.gdg-input")
    editor.fill(text, timeout=3000)
    editor.press("Enter")


def test_editing_a_grid_cell_changes_the_loss(server: str, page: Any) -> None:
    open_app(page, server, "dense")
    page.wait_for_selector(f"{DIAGRAM} .main-svg")
    changed = "(sel) => document.querySelector(sel).innerText.trim() !== '0.298371109'"
    for attempt in range(4):  # the canvas grid can miss a click or a key while it lays itself out
        try:
            edit_first_cell(page, "0.5")
            page.wait_for_function(changed, arg=METRIC, polling=100, timeout=5_000)
            break
        except PlaywrightTimeout:
            assert attempt < 3, "the grid edit never reached the app"
            page.keyboard.press("Escape")
    wait_for_idle(page)
    assert unit_texts(page)[0][0] == "0.5"
    assert_no_exception(page)


def test_an_empty_layer_is_said_as_a_sentence(server: str, page: Any) -> None:
    open_app(page, server, "dense")
    page.wait_for_selector(f"{DIAGRAM} .main-svg")
    set_number(page, MAIN, t("dense.units", l=1), 0)
    alert = page.locator(f'{MAIN} [data-testid="stAlert"]').first
    assert "no units" in alert.inner_text()
    assert metric(page, 0) == "0.298371109"  # the last network that worked stays
    assert_no_exception(page)
    set_number(page, MAIN, t("dense.units", l=1), 3)
    assert page.locator(f'{MAIN} [data-testid="stAlert"]').count() == 0
    assert len(unit_texts(page)[1]) == 3


def test_screenshot_of_the_top(server: str, page: Any) -> None:
    open_app(page, server, "dense")
    page.wait_for_selector(f"{DIAGRAM} .main-svg")
    screenshot(page, "dense")
    assert_no_exception(page)
    assert_clean_console(page)
