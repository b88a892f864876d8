"""viz/matrix.py and viz/matrix_tex.py: one frame per row (forward) or column (backward), the highlighted row
or column where it should be, the panels the engine's arrays, sizes within the page's and the projector's
budgets, and the formulas' numbers."""

from __future__ import annotations

import numpy as np
import pytest

from engine.matrix import run_matrix
from tests.plotly_spec import decode
from viz.animation import spec_size
from viz.matrix import (
    ACROSS,
    DOWN,
    LEFT,
    MATRIX,
    RIGHT,
    TEXT,
    MatrixLabels,
    backward_figure,
    forward_figure,
)
from viz.matrix_tex import column_latex, row_latex, tap_latex
from viz.numbers import MIN_PROJECTED_PX
from viz.projector import HEIGHT

LABELS = MatrixLabels(
    step_prefix={"forward": "output ", "backward_C": "input ", "backward_im2col": "tap "},
    speeds=("slow", "play", "fast"),
    pause="pause",
)
# (H, W, K, stride, padding, dilation): the default, padding, non-square with stride, the largest C, 1 × 1.
CASES = [(4, 4, 3, 1, 0, 1), (3, 3, 2, 1, 1, 1), (5, 7, 3, 2, 1, 1), (8, 8, 1, 1, 3, 1), (1, 1, 1, 1, 0, 1)]
CASES += [(8, 7, 4, 3, 0, 2)]


def run_of(case, rng):
    H, W, K, *hyper = case
    x, w = rng.integers(-3, 4, size=(H, W)).astype(float), rng.integers(-2, 3, size=(K, K)).astype(float)
    return run_matrix(x, w, rng.integers(-2, 3, size=(14, 14)).astype(float), *hyper)


def band(spec: dict, frame: int) -> dict:
    """The highlighted row or column of the matrix in a frame (its second shape)."""
    return spec["frames"][frame]["layout"]["shapes"][1]


