"""What the normalization page computes and draws, cached once for every session.

cache_resource, not cache_data: every session gets the one cached result instead of a pickled copy per
rerun (server CPU of a normalization rerun 49 → 45 ms); the page only reads what these return. Defined
here rather than in the page script, which Streamlit runs again on every rerun: a cache decorator run
again hashes its function's source each time.
"""

from __future__ import annotations

from engine.norm_views import ConcatRun, NormRun, run_concat, run_normalization
from ui.common.caching import cached_resource
from ui.normalization.controls import NormParams
from viz.animation import figure_spec
from viz.norm import (
    batchnorm_grids,
    concat_grids,
    maps_figure,
    split_grid,
)


@cached_resource(max_entries=64)
def compute(params: NormParams) -> NormRun:
    """Batch norm and split on seeded arrays (ValueError for settings the engine refuses)."""
    return run_normalization(**params._asdict())


@cached_resource(max_entries=64)
def compute_concat(C1: int, C2: int, seed: int) -> ConcatRun:
    """The concatenation of a C1-channel and a C2-channel array, forward and backward."""
    return run_concat(C1, C2, seed)


@cached_resource(max_entries=64)
def batchnorm_figures(params: NormParams, words: tuple[str, ...], presentation: bool) -> tuple[dict, dict]:
    """Forward (x, x̂, y) and backward (∂L/∂y, ∂L/∂x) maps: one row per example, one column per channel."""
    r = compute(params)
    forward, backward = batchnorm_grids(r.x, r.x_hat, r.y, r.dy, r.dx, words)
    rows = [f"{words[5]} {n + 1}" for n in range(r.x.shape[0])]
    return tuple(
        figure_spec(maps_figure(g, row_titles=rows, presentation=presentation)) for g in (forward, backward)
    )


@cached_resource(max_entries=64)
def split_figure(params: NormParams, words: tuple[str, ...], presentation: bool) -> dict:
    """The split: x and its two copies, then the gradient of each branch and their sum."""
    r = compute(params)
    return figure_spec(
        maps_figure(split_grid(r.split_x, r.split_grads, r.split_dx, words), presentation=presentation)
    )


@cached_resource(max_entries=64)
def concat_figures(C1: int, C2: int, seed: int, channel: str, presentation: bool) -> tuple[dict, dict]:
    """The concatenation forward (a and b, then y) and backward (∂L/∂y, then ∂L/∂a and ∂L/∂b)."""
    r = compute_concat(C1, C2, seed)
    grids = concat_grids(r.a, r.b, r.y, r.dy, r.da, r.db, channel)
    return tuple(figure_spec(maps_figure(g, presentation=presentation)) for g in grids)
