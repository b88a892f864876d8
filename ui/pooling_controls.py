"""Controls of the pooling and activations pages: their settings, the feature map, a cell picker.

The settings are plain NamedTuples of numbers and names, so they can key `st.cache_data` and be kept in
the session as the "last settings that worked" (a page shows those when the engine refuses new ones).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import streamlit as st

from engine.activations import ACTIVATIONS, LEAKY_SLOPE
from engine.images import list_samples, load_sample
from ui.i18n import t
from viz.activations import SATURATION, UPSTREAM_KINDS, ActivationRun, derivative_summary

# A 6 × 8 map of small integers, signed so that the diverging colours mean something, with ties that
# the 2 × 2 stride-2 windows meet: window (0, 1) holds 4 and 4 (row 0), window (2, 1) holds 5 and 5.
PRESET_MAP: np.ndarray = np.array(
    [
        [1, -3, 4, 4, -2, 0, 5, -1],
        [2, 0, -1, 3, 7, -4, 2, 6],
        [-5, 8, 2, -2, 1, 1, -3, 0],
        [3, 1, 6, -7, 0, 9, 4, -2],
        [0, -2, 5, 5, 2, -1, -6, 3],
        [4, 7, -3, 1, 8, 2, 0, -4],
    ],
    dtype=np.float64,
)
SOURCES: tuple[str, ...] = ("preset", "random", "image")
POOL_MODES: tuple[str, ...] = ("max", "avg")
POOL_UPSTREAM: tuple[str, ...] = ("random", "ones")
MAX_SIDE = 16  # largest map side: every number must stay readable
MAX_WINDOW = 8
MAX_STRIDE = 6
MAX_PADDING = 3
POOLING_SAMPLE = "digit"  # an 8 × 8 handwritten digit: blocks of equal values, so ties abound
# The activations page: 3 × 3 presets that give signed maps, working sizes, and its first settings.
ACTIVATION_KERNELS = (
    "sobel_x",
    "sobel_y",
    "laplacian",
    "outline",
    "sharpen",
    "emboss",
    "box_blur",
    "identity",
)
ACTIVATION_SIZES = (12, 16, 24, 32, 48, 64)
ACTIVATION_DEFAULTS = {
    "kind": "relu",
    "sample": "cat",
    "size": 48,
    "kernel": "sobel_x",
    "bias": 0.0,
    "upstream": "ones",
    "seed": 0,
}


class PoolingParams(NamedTuple):
    """Everything the pooling page's result depends on."""

    source: str = "preset"  # one of SOURCES
    seed: int = 0  # random map
    rows: int = 6  # random map
    cols: int = 8  # random map
    sample: str = POOLING_SAMPLE  # image map
    sample_size: int = 8  # image map: long side (the digit's own 8 × 8 cells)
    mode: str = "max"
    size: int = 2
    stride: int = 2
    padding: int = 0
    upstream: str = "random"
    upstream_seed: int = 2


def feature_map(params: PoolingParams) -> np.ndarray:
    """The (H, W) map to pool: the example, random integers in [−9, 9], or a sample image shrunk (2 decimals).

    Raises:
        ValueError: for an unknown source, or a sample image that cannot be loaded.
    """
    if params.source == "preset":
        return PRESET_MAP.copy()
    if params.source == "random":
        rng = np.random.default_rng(params.seed)
        return rng.integers(-9, 10, size=(params.rows, params.cols)).astype(np.float64)
    if params.source == "image":
        # Two decimals: every number in the figures and formulas is then exactly the value pooled.
        return np.round(load_sample(params.sample, size=params.sample_size)[0], 2)
    raise ValueError(f"The feature map must come from one of {', '.join(SOURCES)}, not {params.source!r}.")


def pooling_controls() -> PoolingParams:
    """Draw the pooling page's controls in one row of columns; return the chosen settings."""
    defaults = PoolingParams()
    source_col, mode_col, window_col, grad_col = st.columns([1.3, 0.8, 1.4, 1.0], gap="medium")
    with source_col:
        source = st.radio(
            t("pooling.source"), SOURCES, format_func=lambda s: t(f"pooling.source.{s}"), key="pooling.source"
        )
        extra = _source_options(source, defaults)
    with mode_col:
        mode = st.radio(
            t("pooling.mode"), POOL_MODES, format_func=lambda m: t(f"pooling.mode.{m}"), key="pooling.mode"
        )
    with window_col:
        size, stride, padding = _window_controls(defaults)
    with grad_col:
        upstream, upstream_seed = _pool_gradient_controls(defaults)
    return defaults._replace(
        source=source,
        mode=mode,
        size=size,
        stride=stride,
        padding=padding,
        upstream=upstream,
        upstream_seed=upstream_seed,
        **extra,
    )


def _window_controls(defaults: PoolingParams) -> tuple[int, int, int]:
    """Window size, stride and padding sliders (the engine says which combinations do not fit)."""
    size = st.slider(t("pooling.size"), 1, MAX_WINDOW, defaults.size, key="pooling.size")
    stride = st.slider(
        t("pooling.stride"),
        1,
        MAX_STRIDE,
        defaults.stride,
        key="pooling.stride",
        help=t("pooling.stride_help"),
    )
    padding = st.slider(
        t("pooling.padding"),
        0,
        MAX_PADDING,
        defaults.padding,
        key="pooling.padding",
        help=t("pooling.padding_help"),
    )
    return size, stride, padding


def _pool_gradient_controls(defaults: PoolingParams) -> tuple[str, int]:
    """The upstream gradient δ: random with a seed, or all ones."""
    upstream = st.radio(
        t("pooling.upstream"),
        POOL_UPSTREAM,
        format_func=lambda u: t(f"pooling.upstream.{u}"),
        key="pooling.upstream",
    )
    seed = defaults.upstream_seed
    if upstream == "random":
        seed = int(st.number_input(t("pooling.upstream_seed"), 0, 9999, seed, key="pooling.upstream_seed"))
    return upstream, seed


