"""The chain-rule page in a real browser: the graph renders, Next walks the backward pass, a preset
loads, and a refused expression is said as a sentence."""

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

GRAPH = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'


def gradient_count(page: Any) -> int:
    """How many gradients the graph shows (bold numbers: on nodes and on edges)."""
    script = (
        "(sel) => document.querySelector(sel).layout.annotations"
        ".filter(a => (a.text || '').startsWith('<b>')).length"
    )
    return page.evaluate(script, GRAPH)


def next_step(page: Any) -> None:
    click_and_wait(page, page.locator(MAIN).get_by_role("button", name=t("chain_rule.next")))


def test_next_walks_the_backward_pass(server: str, page: Any) -> None:
    open_app(page, server, "chain_rule")
    page.wait_for_selector(f"{GRAPH} .main-svg")
    assert_no_exception(page)
    assert gradient_count(page) == 0
    next_step(page)
    first = gradient_count(page)
    assert first > 0
    next_step(page)
    assert gradient_count(page) > first
    assert page.locator(f'{MAIN} [data-testid="stDataFrame"]').count() == 1  # the final check table
    assert_clean_console(page)


def test_neuron_preset_mid_backward_screenshot(server: str, page: Any) -> None:
    open_app(page, server, "chain_rule")
    page.wait_for_selector(f"{GRAPH} .main-svg")
    page.locator(MAIN).get_by_label(t("chain_rule.preset"), exact=True).click()
    click_and_wait(page, page.get_by_role("option", name=t("chain_rule.preset.neuron"), exact=True))
    for _ in range(4):
        next_step(page)
    assert gradient_count(page) > 0
    page.locator(GRAPH).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot(page, "chain_rule")
    assert_no_exception(page)
    assert_clean_console(page)


def test_a_refused_expression_is_a_sentence(server: str, page: Any) -> None:
    open_app(page, server, "chain_rule")
    page.wait_for_selector(f"{GRAPH} .main-svg")
    box = page.locator(MAIN).get_by_label(t("chain_rule.expression"), exact=True)
    with run_follows(page):
        box.fill("__import__('os').system('ls')")
        box.press("Enter")
    alert = page.locator(f'{MAIN} [data-testid="stAlert"]').first
    assert "can be called" in alert.inner_text()
    assert page.locator(f"{GRAPH} .main-svg").count() > 0  # the last graph that worked stays
    screenshot(page, "chain_rule-refused")
    assert_no_exception(page)

    with run_follows(page):
        box.fill("sigmoid(a * b) + a")
        box.press("Enter")
    assert "can be called" not in page.locator(MAIN).inner_text()
    assert page.locator(MAIN).get_by_label("a", exact=True).count() == 1
    assert_no_exception(page)
