"""The home page's moving preview: the feature map it fills in is the engine's, cell by cell, in order."""

from __future__ import annotations

from io import BytesIO

import numpy as np
from PIL import Image

from engine.conv import conv2d_forward
from engine.presets import kernel_preset
from viz.gif_draw import GRID, WINDOW, diverging_indices
from viz.preview import GAP_PX, sweep_frames, sweep_gif

SCALE = 4


def _setup(h: int = 6, w: int = 7) -> tuple[np.ndarray, np.ndarray]:
    image = np.random.default_rng(0).random((h, w))
    feature, _ = conv2d_forward(
        image[None, None], kernel_preset("sobel_x", 3)[None, None], np.zeros(1), padding=1
    )
    return image, feature[0, 0]


def _output_cells(frame: Image.Image, image: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """The palette index at the centre of each output cell of a frame: (H_out, W_out)."""
    pixels = np.asarray(frame)
    x_out = image.shape[1] * SCALE + GAP_PX
    rows = np.arange(feature.shape[0]) * SCALE + SCALE // 2
    cols = x_out + np.arange(feature.shape[1]) * SCALE + SCALE // 2
    return pixels[np.ix_(rows, cols)]


def test_the_map_fills_in_row_by_row_with_the_engines_numbers() -> None:
    image, feature = _setup()
    frames = sweep_frames(image, feature, 3, 1, cells_per_frame=5, scale=SCALE)
    total = feature.size
    assert len(frames) == -(-total // 5)
    expected = diverging_indices(feature, float(np.abs(feature).max())).ravel()
    for k, frame in enumerate(frames):
        shown = _output_cells(frame, image, feature).ravel()
        done = min(5 * (k + 1), total)
        last = done - 1
        # the last cell computed is outlined by the window's colour; the others show their colour
        before = np.arange(done) != last
        np.testing.assert_array_equal(shown[:done][before], expected[:done][before])
        assert (shown[done:] == GRID).all()  # not computed yet


def test_the_window_stands_over_the_cells_it_reads() -> None:
    image, feature = _setup()
    frames = sweep_frames(image, feature, 3, 1, cells_per_frame=1, scale=SCALE)
    i, j = 3, 4  # the output cell of frame i·W_out + j reads image rows and columns 2…4, 3…5
    pixels = np.asarray(frames[i * feature.shape[1] + j])
    top, left = (i - 1) * SCALE, (j - 1) * SCALE
    assert pixels[top, left + SCALE] == WINDOW  # the window's top edge
    assert pixels[top + 3 * SCALE - 1, left + SCALE] == WINDOW  # and its bottom edge


def test_the_gif_opens_on_the_finished_map_and_loops() -> None:
    image, feature = _setup(16, 16)
    gif = Image.open(BytesIO(sweep_gif(image, feature, 3, 1, cells_per_frame=8, scale=SCALE)))
    assert gif.info.get("loop") == 0
    assert gif.n_frames == 1 + 256 // 8  # the held copies of the finished map merge into one frame
    assert gif.info["duration"] > 1000  # the first frame, held
    first = np.asarray(gif.convert("RGB"))
    gif.seek(gif.n_frames - 1)
    np.testing.assert_array_equal(first, np.asarray(gif.convert("RGB")))  # the loop closes on it
