"""What the chain rule page computes and draws, cached once for every session.

cache_resource, not cache_data: every session gets the one cached result instead of a pickled copy per
rerun; the page only reads what these return. Defined here rather than in the page script, which
Streamlit runs again on every rerun: a cache decorator run again hashes its function's source each time.
"""

from __future__ import annotations

import engine.graph as graph_engine
from ui.common.caching import cached_resource
from viz.animation import figure_spec
from viz.graph import GraphLabels, graph_figure


@cached_resource(max_entries=64)
def compute(text: str, values: tuple[tuple[str, float], ...]) -> tuple[graph_engine.Graph, dict[str, float]]:
    """The graph, forward and backward, and the numerical gradients (ValueError for bad input)."""
    graph = graph_engine.build_graph(text, dict(values))
    return graph, graph_engine.numerical_gradients(graph.expression, dict(values))


@cached_resource(max_entries=256)
def figure(
    text: str, values: tuple[tuple[str, float], ...], step: int, labels: GraphLabels, presentation: bool
):
    """The graph after `step` backward steps, as a ready spec (the same figure for the same inputs)."""
    return figure_spec(graph_figure(compute(text, values)[0], step, labels, presentation=presentation))
