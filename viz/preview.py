"""The home page's moving picture of the forward pass: a kernel's window sweeps a small image while the
feature map fills in beside it, cell by cell, as a looping GIF.

It says at a glance what the app does before a word is read, in any language (it holds no text: the page
writes its caption). Drawn with NumPy and Pillow in the GIFs' one fixed palette (viz/gif_draw.py): the
image in grays, the feature map on the figures' diverging scale (white = 0), the window in the figures'
orange. Every number comes from the engine's convolution, computed by the caller.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from viz.gif_draw import GRID, WHITE, WINDOW, diverging_indices, make_palette, save_gif

GAP_PX = 18  # between the image and the feature map
WINDOW_LINE_PX = 3


def _upscaled(indices: np.ndarray, scale: int) -> np.ndarray:
    """Palette indices (H, W) drawn `scale` pixels a cell: (H·scale, W·scale)."""
    return np.kron(indices, np.ones((scale, scale), dtype=indices.dtype))


def sweep_frames(
    image: np.ndarray,
    feature: np.ndarray,
    kernel_size: int,
    padding: int,
    cells_per_frame: int,
    scale: int,
) -> list[Image.Image]:
    """The sweep's pictures: image | feature map, the window on the cell just computed (stride 1).

    Args:
        image: (H, W) intensities in [0, 1].
        feature: (H_out, W_out) the convolution of `image` (stride 1, `padding` on each side).
        kernel_size: K, the window's side.
        padding: p, so that output cell (i, j) reads image rows i − p … i − p + K − 1.
        cells_per_frame: output cells revealed by each frame, row by row.
        scale: pixels per cell.

    Returns:
        ceil(H_out·W_out / cells_per_frame) frames, the last showing the whole feature map.
    """
    H, W = image.shape
    H_out, W_out = feature.shape
    gray = np.round(np.clip(image, 0.0, 1.0) * 127).astype(np.uint8)
    limit = float(np.max(np.abs(feature))) or 1.0
    colours = diverging_indices(feature, limit).astype(np.uint8)
    x_out = W * scale + GAP_PX
    width, height = x_out + W_out * scale, max(H, H_out) * scale
    palette = make_palette()
    canvas = np.full((height, width), WHITE, dtype=np.uint8)
    canvas[: H * scale, : W * scale] = _upscaled(gray, scale)
    # The cells not computed yet: light grey, so the map's size shows from the first frame.
    revealed = np.full((H_out * scale, W_out * scale), GRID, dtype=np.uint8)
    frames = []
    total = H_out * W_out
    for start in range(0, total, cells_per_frame):
        last = min(start + cells_per_frame, total) - 1
        for cell in range(start, last + 1):
            i, j = divmod(cell, W_out)
            revealed[i * scale : (i + 1) * scale, j * scale : (j + 1) * scale] = colours[i, j]
        canvas[: H_out * scale, x_out:] = revealed
        frame = Image.fromarray(canvas, mode="P")
        frame.putpalette(palette)
        _draw_window(ImageDraw.Draw(frame), divmod(last, W_out), kernel_size, padding, scale, x_out)
        frames.append(frame)
    return frames


def _draw_window(draw: ImageDraw.ImageDraw, cell: tuple[int, int], K: int, p: int, scale: int, x_out: int):
    """The window over the image cells output cell (i, j) reads, and that output cell outlined."""
    i, j = cell
    top, left = (i - p) * scale, (j - p) * scale
    box = (left, top, left + K * scale - 1, top + K * scale - 1)
    draw.rectangle(box, outline=WINDOW, width=WINDOW_LINE_PX)
    x, y = x_out + j * scale, i * scale
    draw.rectangle((x - 1, y - 1, x + scale, y + scale), outline=WINDOW, width=WINDOW_LINE_PX)


def sweep_gif(
    image: np.ndarray,
    feature: np.ndarray,
    kernel_size: int,
    padding: int,
    *,
    cells_per_frame: int = 8,
    scale: int = 7,
    duration_ms: int = 70,
) -> bytes:
    """The sweep (`sweep_frames`) as a looping GIF's bytes, opening on the finished map, held a moment.

    The first frame is what a viewer that does not animate shows (a printed page, reduced motion): the
    whole feature map beside the picture. Then the sweep fills it in again, and the loop comes back to it.
    """
    frames = sweep_frames(image, feature, kernel_size, padding, cells_per_frame, scale)
    # Copies of the finished frame make one longer frame (save_gif merges identical neighbours).
    return save_gif([frames[-1]] * 25 + frames, duration_ms)
