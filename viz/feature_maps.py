"""The whole image through the layer: the input and every feature map at full resolution, and a
row-by-row sweep animation.

`feature_maps_figure` is static: exact float32 values on hover, the animated crop outlined, and
invisible click targets on a coarse grid so a click on a map picks the crop to animate.
`sweep_animation` moves a band of windows down the input while the output is revealed row by row;
its images are sent once as 8-bit values (the exact numbers are in the static figure), and each frame
carries only two shapes, so its size does not grow with frames × pixels.
"""

from __future__ import annotations

import base64
import math
from typing import NamedTuple

import numpy as np

from engine.geometry import ConvGeometry
from engine.images import encode_picture, to_uint8
from viz.animation import block_rect, play_controls, step_slider, typed_array
from viz.theme import (
    CELL_COLOR,
    DIVERGING,
    WINDOW_COLOR,
    base_layout,
    colorbar,
    colorize,
    font_size,
    line_width,
)

MAX_SWEEP_FRAMES = 64
CLICK_GRID = 40  # click targets per side of a map, at most


class FeatureMapLabels(NamedTuple):
    """Every word of the whole-image figures, translated by the page."""

    input_title: str
    output_title: str  # the sweep's output panel
    colorbar: str
    click_hint: str  # hover text of the click targets
    row_prefix: str  # slider prefix of the sweep, e.g. "Output rows "
    speeds: tuple[str, ...]
    pause: str


def _domains(n: int, gap: float = 0.04) -> list[tuple[float, float]]:
    """n equal side-by-side x domains in paper coordinates, leaving room for each colour bar."""
    width = (1.0 - gap * (n - 1)) / n
    return [(k * (width + gap), k * (width + gap) + width * 0.86) for k in range(n)]


# Pictures with more pixels than this are sent as JPEG (fast to encode); smaller ones as exact PNG.
JPEG_ABOVE_PIXELS = 128 * 128


def picture_uri(pixels: np.ndarray) -> str:
    """A data URI of (H, W) or (H, W, 3) uint8 pixels: PNG for small pictures, JPEG for large ones."""
    fmt = "JPEG" if pixels.shape[0] * pixels.shape[1] > JPEG_ABOVE_PIXELS else "PNG"
    return f"data:image/{fmt.lower()};base64," + base64.b64encode(encode_picture(pixels, fmt)).decode("ascii")


def image_uri(image: np.ndarray) -> str:
    """The data URI of an input image (C, H, W) in [0, 1]; pages cache it per image."""
    return picture_uri(to_uint8(image))


def picture_trace(uri: str, axis: str, hover: bool = False) -> dict:
    """An image sent once as a compressed picture (a 512² photo: ~100 kB, not 1 MB of raw values).

    Args:
        uri: from `picture_uri` / `image_uri`.
        axis: the subplot's axis suffix ("" for the first).
        hover: show the row and column on hover.
    """
    trace = {"type": "image", "source": uri, "x0": 0, "y0": 0, "dx": 1, "dy": 1, "xaxis": f"x{axis}",
             "yaxis": f"y{axis}"}  # fmt: skip
    if hover:
        trace["hovertemplate"] = "row %{y}, col %{x}<extra></extra>"
    else:
        trace["hoverinfo"] = "skip"
    return trace


def _matrix_axes(n: int, domains: list[tuple[float, float]], ticks: bool = True) -> dict:
    """Axes for n side-by-side image panels: row 0 on top, square pixels."""
    axes = {}
    for k in range(n):
        suffix = "" if k == 0 else str(k + 1)
        axes[f"xaxis{suffix}"] = {
            "domain": list(domains[k]),
            "anchor": f"y{suffix}",
            "showgrid": False,
            "zeroline": False,
            "constrain": "domain",
            "showticklabels": ticks,
        }
        axes[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "scaleanchor": f"x{suffix}",
            "constrain": "domain",
            "showgrid": False,
            "zeroline": False,
            "showticklabels": ticks,
        }
    return axes


def _titles(texts: list[str], domains: list[tuple[float, float]], size: int) -> list[dict]:
    return [
        {
            "text": f"<b>{text}</b>",
            "x": (d[0] + d[1]) / 2,
            "y": 1.0,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "center",
            "yanchor": "bottom",
            "yshift": 6,
            "showarrow": False,
            "font": {"size": size},
        }
        for text, d in zip(texts, domains)
    ]


