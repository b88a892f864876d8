"""What the pooling page computes and draws, cached once for every session.

cache_resource, not cache_data: every session gets the one cached result instead of a pickled copy per
rerun (server CPU of a pooling rerun 31 → 24 ms, benchmarks/bench_hall.py --every-page); the page only
reads what these return. Defined here rather than in the page script, which Streamlit runs again on
every rerun: a cache decorator run again hashes its function's source each time.
"""

from __future__ import annotations

from engine.pool_trace import PoolingRun, run_pooling
from ui.common.caching import cached_resource
from ui.common.i18n import t
from ui.pooling.controls import PoolingParams, feature_map
from viz.pooling import PoolingLabels, forward_animation, routing_animation


@cached_resource(max_entries=64)
def compute(params: PoolingParams) -> PoolingRun:
    """The engine's forward and backward pass for these settings (ValueError for settings that don't fit)."""
    x = feature_map(params)
    return run_pooling(
        x, params.size, params.stride, params.padding, params.mode, params.upstream, params.upstream_seed
    )


@cached_resource(max_entries=32)
def figures(params: PoolingParams, labels: PoolingLabels, presentation: bool) -> tuple[dict, dict]:
    """The forward and routing animations: identical on every rerun with the same inputs (no restart)."""
    run = compute(params)
    return (
        forward_animation(run, labels, presentation=presentation),
        routing_animation(run, labels, presentation=presentation),
    )


def figure_labels() -> PoolingLabels:
    return PoolingLabels(
        input_title=t("pooling.fig.input"),
        output_title=t("pooling.fig.output"),
        upstream_title=t("pooling.fig.upstream"),
        dx_title=t("pooling.fig.dx"),
        value_colorbar=t("pooling.fig.value_bar"),
        gradient_colorbar=t("pooling.fig.gradient_bar"),
        step_prefix=t("pooling.fig.step"),
        speeds=(t("pooling.fig.slow"), t("pooling.fig.play"), t("pooling.fig.fast")),
        pause=t("pooling.fig.pause"),
        padding_hover=t("pooling.fig.padding"),
    )
