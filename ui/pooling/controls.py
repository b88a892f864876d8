"""Controls of the pooling page: its settings (a NamedTuple that keys the cache and is kept as the last
settings that worked) and the feature map they describe."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import streamlit as st

from engine.mistakes import NONE, POOL_MISTAKES
from engine.pool import POOL_MODES
from engine.samples import list_samples, load_sample
from ui.common.controls import keep_possible, start_value
from ui.common.i18n import t
from ui.common.links import Choice, Domain, IntRange

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
POOL_UPSTREAM: tuple[str, ...] = ("random", "ones")
MAX_SIDE = 16  # largest map side: every number must stay readable
MAX_WINDOW = 8
MAX_STRIDE = 6
MAX_PADDING = 3
# The "Introduce a mistake" control (ui/pooling/mistakes.py): none, or pooling's planted mistake.
MISTAKE_CHOICES: tuple[str, ...] = (NONE, *POOL_MISTAKES)
POOLING_SAMPLE = "digit"  # an 8 × 8 handwritten digit: blocks of equal values, so ties abound


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
        ValueError: for an unknown source (a translated sentence), or a sample image that cannot be loaded.
    """
    if params.source not in SOURCES:  # only a tampered state gets here: the widget offers SOURCES
        raise ValueError(t("pooling.unknown_source", source=params.source, sources=", ".join(SOURCES)))
    if params.source == "preset":
        return PRESET_MAP.copy()
    if params.source == "random":
        rng = np.random.default_rng(params.seed)
        return rng.integers(-9, 10, size=(params.rows, params.cols)).astype(np.float64)
    # Two decimals: every number in the figures and formulas is then exactly the value pooled.
    return np.round(load_sample(params.sample, size=params.sample_size)[0], 2)


def _controls() -> dict[str, Domain]:
    """The values each of the page's controls can hold, by its session key (the widgets' bounds below)."""
    seed = IntRange(0, 9999)
    # An output cell: the largest map (MAX_SIDE, padded on both sides) pooled by a 1 × 1 window at stride 1.
    cell = IntRange(0, MAX_SIDE + 2 * MAX_PADDING - 1)
    return {
        "pooling.source": Choice(SOURCES),
        "pooling.seed": seed,
        "pooling.rows": IntRange(1, MAX_SIDE),
        "pooling.cols": IntRange(1, MAX_SIDE),
        "pooling.sample": Choice(tuple(s.name for s in list_samples())),
        "pooling.sample_size": IntRange(4, MAX_SIDE),
        "pooling.mode": Choice(POOL_MODES),
        "pooling.size": IntRange(1, MAX_WINDOW),
        "pooling.stride": IntRange(1, MAX_STRIDE),
        "pooling.padding": IntRange(0, MAX_PADDING),
        "pooling.upstream": Choice(POOL_UPSTREAM),
        "pooling.upstream_seed": seed,
        "pooling.cell_0": cell,
        "pooling.cell_1": cell,
        "pooling.mistake": Choice(MISTAKE_CHOICES),
    }


CONTROLS = _controls()


def pooling_controls() -> PoolingParams:
    """Draw the pooling page's controls in one row of columns; return the chosen settings.

    Each widget is started from PoolingParams' defaults by its session key "pooling.<field>" (`start_value`),
    the one way the topic pages start their widgets; a value a control cannot hold is put back first.
    """
    keep_possible(CONTROLS)
    defaults = PoolingParams()
    for name, value in defaults._asdict().items():
        start_value(f"pooling.{name}", value)
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
    size = st.slider(t("pooling.size"), 1, MAX_WINDOW, key="pooling.size")
    stride = st.slider(
        t("pooling.stride"),
        1,
        MAX_STRIDE,
        key="pooling.stride",
        help=t("pooling.stride_help"),
    )
    padding = st.slider(
        t("pooling.padding"),
        0,
        MAX_PADDING,
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
        seed = int(st.number_input(t("pooling.upstream_seed"), 0, 9999, key="pooling.upstream_seed"))
    return upstream, seed


def _source_options(source: str, defaults: PoolingParams) -> dict[str, Any]:
    """The options of the chosen map source: a seed and a size, or an image and its size."""
    if source == "random":
        seed = st.number_input(t("pooling.seed"), 0, 9999, key="pooling.seed")
        rows_col, cols_col = st.columns(2)
        rows = rows_col.number_input(t("pooling.rows"), 1, MAX_SIDE, key="pooling.rows")
        cols = cols_col.number_input(t("pooling.cols"), 1, MAX_SIDE, key="pooling.cols")
        return {"seed": int(seed), "rows": int(rows), "cols": int(cols)}
    if source == "image":
        samples = {s.name: s.title for s in list_samples()}
        names = list(samples)
        sample = st.selectbox(
            t("pooling.sample"),
            names,
            format_func=samples.__getitem__,
            key="pooling.sample",
        )
        size = st.slider(
            t("pooling.sample_size"),
            4,
            MAX_SIDE,
            key="pooling.sample_size",
            help=t("pooling.sample_size_help"),
        )
        return {"sample": sample, "sample_size": int(size)}
    return {}
