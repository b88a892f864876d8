"""What the transposed page computes and draws, cached once for every session (read-only results).

Defined here rather than in the page script, which Streamlit runs again on every rerun: a cache decorator
run again hashes its function's source each time.
"""

from __future__ import annotations

import numpy as np

from engine.transposed_trace import TransposedRun, run_transposed
from ui.common.caching import cached_resource
from ui.common.i18n import t
from ui.transposed.controls import TransposedParams, input_map, kernel_map
from viz.numbers import figure_number
from viz.transposed import TransposedLabels, overlap_figure, stamp_animation, zero_insert_figure


@cached_resource(max_entries=64)
def compute(params: TransposedParams) -> TransposedRun:
    """The engine's transposed convolution for these settings (an EngineError for settings that don't fit)."""
    return run_transposed(
        input_map(params),
        kernel_map(params),
        params.stride,
        params.padding,
        params.output_padding,
        params.dilation,
    )


@cached_resource(max_entries=32)
def figures(
    params: TransposedParams, labels: TransposedLabels, presentation: bool
) -> tuple[dict, dict, dict]:
    """The stamp animation, the zero-insertion view and the overlap counts: identical on every rerun with
    the same inputs (so the animation does not restart)."""
    run = compute(params)
    return (
        stamp_animation(run, labels, presentation=presentation),
        zero_insert_figure(run, labels, presentation=presentation),
        overlap_figure(run, labels, presentation=presentation),
    )


def figure_labels() -> TransposedLabels:
    """The figures' words in the session's language."""
    return TransposedLabels(
        input_title=t("transposed.fig.input"),
        kernel_title=t("transposed.fig.kernel"),
        stamp_title=t("transposed.fig.stamp"),
        canvas_title=t("transposed.fig.canvas"),
        padded_title=t("transposed.fig.padded"),
        rotated_title=t("transposed.fig.rotated"),
        result_title=t("transposed.fig.result"),
        counts_title=t("transposed.fig.counts"),
        step_prefix=t("transposed.fig.step"),
        speeds=(t("transposed.fig.slow"), t("transposed.fig.play"), t("transposed.fig.fast")),
        pause=t("transposed.fig.pause"),
        step_line=t("transposed.fig.step_line"),
        step_where=t("transposed.fig.step_where"),
        cropped_hover=t("transposed.fig.cropped"),
        inserted_hover=t("transposed.fig.inserted"),
        padding_hover=t("transposed.fig.padding"),
        value_colorbar=t("transposed.fig.value_bar"),
        count_colorbar=t("transposed.fig.count_bar"),
    )


def differences(run: TransposedRun) -> tuple[str, str]:
    """The largest difference of the stamped output from the zero-insertion convolution and from the
    convolution's input gradient, as the page writes them (float64 rounding: 0 or ~1e-15)."""
    zero = float(np.max(np.abs(run.view.y[0, 0] - run.y)))
    backward = float(np.max(np.abs(run.dx - run.y)))
    return figure_number(zero, 2), figure_number(backward, 2)


def overlap_sentence(run: TransposedRun) -> str:
    """Why the overlap counts are even or make a checkerboard, with this run's K, s and d."""
    K, s, d = run.geometry.kernel[0], run.geometry.stride[0], run.geometry.dilation[0]
    if not any(run.uneven):
        return t("transposed.even", K=K, s=s)
    if d == 1:
        return t("transposed.uneven", K=K, s=s)
    return t("transposed.uneven_dilated", d=d, s=s, taps=", ".join(str(k * d) for k in range(K)))


def zero_insert_captions(run: TransposedRun) -> list[str]:
    """What the zero-insertion figure shows, with this run's numbers; a second sentence when the padding
    q = d·(K − 1) − p is negative and crops the zero-inserted input instead."""
    g = run.geometry
    (top, _), _ = run.view.pads  # q along the height; the page's hyper-parameters are the same on both axes
    q = figure_number(top)
    sentences = [
        t("transposed.zero_caption", gaps=g.stride[0] - 1, q=q, o=g.output_padding[0], d=g.dilation[0])
    ]
    if top < 0:
        sentences.append(t("transposed.zero_cropped", q=q, n=-top))
    return sentences
