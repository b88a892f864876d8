"""Controls of the transposed page: the input and kernel (preset or random), the four hyper-parameters.

Every widget is bound to its "transposed.*" setting (ui/transposed/state.py) with `ui.common.state.bind`;
the settings make a `TransposedParams`, which keys the page's caches and is kept as the last that worked.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st

from ui.common.i18n import t
from ui.common.state import bind
from ui.transposed.state import (
    MAX_DILATION,
    MAX_KERNEL,
    MAX_OUTPUT_PADDING,
    MAX_PADDING,
    MAX_SEED,
    MAX_SIDE,
    MAX_STRIDE,
    SOURCES,
    TRANSPOSED_DEFAULTS,
)

# The preset input and kernel: their top-left corner of the chosen size. Small signed integers, so every
# stamp and every sum is an integer a student can check by hand; the kernel is not symmetric, so the
# rotation of the equivalent convolution shows.
PRESET_INPUT = np.array(
    [
        [1, -1, 2, 0, 1, -2],
        [0, 2, 1, -1, 3, 1],
        [-2, 1, 1, 2, 0, -1],
        [3, 0, -1, 1, -2, 2],
        [1, -3, 2, 0, 1, 0],
        [-1, 2, 0, 3, -1, 1],
    ],
    dtype=np.float64,
)
PRESET_KERNEL = np.array(
    [
        [1, 2, 0, -1, 1],
        [0, 1, -1, 2, 0],
        [-1, 0, 1, 0, 2],
        [2, -1, 0, 1, -1],
        [0, 1, -2, 1, 1],
    ],
    dtype=np.float64,
)
RANDOM_INPUT = (-3, 3)  # random integers, both ends included
RANDOM_KERNEL = (-2, 2)


class TransposedParams(NamedTuple):
    """Everything the page's result depends on (hashable: it keys the caches)."""

    rows: int = TRANSPOSED_DEFAULTS["transposed.rows"]
    cols: int = TRANSPOSED_DEFAULTS["transposed.cols"]
    x_source: str = TRANSPOSED_DEFAULTS["transposed.x_source"]
    x_seed: int = TRANSPOSED_DEFAULTS["transposed.x_seed"]
    kernel: int = TRANSPOSED_DEFAULTS["transposed.kernel"]
    w_source: str = TRANSPOSED_DEFAULTS["transposed.w_source"]
    w_seed: int = TRANSPOSED_DEFAULTS["transposed.w_seed"]
    stride: int = TRANSPOSED_DEFAULTS["transposed.stride"]
    padding: int = TRANSPOSED_DEFAULTS["transposed.padding"]
    output_padding: int = TRANSPOSED_DEFAULTS["transposed.output_padding"]
    dilation: int = TRANSPOSED_DEFAULTS["transposed.dilation"]


def values(source: str, seed: int, shape: tuple[int, int], preset: np.ndarray, bounds: tuple[int, int]):
    """The (rows, cols) grid of a source: the preset's top-left corner, or random integers in `bounds`."""
    if source == "random":
        return np.random.default_rng(seed).integers(bounds[0], bounds[1] + 1, size=shape).astype(np.float64)
    return preset[: shape[0], : shape[1]].copy()


def input_map(params: TransposedParams) -> np.ndarray:
    """The (H, W) input."""
    shape = (params.rows, params.cols)
    return values(params.x_source, params.x_seed, shape, PRESET_INPUT, RANDOM_INPUT)


def kernel_map(params: TransposedParams) -> np.ndarray:
    """The (K, K) kernel."""
    shape = (params.kernel, params.kernel)
    return values(params.w_source, params.w_seed, shape, PRESET_KERNEL, RANDOM_KERNEL)


def transposed_controls() -> TransposedParams:
    """Draw the page's controls in one row of columns; return the chosen settings."""
    data_col, kernel_col, hyper_col = st.columns([1.2, 1.0, 1.6], gap="medium")
    with data_col:
        rows_col, cols_col = st.columns(2)
        rows = rows_col.slider(t("transposed.rows"), 1, MAX_SIDE, **bind("transposed.rows"))
        cols = cols_col.slider(t("transposed.cols"), 1, MAX_SIDE, **bind("transposed.cols"))
        x_source, x_seed = _source("x")
    with kernel_col:
        kernel = st.slider(t("transposed.kernel"), 1, MAX_KERNEL, **bind("transposed.kernel"))
        w_source, w_seed = _source("w")
    with hyper_col:
        left, right = st.columns(2)
        stride = left.slider(t("transposed.stride"), 1, MAX_STRIDE, **bind("transposed.stride"))
        padding = right.slider(
            t("transposed.padding"),
            0,
            MAX_PADDING,
            help=t("transposed.padding_help"),
            **bind("transposed.padding"),
        )
        output_padding = left.slider(
            t("transposed.output_padding"),
            0,
            MAX_OUTPUT_PADDING,
            help=t("transposed.output_padding_help"),
            **bind("transposed.output_padding"),
        )
        dilation = right.slider(t("transposed.dilation"), 1, MAX_DILATION, **bind("transposed.dilation"))
    return TransposedParams(
        int(rows), int(cols), x_source, x_seed, int(kernel), w_source, w_seed,
        int(stride), int(padding), int(output_padding), int(dilation),
    )  # fmt: skip


def _source(name: str) -> tuple[str, int]:
    """The source of the input ("x") or the kernel ("w"): the preset, or random integers with a seed."""
    source = st.radio(
        t(f"transposed.{name}_source"),
        SOURCES,
        format_func=lambda s: t(f"transposed.source.{s}"),
        horizontal=True,
        **bind(f"transposed.{name}_source"),
    )
    seed = int(st.session_state[f"transposed.{name}_seed"])
    if source == "random":
        seed = int(
            st.number_input(t("transposed.seed"), 0, MAX_SEED, step=1, **bind(f"transposed.{name}_seed"))
        )
    return source, seed