def matrix_origin(spec: dict) -> tuple[float, float]:
    trace = spec["data"][MATRIX]
    return trace["x0"], trace["y0"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("presentation", [False, True])
def test_forward_one_frame_per_output_cell_with_its_row_outlined(case, presentation, rng) -> None:
    run = run_of(case, rng)
    m, n = run.C.shape
    for form in ("C", "im2col"):
        spec = forward_figure(run, form, LABELS, presentation=presentation)
        frames = spec["frames"]
        assert len(frames) == m
        assert all(frame["traces"] == [TEXT] for frame in frames)
        assert len({len(frame["layout"]["shapes"]) for frame in frames}) == 1  # no highlight left behind
        x0, y0 = matrix_origin(spec)
        width = n if form == "C" else run.w.size
        for r in range(m):
            shape = band(spec, r)
            assert (shape["y0"], shape["y1"]) == (y0 + r - 0.5, y0 + r + 0.5)
            assert (shape["x0"], shape["x1"]) == (x0 - 0.5, x0 + width - 0.5)
        i, j = divmod(m - 1, run.y.shape[1])
        assert frames[-1]["data"][0]["text"][0].startswith(f"y({i}, {j}) = ")


def test_forward_panels_are_the_engines_arrays(rng) -> None:
    run = run_of((5, 7, 3, 2, 1, 1), rng)
    spec = forward_figure(run, "C", LABELS)
    matrix = decode(spec["data"][MATRIX]["z"])
    assert matrix.shape == run.C.shape
    # Entries C does not have are blank (NaN); a tap whose weight is 0 is an entry, drawn as 0.
    np.testing.assert_array_equal(np.isnan(matrix), run.taps < 0)
    np.testing.assert_array_equal(matrix[run.taps >= 0], run.C[run.taps >= 0].astype(np.float32))
    np.testing.assert_array_equal(decode(spec["data"][ACROSS]["z"]).ravel(), run.x.ravel())
    np.testing.assert_array_equal(decode(spec["data"][DOWN]["z"]).ravel(), run.y.ravel())
    np.testing.assert_array_equal(decode(spec["data"][LEFT]["z"]), run.x)
    np.testing.assert_array_equal(decode(spec["data"][RIGHT]["z"]), run.y)
    im2col = forward_figure(run, "im2col", LABELS)
    np.testing.assert_array_equal(decode(im2col["data"][MATRIX]["z"]), run.im2col.astype(np.float32))
    np.testing.assert_array_equal(decode(im2col["data"][ACROSS]["z"]).ravel(), run.w.ravel())


def test_the_start_frame_is_the_chosen_row(rng) -> None:
    run = run_of((4, 4, 3, 1, 0, 1), rng)
    spec = forward_figure(run, "C", LABELS, start=3)
    assert spec["layout"]["shapes"] == spec["frames"][3]["layout"]["shapes"]
    assert spec["layout"]["sliders"][0]["active"] == 3
    assert spec["data"][TEXT]["text"] == spec["frames"][3]["data"][0]["text"]
    # The window of output cell (1, 1) on the input grid: rows 1–3, columns 1–3 (a path of 9 cells).
    window = spec["layout"]["shapes"][4]["path"]
    assert window.count("Z") == 9


@pytest.mark.parametrize("case", CASES)
def test_backward_one_frame_per_column_with_it_outlined(case, rng) -> None:
    run = run_of(case, rng)
    m, n = run.C.shape
    for form, columns in (("C", n), ("im2col", run.w.size)):
        spec = backward_figure(run, form, LABELS)
        assert len(spec["frames"]) == columns
        x0, y0 = matrix_origin(spec)
        for q in range(columns):
            shape = band(spec, q)
            assert (shape["x0"], shape["x1"]) == (x0 + q - 0.5, x0 + q + 0.5)
            assert (shape["y0"], shape["y1"]) == (y0 - 0.5, y0 + m - 0.5)
        expected = run.dx if form == "C" else run.dw
        np.testing.assert_array_equal(decode(spec["data"][ACROSS]["z"]).ravel(), expected.ravel())
        np.testing.assert_array_equal(decode(spec["data"][DOWN]["z"]).ravel(), run.delta.ravel())
        # The row vector (the result) is under the matrix.
        assert spec["data"][ACROSS]["y0"] > y0 + m - 1


@pytest.mark.parametrize("case", CASES)
def test_on_a_projector_numbers_are_18_px_or_none_and_the_figure_fits(case, rng) -> None:
    run = run_of(case, rng)
    for spec in (forward_figure(run, "C", LABELS, presentation=True),
                 backward_figure(run, "im2col", LABELS, presentation=True)):  # fmt: skip
        sizes = [trace["textfont"]["size"] for trace in spec["data"] if "texttemplate" in trace]
        assert all(size >= MIN_PROJECTED_PX for size in sizes)
        assert spec["layout"]["height"] <= HEIGHT


def test_the_default_prints_every_number_on_a_projector(rng) -> None:
    spec = forward_figure(run_of((4, 4, 3, 1, 0, 1), rng), "C", LABELS, presentation=True)
    assert sum("texttemplate" in trace for trace in spec["data"]) == 5  # X, C, vec(x), y, Y


def test_the_largest_figure_stays_small(rng) -> None:
    run = run_of((8, 8, 1, 1, 3, 1), rng)  # C is 196 × 64, 196 frames
    assert spec_size(forward_figure(run, "C", LABELS)) < 1_000_000


def test_the_formulas_write_the_numbers_of_the_row_and_the_column() -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    w = np.array([[1.0, -1.0], [2.0, 0.5]])
    run = run_matrix(x, w, np.array([[1.0, -2.0], [0.0, 3.0]]))
    row = row_latex(run, 0)
    assert row[0] == r"y_{0,0} = \sum_{q} C_{0,q}\, x_q"
    assert row[1] == r"= W_{0,0}\, x_{0,0} + W_{0,1}\, x_{0,1} + W_{1,0}\, x_{1,0} + W_{1,1}\, x_{1,1}"
    assert row[2] == r"= 1 \cdot 1 + (-1) \cdot 2 + 2 \cdot 4 + 0.5 \cdot 5 = 9.5"
    column = column_latex(run, 4)  # x(1, 1): read by all four windows
    assert column[2] == r"= 0.5 \cdot 1 + 2 \cdot (-2) + (-1) \cdot 0 + 1 \cdot 3 = -0.5"
    dw = tap_latex(run, 0)
    assert dw[2] == r"= 1 \cdot 1 + 2 \cdot (-2) + 4 \cdot 0 + 5 \cdot 3 = 12"
    assert dw[3] == r"db = \sum_{r} \delta_r = 1 + (-2) + 0 + 3 = 2"
