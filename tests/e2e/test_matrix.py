"""The matrix page in a real browser: it loads by URL, Play steps the highlighted row, choosing another output
cell moves it, presentation mode opens on y = C·vec(x), no traceback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    SIDEBAR,
    TIMEOUT_MS,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    screenshot,
    set_number,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

CHART = f'{MAIN} [data-testid="stPlotlyChart"]'
PLOT = f"{CHART} .js-plotly-plot"
# The highlighted row of the first figure, in the matrix's rows: its band (second shape) against the
# matrix's first row (its heatmap, trace 1).
BAND_ROW = """(sel) => { const gd = document.querySelector(sel);
    return Math.round(gd.layout.shapes[1].y0 + 0.5 - gd.data[1].y0); }"""


def first_chart(page: Any) -> Any:
    figure = page.locator(CHART).first
    figure.scroll_into_view_if_needed()
    figure.locator(".main-svg").first.wait_for()
    return figure


def test_matrix_page_steps_and_follows_the_chosen_cell(server: str, page: Any) -> None:
    open_app(page, server, "matrix")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip().endswith(t("page.matrix"))
    figure = first_chart(page)
    assert page.locator(CHART).count() == 4
    assert page.evaluate(BAND_ROW, PLOT) == 0
    screenshot(page, "matrix")

    # Play steps the highlighted row in the browser.
    figure.locator(".updatemenu-button").filter(has_text=t("matrix.fig.fast")).click()
    page.wait_for_function(f"({BAND_ROW})('{PLOT}') === 3", timeout=TIMEOUT_MS)

    # Choosing output cell (1, 0) makes row 2 the one the figure opens on.
    set_number(page, MAIN, t("matrix.cell_row"), 1)
    first_chart(page)
    page.wait_for_function(f"({BAND_ROW})('{PLOT}') === 2", timeout=TIMEOUT_MS)
    assert_no_exception(page)
    assert_clean_console(page)


def test_presentation_mode_opens_on_the_product(server: str, page: Any) -> None:
    open_app(page, server, "matrix")
    click_and_wait(page, page.locator(SIDEBAR).get_by_text(t("sidebar.presentation")))
    first_chart(page)
    top = page.locator(CHART).first.bounding_box()
    assert top is not None and top["y"] + top["height"] <= page.viewport_size["height"]
    assert_no_exception(page)
    screenshot(page, "matrix-presentation")
