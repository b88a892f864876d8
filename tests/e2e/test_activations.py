"""The activations page in a real browser: it loads by URL, and the activation and the cell change it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

CHART = f'{MAIN} [data-testid="stPlotlyChart"]'
INFO = f'{MAIN} [data-testid="stAlert"]'


def drawn(page: Any, index: int) -> None:
    """Wait until the index-th figure is scrolled into view and drawn."""
    figure = page.locator(CHART).nth(index)
    figure.scroll_into_view_if_needed()
    figure.locator(".main-svg").first.wait_for()


def slope_sum(page: Any) -> float:
    """The sum of the σ'(Z) map as the browser holds it (the maps figure's fifth trace)."""
    # Each row is a typed array: spread it into a plain one before summing.
    script = "(sel) => Array.from(document.querySelectorAll(sel)[1]._fullData[4].z)"
    script += ".flatMap(row => Array.from(row)).reduce((a, b) => a + b, 0)"
    return float(page.evaluate(script, f"{CHART} .js-plotly-plot"))


def test_activations_page_loads_and_reacts(server: str, page: Any) -> None:
    open_app(page, server, "activations")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip().endswith(t("page.activations"))
    drawn(page, 0)
    drawn(page, 1)
    assert_no_exception(page)
    dead = page.locator(INFO).first.inner_text()
    assert "Dead ReLU cells" in dead
    relu_slope = slope_sum(page)
    screenshot(page, "activations")

    # Sigmoid: the slope map and the sentence under it change.
    kinds = page.locator(MAIN).get_by_role("radiogroup", name=t("activations.kind"))
    click_and_wait(page, kinds.get_by_text(t("activations.kind.sigmoid"), exact=True))
    drawn(page, 1)
    assert page.locator(INFO).first.inner_text() != dead
    assert slope_sum(page) != relu_slope
    assert_no_exception(page)

    # Another cell: its numbers are substituted.
    row = page.locator(MAIN).get_by_label(t("activations.cell_row"), exact=True)
    with run_follows(page):
        row.fill("3")
        row.press("Enter")
    assert page.locator(MAIN).get_by_text(t("activations.this_cell", r=3, c=24)).count() == 1
    assert_no_exception(page)
    assert_clean_console(page)
    drawn(page, 0)
    screenshot(page, "activations-sigmoid")