def _source_options(source: str, defaults: PoolingParams) -> dict[str, Any]:
    """The options of the chosen map source: a seed and a size, or an image and its size."""
    if source == "random":
        seed = st.number_input(t("pooling.seed"), 0, 9999, defaults.seed, key="pooling.seed")
        rows_col, cols_col = st.columns(2)
        rows = rows_col.number_input(t("pooling.rows"), 1, MAX_SIDE, defaults.rows, key="pooling.rows")
        cols = cols_col.number_input(t("pooling.cols"), 1, MAX_SIDE, defaults.cols, key="pooling.cols")
        return {"seed": int(seed), "rows": int(rows), "cols": int(cols)}
    if source == "image":
        samples = {s.name: s.title for s in list_samples()}
        names = list(samples)
        sample = st.selectbox(
            t("pooling.sample"),
            names,
            index=names.index(POOLING_SAMPLE),
            format_func=samples.__getitem__,
            key="pooling.sample",
        )
        size = st.slider(
            t("pooling.sample_size"),
            4,
            MAX_SIDE,
            defaults.sample_size,
            key="pooling.sample_size",
            help=t("pooling.sample_size_help"),
        )
        return {"sample": sample, "sample_size": int(size)}
    return {}


def activation_controls() -> dict[str, Any]:
    """Draw the activations page's controls in one row; return the chosen settings (`run_activation`'s)."""
    kind_col, image_col, kernel_col, grad_col = st.columns([1.0, 1.2, 1.3, 1.0], gap="medium")
    kind = kind_col.radio(
        t("activations.kind"),
        ACTIVATIONS,
        index=ACTIVATIONS.index(ACTIVATION_DEFAULTS["kind"]),
        format_func=lambda k: t(f"activations.kind.{k}"),
        key="activations.kind",
    )
    with image_col:
        sample, size = _image_controls()
    kernel = kernel_col.selectbox(
        t("activations.kernel"),
        ACTIVATION_KERNELS,
        format_func=lambda k: t(f"activations.kernel.{k}"),
        key="activations.kernel",
    )
    bias = kernel_col.slider(
        t("activations.bias"),
        -2.0,
        2.0,
        ACTIVATION_DEFAULTS["bias"],
        0.1,
        key="activations.bias",
        help=t("activations.bias_help"),
    )
    with grad_col:
        upstream, seed = _gradient_controls()
    bias = round(float(bias), 2)
    return {
        "kind": kind,
        "sample": sample,
        "size": size,
        "kernel": kernel,
        "bias": bias,
        "upstream": upstream,
        "seed": seed,
    }


def _image_controls() -> tuple[str, int]:
    """The sample image and its working size."""
    samples = {s.name: s.title for s in list_samples()}
    names = list(samples)
    sample = st.selectbox(
        t("activations.sample"),
        names,
        index=names.index(ACTIVATION_DEFAULTS["sample"]),
        format_func=samples.__getitem__,
        key="activations.sample",
    )
    size = st.select_slider(
        t("activations.size"),
        ACTIVATION_SIZES,
        ACTIVATION_DEFAULTS["size"],
        key="activations.size",
        help=t("activations.size_help"),
    )
    return sample, int(size)


def _gradient_controls() -> tuple[str, int]:
    """The upstream gradient δ_A: all ones, or random with a seed."""
    upstream = st.radio(
        t("activations.upstream"),
        UPSTREAM_KINDS,
        format_func=lambda u: t(f"activations.upstream.{u}"),
        key="activations.upstream",
    )
    seed = ACTIVATION_DEFAULTS["seed"]
    if upstream == "random":
        seed = int(st.number_input(t("activations.seed"), 0, 9999, seed, key="activations.seed"))
    return upstream, seed


def activation_summary(run: ActivationRun) -> str:
    """The sentence under the maps: how many cells stop (or nearly stop) the gradient."""
    counts = derivative_summary(run)
    # ReLU stops the gradient (σ' = 0); leaky ReLU (σ' = α), sigmoid and tanh only shrink it.
    n = counts.zero if run.kind in ("relu", "identity") else counts.small
    return t(
        f"activations.summary.{run.kind}",
        n=f"{n:,}",
        total=f"{counts.total:,}",
        pct=f"{n / counts.total:.1%}",
        alpha=LEAKY_SLOPE,
        threshold=SATURATION,
    )


def cell_picker(prefix: str, shape: tuple[int, int], default: tuple[int, int], labels: tuple[str, str]):
    """Two number inputs choosing a cell (row, col) of a grid of `shape`; returns the chosen cell.

    A value left over from a bigger grid is clamped into this one before the widgets are drawn (a number
    input refuses a stored value above its maximum).
    """
    cell = []
    for axis, column in enumerate(st.columns(2)):
        key, n = f"{prefix}.cell_{axis}", shape[axis]
        start: dict[str, int] = {"value": min(default[axis], n - 1)}
        if key in st.session_state:
            st.session_state[key] = int(min(max(st.session_state[key], 0), n - 1))
            start = {}  # the stored value wins; passing one as well would make Streamlit warn
        value = column.number_input(labels[axis], min_value=0, max_value=n - 1, step=1, key=key, **start)
        cell.append(int(value))
    return cell[0], cell[1]


def remember(key: str, value: Any) -> None:
    """Keep `value` as the last good settings of a page (shown again when new settings fail)."""
    st.session_state[key] = value


def last_good(key: str, default: Any) -> Any:
    """The last good settings kept under `key`, or `default` when none were kept yet."""
    return st.session_state.get(key, default)
