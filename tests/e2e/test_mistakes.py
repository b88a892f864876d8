"""Planted mistakes in a real browser: on the backward page a student opens the gradient check, plants a
mistake, runs the check and sees it fail with the mistake's sentence and the map of where it shows; on the
pooling page the overlapping-windows mistake draws its difference map."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import (
    MAIN,
    TIMEOUT_MS,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    run_follows,
    screenshot,
)
from tests.e2e.test_pooling import press_slider
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

FIGURE = '[class*="st-key-{key}"] .js-plotly-plot .main-svg'


def choose(page: Any, label: str, option: str) -> None:
    """Pick `option` in the main area's selectbox labelled `label`."""
    box = page.locator(MAIN).get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press("ArrowDown")  # opens the list of options
    with run_follows(page):
        page.get_by_role("option", name=option, exact=True).click()


def test_a_planted_mistake_fails_the_check_with_its_sentence(server: str, page: Any) -> None:
    open_app(page, server, "backward")
    main = page.locator(MAIN)
    click_and_wait(page, main.get_by_role("radio", name=t("backward.view.check"), exact=True))
    choose(page, t("mistake.control"), t("mistake.no_rotation.name"))
    click_and_wait(page, main.get_by_role("button", name=t("backward.check_run"), exact=True))
    page.wait_for_selector(FIGURE.format(key="backward-chart-mistake"), timeout=TIMEOUT_MS)
    assert_no_exception(page)
    alerts = main.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any(t("mistake.check_bad") in text for text in alerts), alerts
    assert any(t("mistake.no_rotation.name") in text for text in alerts), alerts
    # The sentence, as Markdown renders it (its code spans lose their backticks).
    assert "code that slides W itself mirrors every tap" in main.inner_text()
    page.locator(FIGURE.format(key="backward-chart-mistake")).first.scroll_into_view_if_needed()
    screenshot(page, "mistake-backward")
    assert_clean_console(page)


def test_pooling_s_mistake_shows_at_stride_one(server: str, page: Any) -> None:
    open_app(page, server, "pooling")
    choose(page, t("pooling.mistake"), t("pooling.mistake.pool_overwrite"))
    main = page.locator(MAIN)
    assert t("pooling.mistake.no_overlap", K=2, s=2) in main.inner_text()  # 2 × 2 at stride 2: invisible
    press_slider(page, t("pooling.stride"), "ArrowLeft")  # stride 1: the windows overlap
    assert t("pooling.mistake.no_overlap", K=2, s=2) not in main.inner_text()
    assert "cell(s) of ∂L/∂X are wrong" in main.inner_text()
    page.wait_for_selector(FIGURE.format(key="pooling-mistake_fig"), timeout=TIMEOUT_MS)
    assert_no_exception(page)
    page.locator(FIGURE.format(key="pooling-mistake_fig")).first.scroll_into_view_if_needed()
    screenshot(page, "mistake-pooling")
    assert_clean_console(page)