def input_rows_of(geometry: ConvGeometry, first_row: int, last_row: int) -> tuple[int, int]:
    """Input rows (unpadded coordinates, clipped to the image) that output rows first..last read."""
    (KH, _), (sh, _), (dh, _) = geometry.kernel, geometry.stride, geometry.dilation
    top = geometry.padding[0][0]
    start = first_row * sh - top
    stop = last_row * sh + dh * (KH - 1) - top
    return max(0, start), min(geometry.in_size[0] - 1, stop)


def input_cols_of(geometry: ConvGeometry, first_col: int, last_col: int) -> tuple[int, int]:
    """Input columns (unpadded, clipped) that output columns first..last read."""
    (_, KW), (_, sw), (_, dw) = geometry.kernel, geometry.stride, geometry.dilation
    left = geometry.padding[1][0]
    start = first_col * sw - left
    stop = last_col * sw + dw * (KW - 1) - left
    return max(0, start), min(geometry.in_size[1] - 1, stop)


def feature_maps_figure(
    input_uri: str,
    maps: np.ndarray,
    titles: tuple[str, ...],
    region: tuple[int, int, int, int],
    labels: FeatureMapLabels,
    *,
    geometry: ConvGeometry | None = None,
    presentation: bool = False,
) -> dict:
    """The input and each feature map side by side at full resolution.

    Args:
        input_uri: the input image as a picture (`image_uri`).
        maps: (F, H_out, W_out) the layer's output.
        titles: one per map.
        region: (i0, i1, j0, j1) the animated crop, outlined on every map (and its receptive field on the
            input when `geometry` is given).

    Returns:
        A JSON-ready figure spec; clicking a map selects a point whose (x, y) is an output cell.
    """
    F = maps.shape[0]
    domains = _domains(F + 1)
    size = font_size(presentation)
    data = [picture_trace(input_uri, "", hover=True)]
    shapes = []
    i0, i1, j0, j1 = region
    width = line_width(presentation)
    for f in range(F):
        axis = str(f + 2)
        lo, hi = _limits(maps[f])
        data.append(
            {
                "type": "heatmap",
                "z": typed_array(maps[f]),
                "zmin": lo,
                "zmax": hi,
                "colorscale": DIVERGING,
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "colorbar": colorbar(
                    labels.colorbar if f == F - 1 else "",
                    presentation,
                    x=domains[f + 1][1] + 0.005,
                    len=0.8,
                    thickness=10,
                ),
                "hovertemplate": "row %{y}, col %{x}<br>%{z:.4f}<extra></extra>",
            }
        )
        shapes.append(
            block_rect(
                (i0, i1 - 1), (j0, j1 - 1), f"x{axis}", f"y{axis}", line={"color": CELL_COLOR, "width": width}
            )
        )
    data.append(_click_targets(maps.shape[1:], labels.click_hint))
    if geometry is not None:
        rows = input_rows_of(geometry, i0, i1 - 1)
        cols = input_cols_of(geometry, j0, j1 - 1)
        shapes.append(block_rect(rows, cols, "x", "y", line={"color": WINDOW_COLOR, "width": width}))
    layout = base_layout(presentation=presentation, height=420 if presentation else 340)
    layout.update(
        _matrix_axes(F + 1, domains),
        shapes=shapes,
        margin={"l": 45, "r": 10, "t": 40, "b": 10},
        annotations=_titles([labels.input_title, *titles], domains, size),
        clickmode="event+select",
        dragmode=False,
    )
    return {"data": data, "layout": layout}


def _click_targets(out_size: tuple[int, int], hint: str) -> dict:
    """Nearly invisible markers on a coarse grid of the first map: a click selects an output cell."""
    H_out, W_out = out_size
    step = max(1, math.ceil(max(H_out, W_out) / CLICK_GRID))
    ii, jj = np.meshgrid(np.arange(0, H_out, step), np.arange(0, W_out, step), indexing="ij")
    return {
        "type": "scatter",
        "mode": "markers",
        "x": jj.ravel().tolist(),
        "y": ii.ravel().tolist(),
        "xaxis": "x2",
        "yaxis": "y2",
        "marker": {"size": 14, "opacity": 0.01, "color": "black"},
        "hovertemplate": "(%{y}, %{x})<br>" + hint + "<extra></extra>",
        "showlegend": False,
    }


