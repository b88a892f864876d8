"""Downloads, as a user gets them in a real browser: the animation as an animated GIF with one frame per
step of the figure's animation, the arrays as .npy equal to the engine's, as CSV with the same numbers,
and a figure as PNG from its mode bar."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engine.presets import kernel_preset
from tests.app.test_backward import house_gradients
from tests.e2e.helpers import (
    MAIN,
    assert_clean_console,
    assert_no_exception,
    click_and_wait,
    open_app,
    wait_for_idle,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

EXPORTS = f"{MAIN} [data-testid='stExpander']"


def open_exports(page: Any) -> Any:
    """Open the downloads expander; return it."""
    panel = page.locator(EXPORTS).filter(has_text=t("export.title")).first
    panel.scroll_into_view_if_needed()
    click_and_wait(page, panel.locator("summary"))  # opening it makes the buttons (a rerun)
    return panel


def download(page: Any, panel: Any, label: str) -> bytes:
    """Click the download button labelled `label`; return the file's bytes."""
    with page.expect_download(timeout=60_000) as info:
        panel.get_by_role("button", name=label, exact=True).click()
    return Path(info.value.path()).read_bytes()


def animation_frames(page: Any, chart: str) -> int:
    """The number of frames of the animated figure `chart` (a CSS selector of its plot)."""
    return page.locator(chart).first.evaluate("gd => gd._transitionData._frames.length")


def gif_frames(data: bytes) -> int:
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF"
    assert image.is_animated
    return image.n_frames


def test_forward_downloads(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    chart = f"{MAIN} [data-testid='stPlotlyChart'] .js-plotly-plot"
    steps = animation_frames(page, chart)
    panel = open_exports(page)
    assert gif_frames(download(page, panel, t("export.gif"))) == steps
    kernel = np.load(io.BytesIO(download(page, panel, "kernel.npy")))
    np.testing.assert_array_equal(kernel, kernel_preset("sobel_x")[None])
    csv = np.loadtxt(io.StringIO(download(page, panel, "kernel.csv").decode()), delimiter=",", comments="#")
    np.testing.assert_allclose(csv, kernel[0], rtol=1e-6)
    assert_no_exception(page)
    assert_clean_console(page)


def test_backward_downloads(server: str, page: Any) -> None:
    open_app(page, server, "backward")
    chart = '[class*="st-key-backward-chart-anim"] .js-plotly-plot'
    page.wait_for_selector(f"{chart} .main-svg")
    steps = animation_frames(page, chart)
    panel = open_exports(page)
    assert gif_frames(download(page, panel, t("export.gif"))) == steps
    grads = house_gradients("mse")
    arrays = {"dW": grads.dw[0], "delta": grads.delta[0], "dX": grads.dx, "db": grads.db}
    for name, expected in arrays.items():
        np.testing.assert_allclose(np.load(io.BytesIO(download(page, panel, f"{name}.npy"))), expected)
    assert_no_exception(page)
    assert_clean_console(page)


def test_a_figure_downloads_as_png_from_its_mode_bar(server: str, page: Any) -> None:
    open_app(page, server, "backward")
    chart = page.locator('[class*="st-key-backward-chart-weights"] [data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    chart.hover()
    with page.expect_download(timeout=60_000) as info:
        chart.get_by_role("button", name="Download plot as a PNG").click()
    picture = Image.open(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert picture.format == "PNG"
    box = chart.bounding_box()
    assert picture.width >= 2 * box["width"] - 2  # scale 2: sharp on a slide
    wait_for_idle(page)
    assert_clean_console(page)
