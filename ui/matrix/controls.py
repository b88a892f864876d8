"""Controls of the matrix page: the input's size, the kernel's size, stride, padding and dilation, and the
values (an example, or random integers with a seed).

Every widget is bound to its "matrix.*" setting (ui/matrix/state.py) with `ui.common.state.bind`; the
settings make a `MatrixParams`, which keys the page's caches and is kept as the last that worked.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st

from ui.common.i18n import t
from ui.common.state import bind
from ui.matrix.state import (
    MATRIX_DEFAULTS,
    MAX_DILATION,
    MAX_KERNEL,
    MAX_OUT,
    MAX_PADDING,
    MAX_SEED,
    MAX_SIDE,
    MAX_STRIDE,
    SOURCES,
)

# The example values: the top-left corner of each, of the size chosen. Small signed integers, so every
# product and every sum is an integer a student can check by hand; the kernel is not symmetric, so each
# tap's place in C shows.
PRESET_INPUT = np.array(
    [
        [1, -1, 2, 0, 1, -2, 3, 0],
        [0, 2, 1, -1, 3, 1, -1, 2],
        [-2, 1, 1, 2, 0, -1, 2, 1],
        [3, 0, -1, 1, -2, 2, 0, -1],
        [1, -3, 2, 0, 1, 0, -2, 1],
        [-1, 2, 0, 3, -1, 1, 1, 0],
        [2, 0, -1, 1, 2, -3, 0, 1],
        [0, 1, 3, -2, 0, 1, -1, 2],
    ],
    dtype=np.float64,
)
PRESET_KERNEL = np.array([[1, 2, 0, -1], [0, 1, -1, 2], [-1, 0, 1, 0], [2, -1, 0, 1]], dtype=np.float64)
# δ: a small signed pattern repeated over the largest output (14 × 14).
PRESET_DELTA = np.resize(np.array([1, -1, 2, 0, -2, 1, 0]), (MAX_OUT, MAX_OUT + 1))[:, :MAX_OUT].astype(
    np.float64
)
RANDOM_INPUT = (-3, 3)  # random integers, both ends included
RANDOM_SMALL = (-2, 2)  # the kernel's and δ's


class MatrixParams(NamedTuple):
    """Everything the page's result depends on (hashable: it keys the caches)."""

    rows: int = MATRIX_DEFAULTS["matrix.rows"]
    cols: int = MATRIX_DEFAULTS["matrix.cols"]
    kernel: int = MATRIX_DEFAULTS["matrix.kernel"]
    stride: int = MATRIX_DEFAULTS["matrix.stride"]
    padding: int = MATRIX_DEFAULTS["matrix.padding"]
    dilation: int = MATRIX_DEFAULTS["matrix.dilation"]
    source: str = MATRIX_DEFAULTS["matrix.source"]
    seed: int = MATRIX_DEFAULTS["matrix.seed"]


def values(params: MatrixParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x (H, W), W (K, K) and δ (MAX_OUT, MAX_OUT): the engine keeps δ's top-left (H_out, W_out)."""
    H, W, K = params.rows, params.cols, params.kernel
    if params.source == "random":
        rng = np.random.default_rng(params.seed)
        x = rng.integers(RANDOM_INPUT[0], RANDOM_INPUT[1] + 1, size=(H, W))
        w = rng.integers(RANDOM_SMALL[0], RANDOM_SMALL[1] + 1, size=(K, K))
        delta = rng.integers(RANDOM_SMALL[0], RANDOM_SMALL[1] + 1, size=(MAX_OUT, MAX_OUT))
        return x.astype(np.float64), w.astype(np.float64), delta.astype(np.float64)
    return PRESET_INPUT[:H, :W].copy(), PRESET_KERNEL[:K, :K].copy(), PRESET_DELTA.copy()


def matrix_controls() -> MatrixParams:
    """Draw the page's controls in one row of columns; return the chosen settings."""
    data_col, kernel_col, hyper_col = st.columns([1.2, 1.0, 1.6], gap="medium")
    with data_col:
        rows_col, cols_col = st.columns(2)
        rows = rows_col.slider(t("matrix.rows"), 1, MAX_SIDE, **bind("matrix.rows"))
        cols = cols_col.slider(t("matrix.cols"), 1, MAX_SIDE, **bind("matrix.cols"))
    with kernel_col:
        kernel = st.slider(t("matrix.kernel"), 1, MAX_KERNEL, **bind("matrix.kernel"))
        source, seed = _source()
    with hyper_col:
        stride_col, padding_col, dilation_col = st.columns(3)
        stride = stride_col.slider(t("matrix.stride"), 1, MAX_STRIDE, **bind("matrix.stride"))
        padding = padding_col.slider(
            t("matrix.padding"), 0, MAX_PADDING, help=t("matrix.padding_help"), **bind("matrix.padding")
        )
        dilation = dilation_col.slider(t("matrix.dilation"), 1, MAX_DILATION, **bind("matrix.dilation"))
    sizes = (int(rows), int(cols), int(kernel))
    return MatrixParams(*sizes, int(stride), int(padding), int(dilation), source, seed)


def _source() -> tuple[str, int]:
    """The values of x, W and δ: the example, or random integers with a seed."""
    source = st.radio(
        t("matrix.source"),
        SOURCES,
        format_func=lambda s: t(f"matrix.source.{s}"),
        horizontal=True,
        **bind("matrix.source"),
    )
    seed = int(st.session_state["matrix.seed"])
    if source == "random":
        seed = int(st.number_input(t("matrix.seed"), 0, MAX_SEED, step=1, **bind("matrix.seed")))
    return source, seed
