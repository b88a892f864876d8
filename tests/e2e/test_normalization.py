"""The normalization page in a real browser: batch norm, split and concatenation render, checks pass,
and a control changes the numbers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

CHART = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'


def first_map(page: Any) -> list:
    """The numbers of the first heatmap of the first figure (x of example 1, channel 1)."""
    return page.evaluate("(sel) => Array.from(document.querySelector(sel).data[0].text.flat())", CHART)


def test_renders_checks_and_a_seed_changes_the_numbers(server: str, page: Any) -> None:
    open_app(page, server, "normalization")
    page.wait_for_selector(f"{CHART} .main-svg")
    assert page.locator(CHART).count() == 5
    values = page.locator(f'{MAIN} [data-testid="stMetricValue"]')
    assert all(values.nth(k).inner_text().strip().endswith("✓") for k in range(values.count()))
    screenshot(page, "normalization")
    before = first_map(page)

    box = page.locator(MAIN).get_by_label(t("normalization.seed"), exact=True).first
    with run_follows(page):
        box.fill("7")
        box.press("Enter")
    assert first_map(page) != before
    assert_no_exception(page)
    assert_clean_console(page)


def test_split_and_concat_screenshot(server: str, page: Any) -> None:
    open_app(page, server, "normalization")
    page.wait_for_selector(f"{CHART} .main-svg")
    page.locator(CHART).nth(2).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "normalization-split")
    page.locator(CHART).nth(4).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "normalization-concat")
    assert_no_exception(page)
