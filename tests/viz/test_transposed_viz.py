"""viz/transposed.py: the stamp animation's frames, its size budget and its projector layout; the static
figures show the engine's arrays."""

from __future__ import annotations

import numpy as np
import pytest

from engine.transposed_trace import cell_terms, run_transposed
from tests.plotly_spec import decode
from viz.animation import spec_size
from viz.numbers import MIN_PROJECTED_PX
from viz.projector import HEIGHT
from viz.transposed import (
    CANVAS,
    STAMP,
    TEXT,
    TransposedLabels,
    overlap_figure,
    stamp_animation,
    zero_insert_figure,
)
from viz.transposed_tex import cell_latex, size_latex

LABELS = TransposedLabels(
    *(f"title {n}" for n in range(8)),
    step_prefix="cell ",
    speeds=("slow", "play", "fast"),
    pause="pause",
    step_line="x({i}, {j}) = {x}: {x}·W added at",
    step_where="rows {r0}…{r1}, columns {c0}…{c1}",
    cropped_hover="cropped",
    inserted_hover="inserted",
    padding_hover="padding",
    value_colorbar="value",
    count_colorbar="stamps",
)
# (H, W, K, stride, padding, output_padding, dilation)
CASES = [(3, 3, 3, 2, 0, 0, 1), (2, 5, 2, 1, 1, 0, 2), (6, 6, 5, 3, 0, 2, 3), (1, 1, 1, 1, 0, 0, 1)]


def run_of(case, rng):
    H, W, K, *hyper = case
    x, w = rng.integers(-3, 4, size=(H, W)).astype(float), rng.integers(-2, 3, size=(K, K)).astype(float)
    return run_transposed(x, w, *hyper)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("presentation", [False, True])
def test_one_frame_per_input_cell_naming_what_it_changes(case, presentation, rng) -> None:
    run = run_of(case, rng)
    spec = stamp_animation(run, LABELS, presentation=presentation)
    frames = spec["frames"]
    assert len(frames) == run.x.size
    assert all(frame["traces"] == [STAMP, CANVAS, TEXT] for frame in frames)
    assert len({len(frame["layout"]["shapes"]) for frame in frames}) == 1  # no highlight left behind
    for t, frame in enumerate(frames):
        np.testing.assert_array_equal(decode(frame["data"][1]["z"]), run.canvas_steps[t].astype(np.float32))
    i, j = divmod(len(frames) - 1, run.x.shape[1])
    np.testing.assert_array_equal(
        decode(frames[-1]["data"][0]["z"]), (run.x[i, j] * run.w).astype(np.float32)
    )
    assert spec_size(spec) < 1_000_000


def test_the_stamp_line_is_in_output_coordinates(rng) -> None:
    run = run_of((2, 2, 3, 2, 1, 0, 1), rng)
    spec = stamp_animation(run, LABELS)
    # Cell (0, 0) stamps canvas rows 0–2, which are output rows −1…1 (the padding crops row −1).
    assert spec["frames"][0]["data"][2]["text"][0].endswith("rows -1…1, columns -1…1")
    assert spec["data"][CANVAS]["y"][0] == -1


@pytest.mark.parametrize("case", CASES)
def test_on_a_projector_numbers_are_18_px_or_none_and_the_figure_fits(case, rng) -> None:
    spec = stamp_animation(run_of(case, rng), LABELS, presentation=True)
    assert spec["layout"]["height"] <= HEIGHT
    sizes = [trace["textfont"]["size"] for trace in spec["data"] if "texttemplate" in trace]
    assert all(size >= MIN_PROJECTED_PX for size in sizes)


def test_the_default_grids_all_print_their_numbers_on_a_projector(rng) -> None:
    spec = stamp_animation(run_of(CASES[0], rng), LABELS, presentation=True)
    assert sum("texttemplate" in trace for trace in spec["data"]) == 4


@pytest.mark.parametrize("case", CASES)
def test_static_figures_show_the_engines_arrays(case, rng) -> None:
    run = run_of(case, rng)
    zero = zero_insert_figure(run, LABELS)
    np.testing.assert_array_equal(decode(zero["data"][0]["z"]), run.view.padded[0, 0].astype(np.float32))
    np.testing.assert_array_equal(decode(zero["data"][3]["z"]), run.view.y[0, 0].astype(np.float32))
    shaded = ~np.isnan(decode(zero["data"][1]["z"]))
    assert shaded.sum() == run.view.padded[0, 0].size - run.x.size + _cropped_inputs(run)
    counts = overlap_figure(run, LABELS)
    np.testing.assert_array_equal(counts["data"][0]["z"], run.counts)


def _cropped_inputs(run) -> int:
    """Input cells the zero-insertion view crops away (its padding is negative when p > d·(K − 1))."""
    (top, bottom), (left, right) = run.view.pads
    s = run.geometry.stride[0]
    rows = [r for r in range(run.x.shape[0]) if -top <= r * s < run.view.spread.shape[2] + min(0, bottom)]
    cols = [c for c in range(run.x.shape[1]) if -left <= c * s < run.view.spread.shape[3] + min(0, right)]
    return run.x.size - len(rows) * len(cols)


def test_the_formulas_carry_the_numbers() -> None:
    run = run_transposed(np.array([[1.0, -2.0]]), np.array([[3.0, 1.0]]), stride=1)
    assert size_latex(run.geometry)[1].endswith(r"(2 - 1) \cdot 1 - 2 \cdot 0 + 1 \cdot (2 - 1) + 0 + 1 = 3")
    lines = cell_latex(cell_terms(run, 0, 1), 0, 1, run.y[0, 1])
    assert lines == [
        r"y_{0,1} = x_{0,0} W_{0,1} + x_{0,1} W_{0,0}",
        r"y_{0,1} = 1 \cdot 1 + (-2) \cdot 3 = -5",
    ]


@pytest.mark.parametrize("case", CASES)
def test_static_figures_on_a_projector_print_18_px_or_nothing(case, rng) -> None:
    run = run_of(case, rng)
    for spec in (
        zero_insert_figure(run, LABELS, presentation=True),
        overlap_figure(run, LABELS, presentation=True),
    ):
        sizes = [trace["textfont"]["size"] for trace in spec["data"] if "texttemplate" in trace]
        assert all(size >= MIN_PROJECTED_PX for size in sizes)
