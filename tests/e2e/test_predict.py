"""Predict, then reveal in a real browser: the switch in the sidebar, a typed prediction checked on the
forward page, a clicked cell checked on the pooling page."""

from __future__ import annotations

from typing import Any

import pytest

from engine.geometry import conv_output_size
from engine.samples import load_sample
from tests.e2e.helpers import (
    MAIN,
    SIDEBAR,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

ALERT = f'{MAIN} [data-testid="stAlert"]'
# Page coordinates of input cell (r, c) of the pooling question's figure (the chart keyed predict.pick.*).
_CELL = """([r, c]) => {
    const gd = document.querySelector('[class*="st-key-predict-pick"] .js-plotly-plot');
    const box = gd.getBoundingClientRect(), l = gd._fullLayout;
    return [box.left + l.xaxis._offset + l.xaxis.l2p(c), box.top + l.yaxis._offset + l.yaxis.l2p(r)];
}"""


def predictions_on(page: Any) -> None:
    click_and_wait(page, page.locator(SIDEBAR).get_by_text(t("predict.toggle"), exact=True))


def test_the_forward_page_checks_a_typed_prediction(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    predictions_on(page)
    # The engine's answer for the page's first setup: the house at 32 pixels, a 3 × 3 kernel, padding 1.
    _, H, W = load_sample("house", size=32).shape
    fields = page.locator(MAIN).get_by_placeholder(t("predict.placeholder"))
    for field, value in zip((fields.nth(0), fields.nth(1)), (H, W)):
        with run_follows(page):
            field.fill(str(conv_output_size(value, 3, 1, 1, 1)))
            field.press("Enter")
    click_and_wait(page, page.locator(MAIN).get_by_role("button", name=t("predict.check")).first)
    verdict = page.locator(ALERT).filter(has_text=t("predict.right", answer="").strip())
    assert verdict.count() == 1
    assert page.get_by_text(t("predict.score", right=1, checked=1)).count() == 1
    # The next step's value is asked under the step's arithmetic.
    assert page.locator(MAIN).get_by_placeholder(t("predict.placeholder")).count() == 1
    screenshot(page, "predict-forward")
    assert_no_exception(page)
    assert_clean_console(page)


def test_the_pooling_page_checks_a_clicked_cell(server: str, page: Any) -> None:
    open_app(page, server, "pooling")
    predictions_on(page)
    figure = page.locator('[class*="st-key-predict-pick"] .js-plotly-plot')
    figure.wait_for()
    figure.scroll_into_view_if_needed()
    screenshot(page, "predict-pooling")
    x, y = page.evaluate(_CELL, [1, 0])  # window (0, 0) of the example: 1, −3 / 2, 0: the 2 wins
    page.mouse.move(x, y)  # onto the cell first, as a hand does (Plotly picks the point under the mouse)
    with run_follows(page):
        page.mouse.click(x, y)
    page.locator(ALERT).filter(has_text=t("predict.right", answer="").strip()).wait_for()
    assert page.get_by_text(t("predict.score", right=1, checked=1)).count() == 1
    assert_no_exception(page)
