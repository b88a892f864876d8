"""The backward pass of one convolution layer as the backward page shows it: the names, by idea.

This module only re-exports, so that `from engine.backward_views import X` keeps working; each idea
lives in a module of its own:

- engine/gather.py: dX as a gather (δ spread by the stride, correlated with the kernel rotated by 180°),
  the scatter form tap by tap to compare, and how often each input cell is read (`overlap_count`).
- engine/layer_loss.py: where the gradient comes from: the losses (`LossSpec`), L and ∂L/∂A, the target
  map, and every gradient of the layer (`layer_gradients`).
- engine/layer_check.py: the gradient check of the whole layer (conv + σ + loss).
- engine/descent.py: learning the kernel by gradient descent, and the stable learning rate.
- engine/running_totals.py: running totals for the animations (dW row by row, a region's trace, the
  padding mask), beside engine/trace.py.
"""

from __future__ import annotations

from engine.descent import Descent, descend, descent_step, stable_learning_rate
from engine.gather import (
    GATHER_BLOCK_BYTES,  # a copy of the number: to change gather_dx's bands, patch engine.gather's
    GatherTerm,
    GatherView,
    OverlapCount,
    dilate_kernel,
    gather_dx,
    gather_dx_reference,
    gather_terms,
    overlap_count,
    scatter_dx_pad,
    spread_delta,
)
from engine.layer_check import KINKED, GradientCheck, gradient_check, sample_indices
from engine.layer_loss import (
    LOSSES,
    LayerGradients,
    LossSpec,
    check_loss,
    layer_gradients,
    loss_and_gradient,
    loss_terms,
    target_map,
)
from engine.running_totals import dw_by_row, input_padding_mask, region_trace
from engine.trace import running_dx_pad

# The backward page's old name for engine.trace.running_dx_pad (the same function: the running dX_pad
# over a crop). Kept only for code outside the engine that still imports it; use running_dx_pad.
running_dx_crop = running_dx_pad

__all__ = [
    "GATHER_BLOCK_BYTES",
    "KINKED",
    "LOSSES",
    "Descent",
    "GatherTerm",
    "GatherView",
    "GradientCheck",
    "LayerGradients",
    "LossSpec",
    "OverlapCount",
    "check_loss",
    "descend",
    "descent_step",
    "dilate_kernel",
    "dw_by_row",
    "gather_dx",
    "gather_dx_reference",
    "gather_terms",
    "gradient_check",
    "input_padding_mask",
    "layer_gradients",
    "loss_and_gradient",
    "loss_terms",
    "overlap_count",
    "region_trace",
    "running_dx_crop",
    "sample_indices",
    "scatter_dx_pad",
    "spread_delta",
    "stable_learning_rate",
    "target_map",
]
