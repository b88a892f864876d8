"""engine/backward_views.py only re-exports: every name it had is still there, the one its module defines.

The backward page's engine is tested where each idea lives: tests/engine/test_gather.py,
test_layer_loss.py, test_layer_check.py, test_descent.py and test_running_totals.py.
"""

from __future__ import annotations

import importlib

import pytest

from engine import backward_views
from engine.trace import running_dx_pad

# Each name backward_views had before it was split, and the module that defines it now.
HOMES = {
    "engine.gather": [
        "GATHER_BLOCK_BYTES", "GatherTerm", "GatherView", "OverlapCount", "dilate_kernel", "gather_dx",
        "gather_dx_reference", "gather_terms", "overlap_count", "scatter_dx_pad", "spread_delta",
    ],
    "engine.layer_loss": [
        "LOSSES", "LayerGradients", "LossSpec", "check_loss", "layer_gradients", "loss_and_gradient",
        "loss_terms", "target_map",
    ],
    "engine.layer_check": ["KINKED", "GradientCheck", "gradient_check", "sample_indices"],
    "engine.descent": ["Descent", "descend", "descent_step", "stable_learning_rate"],
    "engine.running_totals": ["dw_by_row", "input_padding_mask", "region_trace"],
}  # fmt: skip


@pytest.mark.parametrize(("module", "name"), [(m, n) for m, names in HOMES.items() for n in names])
def test_each_name_is_its_modules_own(module, name):
    assert getattr(backward_views, name) is getattr(importlib.import_module(module), name)


def test_all_lists_exactly_the_old_names():
    old = {name for names in HOMES.values() for name in names} | {"running_dx_crop"}
    assert set(backward_views.__all__) == old


def test_running_dx_crop_is_running_dx_pad():
    assert backward_views.running_dx_crop is running_dx_pad
