"""Cached engine results and figures for the convolution pages.

A rerun that changes nothing must stay cheap (every session of a lecture hall shares one process), so
each engine result and each figure is cached by what it depends on. Streamlit hashes cache arguments in
Python, about a millisecond for a handful of arrays and tuples, so the functions here take one short
string key (`ConvSetup.key`: a digest of the image's identity, the kernels and the hyper-parameters) and
receive the arrays themselves as unhashed `_` arguments. Figure specs are cached as resources: shared,
never copied, identical across reruns (an animation playing in the browser is not restarted), and
already wrapped for st.plotly_chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.geometry import ConvGeometry
from engine.trace import ForwardTrace, check_region, forward_trace
from ui.common.caching import cached_resource
from viz.animation import prebuilt_figure
from viz.feature_maps import FeatureMapLabels, feature_maps_figure, image_uri, sweep_animation
from viz.forward import ForwardLabels, forward_animation

if TYPE_CHECKING:
    import plotly.graph_objects as go


class ForwardMaps(NamedTuple):
    """The whole image through the layer: pre-activation and activation maps of every kernel."""

    z: np.ndarray  # (F, H_out, W_out)
    a: np.ndarray  # (F, H_out, W_out)
    geometry: ConvGeometry


@cached_resource(max_entries=32)
def forward_maps(key: str, _setup) -> ForwardMaps:
    """conv2d_forward (fast path) and the activation on the whole image, for every kernel.

    Shared by every session, not copied per rerun (cache_resource): the arrays are read-only.

    Args:
        key: the setup's digest (`ConvSetup.key`), the cache key.
        _setup: the ConvSetup it describes.
    """
    z, cache = conv2d_forward(_setup.image[None], _setup.kernels, _setup.biases, **_setup.hyper)
    a, _ = activation_forward(z[0], _setup.activation)
    return ForwardMaps(read_only(z[0]), read_only(a), cache.geometry)


def read_only(array: np.ndarray) -> np.ndarray:
    """`array`, marked read-only: a cached array every session shares must not be changed by one of them."""
    array.setflags(write=False)
    return array


def crop_region(
    out_size: tuple[int, int],
    top: int,
    left: int,
    side: int,
    max_steps: int,
    focus: tuple[int, int] | None = None,
) -> tuple[int, int, int, int]:
    """The animated crop: side × side output cells from (top, left), clipped to the map and the budget.

    A negative corner means "not chosen": the crop then starts at `focus` (the page's strongest cell,
    engine.trace.strongest_cell), so that the first step a class sees is where something happens, not a
    flat patch of sky; without a focus it is centred.
    """
    rows = min(side, out_size[0], max(1, max_steps // max(1, min(side, out_size[1]))))
    cols = min(side, out_size[1], max(1, max_steps // rows))
    centre = ((out_size[0] - rows) // 2, (out_size[1] - cols) // 2)
    start = centre if focus is None else focus
    top = start[0] if top < 0 else top
    left = start[1] if left < 0 else left
    top = int(np.clip(top, 0, out_size[0] - rows))
    left = int(np.clip(left, 0, out_size[1] - cols))
    return check_region((top, top + rows, left, left + cols), out_size, max_steps)


@cached_resource(max_entries=32)
def forward_animation_spec(
    key: str,
    n: int,
    region: tuple,
    start: int,
    language: str,
    presentation: bool,
    _setup,
    _limits: tuple[float, float],
    _labels: ForwardLabels,
) -> tuple[ForwardTrace, go.Figure]:
    """The trace of kernel n over the crop, and its animated figure (limits follow from key and n)."""
    trace = forward_trace(
        _setup.image,
        _setup.kernels[n],
        float(_setup.biases[n]),
        activation=_setup.activation,
        region=region,
        **_setup.hyper,
    )
    start = int(np.clip(start, 0, len(trace.steps) - 1))
    spec = forward_animation(trace, _labels, start=start, limits=_limits, presentation=presentation)
    return trace, prebuilt_figure(spec)


@cached_resource(max_entries=16)
def input_picture(image_key: tuple, _setup) -> str:
    """The input image as a data URI, encoded once per image (not again when only the kernel changes)."""
    return image_uri(_setup.image)


@cached_resource(max_entries=16)
def feature_maps_spec(
    key: str,
    region: tuple,
    language: str,
    presentation: bool,
    _setup,
    _maps: ForwardMaps,
    _titles: tuple[str, ...],
    _labels: FeatureMapLabels,
) -> go.Figure:
    """The full-resolution input and feature maps, with the animated crop outlined."""
    spec = feature_maps_figure(
        input_picture(_setup.image_key, _setup),
        _maps.a,
        _titles,
        region,
        _labels,
        geometry=_maps.geometry,
        presentation=presentation,
    )
    return prebuilt_figure(spec)


@cached_resource(max_entries=16)
def sweep_spec(
    key: str, n: int, language: str, presentation: bool, _setup, _maps: ForwardMaps, _labels: FeatureMapLabels
) -> go.Figure:
    """The row-by-row sweep of the whole image for kernel n."""
    spec = sweep_animation(
        input_picture(_setup.image_key, _setup),
        _maps.a[n],
        _maps.geometry,
        _labels,
        presentation=presentation,
    )
    return prebuilt_figure(spec)
