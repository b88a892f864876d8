"""The pooling page in a real browser: it loads by URL, Play advances, settings change it, no traceback."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine.pool import pool2d_backward, pool2d_forward
from engine.pool_trace import upstream_gradient
from tests.e2e.helpers import (
    MAIN,
    SIDEBAR,
    TIMEOUT_MS,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import t
from ui.pooling.controls import PRESET_MAP
from viz.pooling import ROUTING_DX

pytestmark = pytest.mark.e2e

CHART = f'{MAIN} [data-testid="stPlotlyChart"]'


def chart(page: Any, index: int) -> Any:
    """The index-th figure of the page, scrolled into view and drawn."""
    figure = page.locator(CHART).nth(index)
    figure.scroll_into_view_if_needed()
    figure.locator(".main-svg").first.wait_for()
    return figure


def press_slider(page: Any, label: str, key: str) -> None:
    """Move a Streamlit slider with the keyboard (its thumb is a range input named by the label)."""
    thumb = page.locator(f'{MAIN} input[type="range"][aria-label="{label}"]')
    thumb.focus()
    with run_follows(page):
        thumb.press(key)


def step_label(figure: Any) -> str:
    """The slider's current-value label, e.g. "output cell (i, j) = (0, 0)"."""
    return figure.locator(".slider-label").first.text_content()


def caption(page: Any, index: int) -> str:
    """The arithmetic written above a figure (its second annotation)."""
    script = "([sel, k]) => document.querySelectorAll(sel)[k].layout.annotations[1].text"
    return page.evaluate(script, [f"{CHART} .js-plotly-plot", index])


def play_fast(page: Any, figure: Any) -> None:
    """Press ▶▶ Fast and wait until the slider reaches the last step."""
    figure.locator(".updatemenu-button").filter(has_text=t("pooling.fig.fast")).click()
    page.wait_for_function(
        "(sel) => { const gd = document.querySelectorAll(sel)[1];"
        " return gd && gd.layout.sliders[0].active === gd.layout.sliders[0].steps.length - 1; }",
        arg=f"{CHART} .js-plotly-plot",
        timeout=15_000,
    )


def test_pooling_page_plays_routes_and_reacts(server: str, page: Any) -> None:
    open_app(page, server, "pooling")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip().endswith(t("page.pooling"))
    forward, routing = chart(page, 0), chart(page, 1)
    assert_no_exception(page)
    assert caption(page, 0) == "y(0, 0) = max(1, −3, 2, 0) = 2"

    # Play advances the forward animation.
    before = step_label(forward)
    forward.locator(".updatemenu-button").filter(has_text=t("pooling.fig.fast")).click()
    changed = "([sel, before]) => document.querySelector(sel).textContent !== before"
    page.wait_for_function(changed, arg=[f"{CHART} .slider-label", before], timeout=TIMEOUT_MS)

    # Played to the end, the routing figure shows the engine's ∂L/∂X.
    play_fast(page, routing)
    shown = page.evaluate(
        # _fullData holds the decoded rows (data keeps the base64 typed array it was sent).
        "([sel, k]) => Array.from(document.querySelectorAll(sel)[1]._fullData[k].z, row => Array.from(row))",
        [f"{CHART} .js-plotly-plot", ROUTING_DX],
    )
    _, cache = pool2d_forward(PRESET_MAP[None, None], 2, 2, "max")
    dx = pool2d_backward(upstream_gradient("random", (3, 4), seed=2)[None, None], cache)[0, 0]
    np.testing.assert_allclose(np.array(shown, dtype=float), dx, atol=1e-6)
    screenshot(page, "pooling")

    # Average pooling changes the result (and the new figure starts from its first step).
    click_and_wait(page, page.locator(MAIN).get_by_text(t("pooling.mode.avg"), exact=True))
    chart(page, 0)
    assert caption(page, 0) == "y(0, 0) = (1 − 3 + 2 + 0) / 4 = 0 / 4 = 0"

    # A window bigger than the map: a sentence, no traceback, and the last good figures stay.
    press_slider(page, t("pooling.size"), "End")  # the largest window: 8 × 8 on the 6 × 8 example
    alert = page.locator(f'{MAIN} [data-testid="stAlert"]').filter(has_text="bigger than the padded input")
    alert.wait_for(timeout=5_000)
    assert page.locator(CHART).count() == 2
    assert_no_exception(page)
    assert_clean_console(page)


def test_presentation_mode_with_padding_and_overlap(server: str, page: Any) -> None:
    open_app(page, server, "pooling")
    click_and_wait(page, page.locator(SIDEBAR).get_by_text(t("sidebar.presentation")))
    press_slider(page, t("pooling.size"), "ArrowRight")  # window 3 ...
    press_slider(page, t("pooling.stride"), "ArrowLeft")  # ... stride 1: overlapping windows
    press_slider(page, t("pooling.padding"), "ArrowRight")
    chart(page, 0)
    assert caption(page, 0) == "y(0, 0) = max(−∞, −∞, −∞, −∞, 1, −3, −∞, 2, 0) = 2"
    assert_no_exception(page)
    chart(page, 1)
    screenshot(page, "pooling-presentation")
