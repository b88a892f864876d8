"""The pooling figures' plan on a projector: the opening figure fits the first screen, numbers at 18 px
or more or none, and a plan without numbers still builds (Plotly takes no font size 0)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.pool_trace import run_pooling
from viz.numbers import MIN_PROJECTED_PX
from viz.pooling import PoolingLabels, forward_animation, routing_animation
from viz.pooling_layout import PRESENTATION_MAX_HEIGHT

LABELS = PoolingLabels("X", "y", "δ", "dX", "v", "g", "step", ("slow", "play", "fast"), "pause", "pad")


@pytest.mark.parametrize(
    "side, size, stride, padding", [(6, 2, 2, 0), (6, 3, 1, 1), (16, 3, 1, 1), (16, 1, 1, 0)]
)
def test_the_opening_figure_fits_and_its_numbers_are_large_or_absent(side, size, stride, padding) -> None:
    x = np.round(np.random.default_rng(side).uniform(-9, 9, (side, side)), 1)
    run = run_pooling(x, size, stride, padding, "max", "random", 2)
    forward = forward_animation(run, LABELS, presentation=True)
    assert forward["layout"]["height"] <= PRESENTATION_MAX_HEIGHT
    for spec in (forward, routing_animation(run, LABELS, presentation=True)):
        for trace in spec["data"]:
            if trace.get("type") == "heatmap" and trace.get("texttemplate"):
                assert trace["textfont"]["size"] >= MIN_PROJECTED_PX
