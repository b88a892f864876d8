"""The forward page's guided tour: seven steps through one window of the convolution (ui.common.tour).

The steps move the animated crop (the "conv.crop_*" settings) and pick the output cell each step shows;
the texts are the "tour.forward.<step>.*" strings, filled with this layer's numbers.
"""

from __future__ import annotations

from typing import Any

from engine.trace import ForwardStep, ForwardTrace
from ui.common.i18n import t
from ui.common.tour import BESIDE, FIRST, LAST, STRONGEST, TourStep, tour_panel, tour_settings
from ui.conv.explain import output_size_tex
from ui.conv.labels import forward_labels
from viz.numbers import figure_number

# Where the forward tour puts the animated crop: in the top-left corner of the map (the padding is
# there), centred (where a picture has its subject), or bottom-right (the window's last position;
# the page clips the corner to the map).
_CORNER = {"conv.crop_i": 0, "conv.crop_j": 0}
_CENTRE = {"conv.crop_i": -1, "conv.crop_j": -1}
_LAST = {"conv.crop_i": 1024, "conv.crop_j": 1024}

FORWARD_STEPS: tuple[TourStep, ...] = (
    TourStep("padding", _CORNER, FIRST),  # the first cell: its window covers the padded corner
    TourStep("kernel", _CENTRE, STRONGEST),
    TourStep("window", _CENTRE, STRONGEST),
    TourStep("products", _CENTRE, STRONGEST),
    TourStep("sum", _CENTRE, STRONGEST),
    TourStep("size", _LAST, LAST),  # the last output cell: the window at the padded input's edge
    TourStep("stride", _CENTRE, BESIDE),  # one cell right of step 5: the window moved by the stride
)


# The tour's open step, a setting of the forward page (named in its frame call).
TOUR_SETTINGS = tour_settings("forward", FORWARD_STEPS)


def forward_values(setup, n: int, trace: ForwardTrace, step: ForwardStep) -> dict[str, Any]:
    """The numbers and panel names the forward tour's texts are filled with (all from the engine).

    Args:
        setup: the page's ConvSetup; n: the animated kernel; trace: its trace over the crop;
        step: the step the animation shows.
    """
    values = {**_layer_values(setup, n, trace.geometry), **_step_values(step, setup.activation)}
    labels = forward_labels(setup.activation, setup.kernels.shape[1])
    values |= {
        "input_panel": labels.input_title,
        "kernel_panel": labels.kernel_title,
        "window_panel": labels.window_title,
        "products_panel": labels.products_title,
        "output_panel": labels.output_title,
    }
    padded = any(p for side in trace.geometry.padding for p in side)
    values["padding"] = t("tour.forward.padding.some", **values) if padded else t("tour.forward.padding.none")
    return values


def _layer_values(setup, n: int, geometry) -> dict[str, Any]:
    """The layer's sizes and hyper-parameters, as the tour's texts name them."""
    (top, bottom), (left, right) = geometry.padding
    F, C, KH, KW = setup.kernels.shape
    return {
        "H": geometry.in_size[0],
        "W": geometry.in_size[1],
        "top": top,
        "bottom": bottom,
        "left": left,
        "right": right,
        "mode": t(f"conv.pad_mode.{geometry.pad_mode}"),
        "KH": KH,
        "KW": KW,
        "name": setup.kernel_names[n],
        "params": F * (C * KH * KW + 1),
        "taps": C * KH * KW,
        "H_out": geometry.out_size[0],
        "W_out": geometry.out_size[1],
        "sh": geometry.stride[0],
        "sw": geometry.stride[1],
        "dh": geometry.dilation[0],
        "dw": geometry.dilation[1],
    }


def _step_values(step: ForwardStep, activation: str) -> dict[str, Any]:
    """One step's output cell, window corner and arithmetic, as the tour's texts name them."""
    after = "" if activation == "identity" else t("tour.forward.sum.activation", a=figure_number(step.a))
    return {
        "i": step.i,
        "j": step.j,
        "r0": step.rows[0],
        "c0": step.cols[0],
        "total": figure_number(step.total),
        "bias": figure_number(step.bias),
        "z": figure_number(step.z),
        "activation": after,
    }


def forward_formulas(trace: ForwardTrace) -> dict[str, list[str]]:
    """The output-size formula, with this layer's numbers, for the tour's "size" step."""
    names = (t("conv.axis_height"), t("conv.axis_width"))
    return {"size": [output_size_tex(trace.geometry, axis, names[axis]) for axis in (0, 1)]}


def forward_tour(setup, n: int, trace: ForwardTrace, step: ForwardStep) -> None:
    """The forward page's tour, its texts filled with this layer's numbers and the step shown."""
    tour_panel("forward", FORWARD_STEPS, forward_values(setup, n, trace, step), forward_formulas(trace))
