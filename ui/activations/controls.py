"""Controls of the activations page: the activation, the image and kernel, the upstream gradient."""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.activation_views import SATURATION, UPSTREAM_KINDS, ActivationRun, derivative_summary
from engine.activations import ACTIVATIONS, LEAKY_SLOPE
from engine.samples import list_samples
from ui.common.controls import keep_possible, start_value
from ui.common.i18n import t
from ui.common.links import Choice, Domain, FloatRange, IntRange, Nearest

# The activations page: 3 × 3 presets that give signed maps, working sizes, and its first settings.
ACTIVATION_KERNELS = (
    "sobel_x",
    "sobel_y",
    "laplacian",
    "outline",
    "sharpen",
    "emboss",
    "box_blur",
    "identity",
)
ACTIVATION_SIZES = (12, 16, 24, 32, 48, 64)
ACTIVATION_DEFAULTS = {
    "kind": "relu",
    "sample": "cat",
    "size": 48,
    "kernel": "sobel_x",
    "bias": 0.0,
    "upstream": "ones",
    "seed": 0,
}


# The values each of the page's controls can hold, by its session key (the widgets' bounds below).
_CELL = IntRange(0, max(ACTIVATION_SIZES) - 1)  # a cell of the largest map
CONTROLS: dict[str, Domain] = {
    "activations.kind": Choice(ACTIVATIONS),
    "activations.sample": Choice(tuple(s.name for s in list_samples())),
    "activations.size": Nearest(ACTIVATION_SIZES),
    "activations.kernel": Choice(ACTIVATION_KERNELS),
    "activations.bias": FloatRange(-2.0, 2.0),
    "activations.upstream": Choice(UPSTREAM_KINDS),
    "activations.seed": IntRange(0, 9999),
    "activations.cell_0": _CELL,
    "activations.cell_1": _CELL,
}


def activation_controls() -> dict[str, Any]:
    """Draw the activations page's controls in one row; return the chosen settings (`run_activation`'s).

    Each widget is started from ACTIVATION_DEFAULTS by its session key (`start_value`), the one way the
    topic pages start their widgets; a value a control cannot hold is put back first.
    """
    keep_possible(CONTROLS)
    for name, value in ACTIVATION_DEFAULTS.items():
        start_value(f"activations.{name}", value)
    kind_col, image_col, kernel_col, grad_col = st.columns([1.0, 1.2, 1.3, 1.0], gap="medium")
    kind = kind_col.radio(
        t("activations.kind"),
        ACTIVATIONS,
        format_func=lambda k: t(f"activations.kind.{k}"),
        key="activations.kind",
    )
    with image_col:
        sample, size = _image_controls()
    kernel = kernel_col.selectbox(
        t("activations.kernel"),
        ACTIVATION_KERNELS,
        format_func=lambda k: t(f"activations.kernel.{k}"),
        key="activations.kernel",
    )
    bias = kernel_col.slider(
        t("activations.bias"),
        -2.0,
        2.0,
        step=0.1,
        key="activations.bias",
        help=t("activations.bias_help"),
    )
    with grad_col:
        upstream, seed = _gradient_controls()
    bias = round(float(bias), 2)
    return {
        "kind": kind,
        "sample": sample,
        "size": size,
        "kernel": kernel,
        "bias": bias,
        "upstream": upstream,
        "seed": seed,
    }


def _image_controls() -> tuple[str, int]:
    """The sample image and its working size."""
    samples = {s.name: s.title for s in list_samples()}
    names = list(samples)
    sample = st.selectbox(
        t("activations.sample"),
        names,
        format_func=samples.__getitem__,
        key="activations.sample",
    )
    size = st.select_slider(
        t("activations.size"),
        ACTIVATION_SIZES,
        key="activations.size",
        help=t("activations.size_help"),
    )
    return sample, int(size)


def _gradient_controls() -> tuple[str, int]:
    """The upstream gradient δ_A: all ones, or random with a seed."""
    upstream = st.radio(
        t("activations.upstream"),
        UPSTREAM_KINDS,
        format_func=lambda u: t(f"activations.upstream.{u}"),
        key="activations.upstream",
    )
    seed = ACTIVATION_DEFAULTS["seed"]
    if upstream == "random":
        seed = int(st.number_input(t("activations.seed"), 0, 9999, key="activations.seed"))
    return upstream, seed


def activation_summary(run: ActivationRun) -> str:
    """The sentence under the maps: how many cells stop (or nearly stop) the gradient."""
    counts = derivative_summary(run)
    # ReLU stops the gradient (σ' = 0); leaky ReLU (σ' = α), sigmoid and tanh only shrink it.
    n = counts.zero if run.kind in ("relu", "identity") else counts.small
    return t(
        f"activations.summary.{run.kind}",
        n=f"{n:,}",
        total=f"{counts.total:,}",
        pct=f"{n / counts.total:.1%}",
        alpha=LEAKY_SLOPE,
        threshold=SATURATION,
    )
