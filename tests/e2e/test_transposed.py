"""The transposed-convolution page in a real browser: it loads by URL, Play advances the stamps to the
engine's output, a setting that does not fit gives a sentence and keeps the figures, no traceback anywhere."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine.transposed import conv_transpose2d
from tests.e2e.helpers import (
    MAIN,
    TIMEOUT_MS,
    assert_clean_console,
    assert_no_exception,
    open_app,
    run_follows,
    screenshot,
)
from ui.common.i18n import t
from ui.transposed.controls import PRESET_INPUT, PRESET_KERNEL
from viz.transposed import CANVAS

pytestmark = pytest.mark.e2e

CHART = f'{MAIN} [data-testid="stPlotlyChart"]'
PLOTS = f"{CHART} .js-plotly-plot"


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


def test_transposed_page_plays_to_the_engines_output(server: str, page: Any) -> None:
    open_app(page, server, "transposed")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip().endswith(t("page.transposed"))
    animation = chart(page, 0)
    assert page.locator(CHART).count() == 3
    assert_no_exception(page)

    # Play advances the stamps; played to the end, the canvas holds every stamp: the engine's output.
    before = animation.locator(".slider-label").first.text_content()
    animation.locator(".updatemenu-button").filter(has_text=t("transposed.fig.fast")).click()
    page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).textContent !== before",
        arg=[f"{CHART} .slider-label", before],
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(
        "(sel) => { const gd = document.querySelector(sel);"
        " return gd.layout.sliders[0].active === gd.layout.sliders[0].steps.length - 1; }",
        arg=PLOTS,
        timeout=15_000,
    )
    shown = page.evaluate(
        # _fullData holds the decoded rows (data keeps the base64 typed array it was sent).
        "([sel, k]) => Array.from(document.querySelector(sel)._fullData[k].z, row => Array.from(row))",
        [PLOTS, CANVAS],
    )
    y = conv_transpose2d(PRESET_INPUT[None, None, :3, :3], PRESET_KERNEL[None, None, :3, :3], stride=2)[0, 0]
    np.testing.assert_allclose(np.array(shown, dtype=float), y, atol=1e-6)  # no padding: canvas = output
    screenshot(page, "transposed")

    # Output padding 1 at stride 1 (and dilation 1): PyTorch refuses it, so does the page, with a sentence.
    press_slider(page, t("transposed.stride"), "ArrowLeft")
    press_slider(page, t("transposed.output_padding"), "ArrowRight")
    alert = page.locator(f'{MAIN} [data-testid="stAlert"]').filter(has_text="output padding")
    alert.wait_for(timeout=5_000)
    assert page.locator(CHART).count() == 3
    assert_no_exception(page)
    assert_clean_console(page)


def test_presentation_mode_opens_on_the_animation(server: str, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, server, "transposed?presentation=1&transposed.padding=1&transposed.output_padding=1")
    figure = chart(page, 0)
    box = figure.bounding_box()
    assert box["y"] + box["height"] <= 720 + 1, box  # the whole animation on the first screen
    sizes = page.evaluate(
        "(sel) => [...document.querySelector(sel).querySelectorAll('g.heatmap-label text')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))",
        PLOTS,
    )
    assert sizes and min(sizes) >= 18
    assert_no_exception(page)
    screenshot(page, "transposed-presentation")
