"""Shared parts of the client-side animations: Play/Pause/speed buttons, the step slider, shape helpers.

Every animated figure in the app plays in the browser from Plotly frames; the server only builds the
figure once. Frames update the traces they name and the layout's shapes (the moving highlights).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from viz.theme import TEXT_DARK, font_size

# Frame durations (ms) of the speed buttons, slowest first.
SPEEDS_MS: tuple[int, ...] = (900, 350, 90)
# Compact controls (a projector's figure): the buttons on the left, the slider beside them from here.
COMPACT_SLIDER_X = 0.44


def frame_args(duration_ms: int) -> dict:
    """Animation options: jump to each frame and redraw (heatmap frames need a full redraw)."""
    return {
        "frame": {"duration": duration_ms, "redraw": True},
        "mode": "immediate",
        "fromcurrent": True,
        "transition": {"duration": 0},
    }


def play_controls(
    frame_names: Sequence[str],
    start: int,
    speed_labels: Sequence[str],
    pause_label: str,
    presentation: bool = False,
    compact: bool = False,
) -> list[dict]:
    """Plotly updatemenus: one Play button per speed (playing from `start` to the end) and a Pause button.

    Args:
        frame_names: every frame's name, in order.
        start: index of the frame shown first; playing continues from there.
        speed_labels: one label per entry of SPEEDS_MS (e.g. "▶ slow", "▶ play", "▶ fast").
        compact: the buttons share their line with the slider (`step_slider(..., compact=True)`).
    """
    remaining = list(frame_names[start:]) or list(frame_names)
    buttons = [
        {"label": label, "method": "animate", "args": [remaining, frame_args(ms)]}
        for label, ms in zip(speed_labels, SPEEDS_MS)
    ]
    # Animating to [None] with a zero-length frame is Plotly's documented way to pause.
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    buttons.append({"label": pause_label, "method": "animate", "args": [[None], pause]})
    return [
        {
            "type": "buttons",
            "direction": "left",
            "buttons": buttons,
            "showactive": False,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "pad": {"t": 30 if compact else 10, "r": 10},
            "font": {"size": font_size(presentation)},
        }
    ]


def step_slider(
    frame_names: Sequence[str],
    step_labels: Sequence[str],
    start: int,
    prefix: str,
    presentation: bool = False,
    compact: bool = False,
) -> list[dict]:
    """A slider with one step per frame; dragging it scrubs the animation.

    `compact`: beside the Play buttons, without a label under each step (a few hundred labels run
    together; the current one is written above the slider).
    """
    size = max(10, font_size(presentation) - 4)
    return [
        {
            "active": start,
            "currentvalue": {
                "prefix": prefix,
                "font": {"size": font_size(presentation) + 2, "color": TEXT_DARK},
            },
            "pad": {"t": 4, "b": 0} if compact else {"t": 55, "b": 10},
            "x": COMPACT_SLIDER_X if compact else 0.0,
            "len": 1.0 - COMPACT_SLIDER_X if compact else 1.0,
            "y": 0.0,
            "yanchor": "top",
            "font": {"size": 8, "color": "rgba(0, 0, 0, 0)"} if compact else {"size": size},
            "steps": [
                {"label": label, "method": "animate", "args": [[name], frame_args(0)]}
                for name, label in zip(frame_names, step_labels)
            ],
        }
    ]


def cell_rect(row: float, col: float, xref: str, yref: str, color: str, width: float, **extra) -> dict:
    """A rectangle shape around one heatmap cell (cells are centred on integer coordinates)."""
    return {
        "type": "rect",
        "xref": xref,
        "yref": yref,
        "x0": col - 0.5,
        "x1": col + 0.5,
        "y0": row - 0.5,
        "y1": row + 0.5,
        "line": {"color": color, "width": width},
        **extra,
    }


def block_rect(rows: tuple[float, float], cols: tuple[float, float], xref: str, yref: str, **style) -> dict:
    """A rectangle over the cells rows[0]..rows[1] × cols[0]..cols[1] (inclusive)."""
    return {
        "type": "rect",
        "xref": xref,
        "yref": yref,
        "x0": cols[0] - 0.5,
        "x1": cols[1] + 0.5,
        "y0": rows[0] - 0.5,
        "y1": rows[1] + 0.5,
        **style,
    }


def cells_path(
    rows: Sequence[int], cols: Sequence[int], xref: str, yref: str, color: str, width: float
) -> dict:
    """One path shape outlining every cell of rows × cols (the taps of a dilated window).

    A single path keeps each frame small: a 11×11 dilated window is one shape, not 121 rectangles.
    """
    parts = [f"M{c - 0.5:g},{r - 0.5:g}H{c + 0.5:g}V{r + 0.5:g}H{c - 0.5:g}Z" for r in rows for c in cols]
    return {
        "type": "path",
        "xref": xref,
        "yref": yref,
        "path": "".join(parts),
        "line": {"color": color, "width": width},
    }


def typed_array(a: np.ndarray, dtype: str = "f4") -> dict:
    """A JSON-ready typed array for plotly.js: base64 of the raw values (a float32 is 4 bytes, not ~18)."""
    a = np.ascontiguousarray(a, dtype=np.dtype(dtype))
    return {
        "dtype": dtype,
        "bdata": base64.b64encode(a.tobytes()).decode("ascii"),
        "shape": ", ".join(map(str, a.shape)),
    }


def figure_spec(fig: go.Figure, frames: list[dict] | None = None) -> dict:
    """A figure as a JSON-ready dict, with frames given as plain dicts.

    Animated figures are built this way because Plotly validates every property of every go.Frame
    (about 1 s for 100 frames) and Streamlit deep-copies a go.Figure on every rerun; a plain spec built once
    and cached costs a few milliseconds to send.
    """
    spec = json.loads(pio.to_json(fig, validate=False))
    if frames is not None:
        spec["frames"] = frames
    return spec


def spec_size(spec: dict) -> int:
    """Bytes of the figure's JSON, as sent to the browser."""
    return len(pio.to_json(spec, validate=False).encode("utf-8"))


class _PrebuiltFigure(go.Figure):
    """A figure that is already a JSON-ready spec: `to_dict` hands it over as it is.

    It is made without go.Figure.__init__ (2 ms: a template and a deep copy): st.plotly_chart only checks
    that it is a figure and calls `to_dict`.
    """

    def to_dict(self) -> dict:
        return self.__dict__["_prebuilt_spec"]


def prebuilt_figure(spec: dict) -> go.Figure:
    """Wrap a figure spec so st.plotly_chart sends it as it is.

    Given a dict, st.plotly_chart validates it property by property; given a go.Figure, it deep-copies it
    (`to_dict`) on every rerun: about 100 ms for an animation of a few hundred frames. The spec was
    built by this package, so neither is needed.
    """
    figure = _PrebuiltFigure.__new__(_PrebuiltFigure)
    figure.__dict__["_prebuilt_spec"] = spec
    return figure


def spec_of_figure(figure: go.Figure) -> dict:
    """The spec inside a prebuilt figure (or a go.Figure's dict)."""
    return figure.to_dict()
