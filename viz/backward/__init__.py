"""Figures of the backward-pass page: gradients as heatmaps, the animated backward pass, dX two ways,
the gradient check and the kernel learning its target.

Every figure is a plain Plotly spec (dicts with typed arrays), like viz/forward.py: animated ones are
cached and sent as they are. Signed quantities use the diverging scale with symmetric limits (white is
0); titles carry each array's shape, which is the shape of what the gradient belongs to. Axis ranges are
fixed and figure heights follow the maps' aspect ratios, so cells stay square and fill their panels.

Where each idea lives:
    common     what every figure shares: panel axes, heatmaps, full-resolution maps (`map_traces`,
               EXACT_CELLS), number sizes (`cell_numbers`), printed factors (`grid_scale`), `side_by_side`
    maps       the static heatmaps: `chain_figure`, `weight_gradients_figure`, `input_gradient_figure`
    animation  the animated backward pass over a crop: `backward_animation`, `AnimationLabels`,
               `max_backward_steps`, `backward_input_crop`, the trace order (DX, DW_STEP, …, TEXT), and
               `projector_crop_side` (the crop presentation mode animates, viz.projector)
    sweep      the whole image row by row: `backward_sweep`, `SweepLabels`, MAX_SWEEP_FRAMES
    gather     scatter and gather: `gather_figure` (dX two ways), `overlap_figure` (windows per cell)
    check      the gradient check: `check_figure`, `CheckLabels`
    descent    learning the kernel: `descent_figure`, `DescentLabels`, MAX_DESCENT_FRAMES
"""

from viz.backward.animation import (
    DW_STEP,
    DW_TOTAL,
    DX,
    DX_STEP,
    TEXT,
    AnimationLabels,
    backward_animation,
    backward_input_crop,
    max_backward_steps,
)
from viz.backward.check import CheckLabels, check_figure
from viz.backward.common import EXACT_CELLS, grid_scale, side_by_side
from viz.backward.descent import MAX_DESCENT_FRAMES, DescentLabels, descent_figure
from viz.backward.gather import gather_figure, overlap_figure
from viz.backward.maps import chain_figure, input_gradient_figure, weight_gradients_figure
from viz.backward.sweep import MAX_SWEEP_FRAMES, SweepLabels, backward_sweep

__all__ = [
    "DW_STEP",
    "DW_TOTAL",
    "DX",
    "DX_STEP",
    "EXACT_CELLS",
    "MAX_DESCENT_FRAMES",
    "MAX_SWEEP_FRAMES",
    "TEXT",
    "AnimationLabels",
    "CheckLabels",
    "DescentLabels",
    "SweepLabels",
    "backward_animation",
    "backward_input_crop",
    "backward_sweep",
    "chain_figure",
    "check_figure",
    "descent_figure",
    "gather_figure",
    "grid_scale",
    "input_gradient_figure",
    "max_backward_steps",
    "overlap_figure",
    "side_by_side",
    "weight_gradients_figure",
]
