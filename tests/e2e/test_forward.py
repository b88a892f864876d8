"""The forward page in a real browser: upload, change kernel and stride, play, click a cell, bad upload."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

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
    set_number,
    wait_for_idle,
    window_path,
)
from ui.common.i18n import t

pytestmark = pytest.mark.e2e

ANIMATION = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'


def png_bytes() -> bytes:
    """A 40×30 picture with a bright square: a clear edge for Sobel."""
    pixels = np.zeros((30, 40), dtype=np.uint8)
    pixels[8:22, 10:30] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(page: Any, name: str, data: bytes, mime: str) -> None:
    # The radio's run must have ended before the file is chosen: a run that starts late on a busy machine
    # would redraw the uploader under the file (click_and_wait gives up waiting for a start after 5 s).
    choice = page.locator(SIDEBAR).get_by_text(t("conv.source.upload"), exact=True)
    if page.locator('[data-testid="stFileUploader"]').count() == 0:
        with run_follows(page):
            choice.click()
    uploader = page.locator('[data-testid="stFileUploader"]')
    # The file goes up over HTTP first; the rerun starts after the uploader lists it.
    with run_follows(page):
        uploader.locator("input[type=file]").set_input_files({"name": name, "mimeType": mime, "buffer": data})


def select_option(page: Any, label: str, option: str) -> None:
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):  # a rerun that redraws the sidebar can close the list as it opens
        page.locator(SIDEBAR).get_by_label(label, exact=True).click()
        try:
            choice.wait_for(timeout=3000)
            break
        except Exception:
            wait_for_idle(page)
    click_and_wait(page, choice)


def test_upload_kernel_stride_play_and_click(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    page.wait_for_selector(f"{ANIMATION} .main-svg")
    assert_no_exception(page)

    upload(page, "square.png", png_bytes(), "image/png")
    assert page.get_by_text("square.png").count() > 0
    select_option(page, t("conv.kind", n=1), t("preset.laplacian"))
    set_number(page, SIDEBAR, t("conv.stride"), 2)
    assert_no_exception(page)
    # The output size line shows the new geometry: 30×40 at 32 px → 24×32, stride 2 with padding 1 → 12×16.
    assert page.get_by_text("output 1×12×16", exact=False).count() > 0

    # Play: the window moves in the browser with no server round trip.
    before = window_path(page, ANIMATION)
    page.locator(f"{ANIMATION} .updatemenu-button").filter(has_text=t("forward.fig.fast")).first.click()
    moved = "([sel, before]) => { const s = document.querySelector(sel).layout.shapes[0];"
    moved += " return (s.path || `${s.x0},${s.y0}`) !== before; }"
    page.wait_for_function(moved, arg=[ANIMATION, before], timeout=TIMEOUT_MS)
    page.locator(f"{ANIMATION} .updatemenu-button").filter(has_text=t("forward.fig.pause")).first.click()

    # Click an output cell: the server jumps to its step and explains it.
    target = page.evaluate(
        f"""(() => {{
            const gd = document.querySelector('{ANIMATION}');
            const xa = gd._fullLayout.xaxis2, ya = gd._fullLayout.yaxis2;
            const xs = gd.data[3].x, ys = gd.data[3].y, k = xs.length - 1;
            const box = gd.getBoundingClientRect();
            return {{x: box.left + xa._offset + xa.l2p(xs[k]), y: box.top + ya._offset + ya.l2p(ys[k]),
                     cell: [ys[k], xs[k]], steps: xs.length}};
        }})()"""
    )
    # Plotly turns a click into a selection only over a point it hovers: let the hover register first.
    page.mouse.move(target["x"], target["y"])
    page.wait_for_timeout(300)
    with run_follows(page):
        page.mouse.click(target["x"], target["y"])
    i, j = target["cell"]
    assert page.locator(f"{MAIN} .katex").filter(has_text=f"Z({i},{j})").count() > 0
    step_box = page.locator(MAIN).get_by_label(f"{t('forward.step')} (1–{target['steps']})")
    assert step_box.input_value() == str(target["steps"])
    assert_no_exception(page)
    # Pausing interrupts Plotly.animate, whose promise is then rejected with no reason ("undefined").
    assert_clean_console(page, "undefined")
    screenshot(page, "forward")


def test_a_bad_upload_says_why_and_keeps_the_image(server: str, page: Any) -> None:
    open_app(page, server, "forward")
    upload(page, "square.png", png_bytes(), "image/png")
    size_line = page.get_by_text("output 1×", exact=False).first.inner_text()

    upload(page, "notes.png", b"this is not a picture", "image/png")
    alerts = page.locator('[data-testid="stAlert"]')
    assert alerts.count() > 0
    assert "not an image" in alerts.first.inner_text() or "could not" in alerts.first.inner_text()
    assert page.get_by_text(t("conv.upload_kept")).count() > 0
    assert page.get_by_text("output 1×", exact=False).first.inner_text() == size_line
    assert page.get_by_text("square.png").count() > 0
    assert_no_exception(page)
    screenshot(page, "forward-bad-upload")


def test_the_code_for_the_page_can_be_copied(server: str, page: Any) -> None:
    # The panel is built when it opens (a rerun); its copy button puts the code on the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, server, "forward")
    click_and_wait(page, page.locator(MAIN).get_by_text(t("forward.code"), exact=False))
    numpy_code = page.locator(f'{MAIN} [data-testid="stCode"]').filter(has_text="engine.conv2d_forward(X")
    numpy_code.wait_for(timeout=TIMEOUT_MS)
    assert 'engine.load_sample("house", color=False, size=32)' in numpy_code.inner_text()
    numpy_code.hover()
    page.locator(f'{MAIN} button[aria-label="Copy to clipboard"]:visible').first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("import numpy as np") and "engine.conv2d_forward(X, W, b, **hyper)" in copied
    page.locator(MAIN).get_by_role("tab", name=t("conv.code_torch")).click()
    torch_code = page.locator(f'{MAIN} [data-testid="stCode"]').filter(has_text="F.conv2d(")
    torch_code.wait_for(timeout=TIMEOUT_MS)
    assert "padding=(1, 1), dilation=(1, 1))" in torch_code.inner_text()
    download = page.locator(f'{MAIN} [data-testid="stDownloadButton"]').filter(has_text="input.npy")
    assert download.is_visible()
    assert_no_exception(page)
