"""What the activations page computes and draws, cached once for every session.

cache_resource, not cache_data: every session gets the one cached result instead of a pickled copy per
rerun (29 → 25 ms of server CPU a rerun); the page only reads these: mark_z and highlight_cell return
new specs and leave these as they are. Defined here rather than in the page script, which Streamlit runs
again on every rerun: a cache decorator run again hashes its function's source each time.
"""

from __future__ import annotations

from engine.activation_views import ActivationRun, run_activation
from engine.presets import kernel_preset
from engine.samples import load_sample
from ui.common.caching import cached_resource
from viz.activations import CurveLabels, MapLabels, curves_figure, maps_figure
from viz.animation import figure_spec


@cached_resource(max_entries=64)
def compute(
    kind: str, sample: str, size: int, kernel: str, bias: float, upstream: str, seed: int
) -> ActivationRun:
    """Convolve the sample with the kernel, apply the activation, push δ_A back (the engine's numbers)."""
    x = load_sample(sample, size=size)[0]
    return run_activation(x, kernel_preset(kernel, 3), bias, kind, upstream, seed)


@cached_resource(max_entries=32)
def curves_spec(settings: dict, labels: CurveLabels, presentation: bool) -> dict:
    """The curves figure without the chosen cell (that is added per rerun: choosing a cell stays cheap)."""
    run = compute(**settings)
    return figure_spec(curves_figure(labels, run.kind, z_cells=run.z, presentation=presentation))


@cached_resource(max_entries=32)
def maps_spec(settings: dict, labels: MapLabels, presentation: bool) -> dict:
    """The six maps without the chosen cell's outline."""
    return figure_spec(maps_figure(compute(**settings), labels, presentation=presentation))