def _limits(a: np.ndarray) -> tuple[float, float]:
    m = float(np.max(np.abs(a))) if a.size else 0.0
    m = m if np.isfinite(m) and m > 0 else 1.0
    return -m, m


def sweep_animation(
    input_uri: str,
    output: np.ndarray,
    geometry: ConvGeometry,
    labels: FeatureMapLabels,
    *,
    presentation: bool = False,
) -> dict:
    """The whole image swept row by row: a band of windows moves down the input, the output fills in.

    Args:
        input_uri: the input image as a picture (`image_uri`); output: (H_out, W_out) one kernel's map.
        geometry: the convolution's resolved hyper-parameters.

    Returns:
        A JSON-ready figure spec with at most MAX_SWEEP_FRAMES frames (several output rows a frame on
        tall maps); each frame holds two shapes.
    """
    H_out, W_out = output.shape
    rows_per_frame = max(1, math.ceil(H_out / MAX_SWEEP_FRAMES))
    groups = [(r, min(H_out, r + rows_per_frame) - 1) for r in range(0, H_out, rows_per_frame)]
    domains = [(0.0, 0.44), (0.52, 0.92)]
    lo, hi = _limits(output)
    quarter = [lo, lo / 2, 0.0, hi / 2, hi]
    output_trace = picture_trace(picture_uri(colorize(output, (lo, hi))), "2")
    # An invisible one-cell heatmap carries the colour bar that says what the picture's colours mean.
    scale_trace = {
        "type": "heatmap",
        "z": [[lo, hi]],
        "zmin": lo,
        "zmax": hi,
        "colorscale": DIVERGING,
        "opacity": 0,
        "hoverinfo": "skip",
        "xaxis": "x2",
        "yaxis": "y2",
        "x": [0, 0],
        "y": [0, 0],
        "colorbar": colorbar(
            labels.colorbar,
            presentation,
            x=0.93,
            len=0.85,
            tickvals=quarter,
            ticktext=[f"{v:.3g}".replace("-", "−") for v in quarter],
        ),
    }
    width = line_width(presentation)
    names = [str(k) for k in range(len(groups))]
    frames = [
        {"name": name, "layout": {"shapes": _sweep_shapes(g, geometry, (H_out, W_out), width)}}
        for name, g in zip(names, groups)
    ]
    size = font_size(presentation)
    layout = base_layout(presentation=presentation, height=560 if presentation else 460)
    layout.update(
        _matrix_axes(2, domains),
        annotations=_titles([labels.input_title, labels.output_title], domains, size),
        shapes=_sweep_shapes(groups[0], geometry, (H_out, W_out), width),
        margin={"l": 45, "r": 10, "t": 40, "b": 140},
        dragmode=False,
    )
    layout["updatemenus"] = play_controls(names, 0, labels.speeds, labels.pause, presentation)
    step_labels = [f"{a}–{b}" if a != b else f"{a}" for a, b in groups]
    layout["sliders"] = step_slider(names, step_labels, 0, labels.row_prefix, presentation)
    data = [picture_trace(input_uri, ""), output_trace, scale_trace]
    return {"data": data, "layout": layout, "frames": frames}


def _sweep_shapes(
    group: tuple[int, int], geometry: ConvGeometry, out_size: tuple[int, int], width: float
) -> list:
    """The band of input rows read by output rows group[0]..group[1], and the cover below them."""
    first, last = group
    H_out, W_out = out_size
    rows = input_rows_of(geometry, first, last)
    shapes = [
        block_rect(
            rows,
            (0, geometry.in_size[1] - 1),
            "x",
            "y",
            line={"color": WINDOW_COLOR, "width": width},
            fillcolor="rgba(230, 159, 0, 0.15)",
        )
    ]
    if last + 1 < H_out:
        shapes.append(
            block_rect(
                (last + 1, H_out - 1),
                (0, W_out - 1),
                "x2",
                "y2",
                fillcolor="white",
                line={"width": 0},
                layer="above",
            )
        )
    shapes.append(
        block_rect((first, last), (0, W_out - 1), "x2", "y2", line={"color": CELL_COLOR, "width": width})
    )
    return shapes
