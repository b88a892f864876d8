"""What the matrix page computes and draws, cached once for every session (read-only results).

Defined here rather than in the page script, which Streamlit runs again on every rerun: a cache decorator
run again hashes its function's source each time.
"""

from __future__ import annotations

import numpy as np

from engine.matrix import MatrixRun, run_matrix
from ui.common.caching import cached_resource
from ui.common.i18n import t
from ui.matrix.controls import MatrixParams, values
from viz.matrix import MatrixLabels, backward_figure, forward_figure
from viz.numbers import figure_number


@cached_resource(max_entries=64)
def compute(params: MatrixParams) -> MatrixRun:
    """C, im2col and their products for these settings (an EngineError for settings that don't fit)."""
    x, w, delta = values(params)
    return run_matrix(x, w, delta, params.stride, params.padding, params.dilation)


@cached_resource(max_entries=128)
def figure(
    params: MatrixParams, kind: str, form: str, start: int, labels: MatrixLabels, presentation: bool
) -> dict:
    """One of the page's four animations ("forward" or "backward", form "C" or "im2col"), opening on step
    `start`: identical on every rerun with the same inputs (so its animation does not restart)."""
    build = forward_figure if kind == "forward" else backward_figure
    return build(compute(params), form, labels, start, presentation=presentation)


def figure_labels() -> MatrixLabels:
    """The figures' words in the session's language."""
    return MatrixLabels(
        step_prefix={
            "forward": t("matrix.fig.output_cell"),
            "backward_C": t("matrix.fig.input_cell"),
            "backward_im2col": t("matrix.fig.tap"),
        },
        speeds=(t("matrix.fig.slow"), t("matrix.fig.play"), t("matrix.fig.fast")),
        pause=t("matrix.fig.pause"),
    )


def differences(run: MatrixRun) -> dict[str, str]:
    """The largest difference of each product from the engine's layer, as the page writes it (float64
    rounding: 0 or ~1e-15)."""
    y, dx, dw, db = run.layer
    pairs = {"y": (run.y, y), "dx": (run.dx, dx), "dw": (run.dw, dw), "db": (run.db, db)}
    largest = {name: float(np.max(np.abs(np.subtract(a, b)))) for name, (a, b) in pairs.items()}
    return {name: figure_number(error, 2) for name, error in largest.items()}


def sizes(run: MatrixRun) -> str:
    """The sentence with the sizes of x, y, C and im2col, and how many of C's entries are taps."""
    m, n = run.C.shape
    filled = int(np.count_nonzero(run.taps >= 0))
    return t("matrix.sizes", n=n, m=m, taps=run.w.size, filled=filled, cells=m * n)


def read_by_no_window(run: MatrixRun, q: int) -> bool:
    """Whether column q of C is blank: no window reads input cell q (a stride or dilation steps over it)."""
    return not np.any(run.taps[:, q] >= 0)
