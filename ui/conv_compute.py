"""Cached engine results and figures for the convolution pages.

A rerun that changes nothing must stay cheap (every session of a lecture hall shares one process), so
each engine result and each figure is cached by what it depends on: the image's identity (not its
pixels), the kernels, the hyper-parameters. Animated figure specs are cached as resources: shared,
never copied, and identical across reruns, so an animation playing in the browser is not restarted.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st

from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.geometry import ConvGeometry, conv_geometry
from engine.trace import ForwardTrace, check_region, forward_trace
from viz.feature_maps import FeatureMapLabels, feature_maps_figure, sweep_animation
from viz.forward import ForwardLabels, forward_animation


class ForwardMaps(NamedTuple):
    """The whole image through the layer: pre-activation and activation maps of every kernel."""

    z: np.ndarray  # (F, H_out, W_out)
    a: np.ndarray  # (F, H_out, W_out)
    geometry: ConvGeometry


def geometry_of(image_shape: tuple[int, ...], kernels_shape: tuple[int, ...], hyper: dict) -> ConvGeometry:
    """Resolved hyper-parameters (raises ValueError with a sentence when impossible)."""
    return conv_geometry((1, *image_shape), kernels_shape, **hyper)


@st.cache_data(max_entries=32, show_spinner=False)
def forward_maps(
    image_key: tuple,
    _image: np.ndarray,
    kernels: np.ndarray,
    biases: np.ndarray,
    hyper: dict,
    activation: str,
) -> ForwardMaps:
    """conv2d_forward (fast path) and the activation on the whole image, for every kernel."""
    z, cache = conv2d_forward(_image[None], kernels, biases, **hyper)
    a, _ = activation_forward(z[0], activation)
    return ForwardMaps(z[0], a, cache.geometry)


def crop_region(
    out_size: tuple[int, int], top: int, left: int, side: int, max_steps: int
) -> tuple[int, int, int, int]:
    """The animated crop: side × side output cells from (top, left), clipped to the map and the budget."""
    rows = min(side, out_size[0], max(1, max_steps // max(1, min(side, out_size[1]))))
    cols = min(side, out_size[1], max(1, max_steps // rows))
    # A negative corner means "centred": where a new user sees the middle of the image, not a black corner.
    top = (out_size[0] - rows) // 2 if top < 0 else top
    left = (out_size[1] - cols) // 2 if left < 0 else left
    top = int(np.clip(top, 0, out_size[0] - rows))
    left = int(np.clip(left, 0, out_size[1] - cols))
    return check_region((top, top + rows, left, left + cols), out_size, max_steps)


@st.cache_resource(max_entries=32, show_spinner=False)
def forward_animation_spec(
    image_key: tuple,
    _image: np.ndarray,
    kernel: np.ndarray,
    bias: float,
    hyper: dict,
    activation: str,
    region: tuple,
    start: int,
    limits: tuple[float, float],
    labels: ForwardLabels,
    presentation: bool,
) -> tuple[ForwardTrace, dict]:
    """The trace of one kernel over the crop, and its animated figure spec."""
    trace = forward_trace(_image, kernel, bias, activation=activation, region=region, **hyper)
    start = int(np.clip(start, 0, len(trace.steps) - 1))
    return trace, forward_animation(trace, labels, start=start, limits=limits, presentation=presentation)


@st.cache_resource(max_entries=16, show_spinner=False)
def feature_maps_spec(
    image_key: tuple,
    _image: np.ndarray,
    maps_key: tuple,
    _maps: np.ndarray,
    titles: tuple[str, ...],
    region: tuple,
    labels: FeatureMapLabels,
    geometry: ConvGeometry,
    presentation: bool,
) -> dict:
    """The full-resolution input and feature maps, with the animated crop outlined."""
    return feature_maps_figure(
        _image, _maps, titles, region, labels, geometry=geometry, presentation=presentation
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def sweep_spec(
    image_key: tuple,
    _image: np.ndarray,
    maps_key: tuple,
    _output: np.ndarray,
    geometry: ConvGeometry,
    labels: FeatureMapLabels,
    presentation: bool,
) -> dict:
    """The row-by-row sweep of the whole image for one kernel."""
    return sweep_animation(_image, _output, geometry, labels, presentation=presentation)
