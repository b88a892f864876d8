"""What the dense page computes and draws, cached once for every session.

A run is fixed by its inputs: hashing those few arrays (RUN_HASH) is much cheaper than hashing every
array of the run. cache_resource: every session shares the one result read-only, no pickled copy per
rerun. Defined here rather than in the page script, which Streamlit runs again on every rerun: a cache
decorator run again hashes its function's source each time.
"""

from __future__ import annotations

import engine.network as network
from ui.common.caching import cached_resource
from ui.dense.controls import (
    example_digest,
    run_digest,
)
from viz.animation import figure_spec
from viz.network import (
    DiagramLabels,
    matrices_figure,
    network_figure,
)

RUN_HASH = {network.NetworkRun: run_digest, network.NetworkExample: example_digest}


@cached_resource(max_entries=64, hash_funcs=RUN_HASH)
def compute(example: network.NetworkExample, lr: float) -> network.NetworkRun:
    """Forward, backward, gradient check and one update (ValueError for numbers that don't fit)."""
    return network.run_network(example, lr)


@cached_resource(max_entries=64, hash_funcs=RUN_HASH)
def diagram(
    run: network.NetworkRun, backward: bool, n: int, labels: DiagramLabels, presentation: bool
) -> dict:
    """The network diagram: activations and weights, or δ and ∂L/∂W (example n), as a ready spec."""
    if backward:
        fig = network_figure(run.dw, [None, *(d[n] for d in run.deltas)], labels, presentation=presentation)
    else:
        fig = network_figure(run.example.weights, [a[n] for a in run.a], labels, presentation=presentation)
    return figure_spec(fig)


@cached_resource(max_entries=64, hash_funcs=RUN_HASH)
def matrices(run: network.NetworkRun, l: int, titles: tuple[str, str, str], presentation: bool) -> dict:
    """W_l, ∂L/∂W_l and W_l after the step as heatmaps with numbers, as a ready spec."""
    matrices = (run.example.weights[l - 1], run.dw[l - 1], run.new_weights[l - 1])
    panels = list(zip(titles, matrices, ("w", "dw", "w")))  # W before and after share a colour scale
    return figure_spec(matrices_figure(panels, presentation=presentation))
