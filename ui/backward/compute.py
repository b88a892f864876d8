"""Cached engine results and figure specs of the backward page.

Every result is keyed by `problem_key(setup)` (the setup's digest, `ConvSetup.key`, and the flip that
the target kernels follow) and the loss choice: short values that Streamlit hashes in microseconds. The
arrays, labels and titles are passed as `_`-prefixed arguments, which it does not hash (words depend
only on the language and on what the key already says). Figures are cached as resources, already
wrapped for st.plotly_chart, so that a rerun that changes nothing sends the same spec (an animation
playing in the browser is not restarted) and costs a dictionary lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import streamlit as st

from engine.conv import flip_kernel
from engine.descent import stable_learning_rate
from engine.gather import GatherView, gather_dx, overlap_count, scatter_dx_pad
from engine.geometry import ConvGeometry, conv_geometry
from engine.layer_check import GradientCheck, gradient_check
from engine.layer_loss import LayerGradients, LossSpec, layer_gradients, target_map
from engine.mistakes import NONE, planted
from engine.presets import kernel_preset, random_kernel
from engine.running_totals import dw_by_row, input_padding_mask, region_trace
from engine.trace import BackwardTrace, running_dx_pad
from ui.backward.controls import CheckSettings, LossChoice
from ui.common.caching import cached_data, cached_resource
from ui.conv.compute import input_picture
from ui.conv.controls import ConvSetup
from ui.conv.state import RANDOM
from viz.animation import prebuilt_figure
from viz.backward import (
    AnimationLabels,
    CheckLabels,
    SweepLabels,
    backward_animation,
    backward_input_crop,
    backward_sweep,
    chain_figure,
    check_figure,
    gather_figure,
    input_gradient_figure,
    overlap_figure,
    weight_gradients_figure,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

TARGET_SEED = 2024  # the random target kernel is the same for everyone
# Work (multiply-adds of one forward pass × entries) the gradient check may spend by default: about a
# second. Larger inputs check fewer entries per array (at least MIN_CHECKED).
CHECK_WORK = 2e7
MIN_CHECKED = 5


class BackwardPass(NamedTuple):
    """The layer's backward pass for one loss, with the target map the MSE loss pulls toward."""

    grads: LayerGradients
    target: np.ndarray | None  # (F, H_out, W_out) for the MSE loss, else None


def problem_key(setup: ConvSetup) -> tuple[str, bool]:
    """What every result of the page depends on besides the loss: the setup's digest, and the flip."""
    return setup.key, bool(st.session_state["conv.flip"])


def geometry_of(setup: ConvSetup) -> ConvGeometry:
    """The resolved hyper-parameters (ValueError with a sentence when impossible)."""
    return conv_geometry((1, *setup.image.shape), setup.kernels.shape, **setup.hyper)


def relevant(choice: LossChoice) -> LossChoice:
    """The choice with the parts its loss does not use blanked, so they do not split the caches."""
    if choice.kind == "sum":
        return choice._replace(target="", cell=(0, 0, 0))
    if choice.kind == "mse":
        return choice._replace(cell=(0, 0, 0))
    return choice._replace(target="")


def target_kernels(shape: tuple[int, ...], name: str, flip: bool) -> np.ndarray:
    """The target (a preset, or a seeded random kernel) for every kernel, (F, C, KH, KW); presets are
    flipped like the kernels are, and used on every channel."""
    if name == RANDOM:
        return np.broadcast_to(random_kernel(shape[1:], TARGET_SEED), shape).copy()
    w = np.broadcast_to(kernel_preset(name, shape[2]), shape).copy()
    return flip_kernel(w) if flip else w


def kernel_free_key(setup: ConvSetup, flip: bool) -> tuple:
    """What a result depends on when it does not depend on the kernels' numbers or biases: the image,
    the kernels' shape, the geometry, the activation and the flip (a new weight or bias reuses it)."""
    hyper = tuple(sorted((setting, str(value)) for setting, value in setup.hyper.items()))
    return setup.image_key, setup.kernels.shape, hyper, setup.activation, flip


def target_for(key: tuple, name: str, setup: ConvSetup) -> tuple[np.ndarray, np.ndarray]:
    """The target kernels and the map they make on the same image: (F, C, KH, KW), (F, H_out, W_out)."""
    return _target(kernel_free_key(setup, key[-1]), name, setup)


# The whole-image results are large (a 512² RGB image with four kernels: ~50 MB for a backward pass,
# as much again for a gather view): few entries, so a lecture hall's server keeps its memory.
@cached_resource(max_entries=8)
def _target(what: tuple, name: str, _setup: ConvSetup) -> tuple[np.ndarray, np.ndarray]:
    w = target_kernels(_setup.kernels.shape, name, what[-1])
    F = w.shape[0]
    return w, target_map(_setup.image, w, np.zeros(F), _setup.activation, **_setup.hyper)


@cached_resource(max_entries=8)
def backward_pass(key: tuple, choice: LossChoice, _setup: ConvSetup) -> BackwardPass:
    """L, ∂L/∂A, σ'(Z), δ, dX, dW and db on the whole image (ValueError for a loss that does not fit)."""
    target = None
    if choice.kind == "mse":
        target = target_for(key, choice.target, _setup)[1]
        spec = LossSpec("mse", target)
    elif choice.kind == "impulse":
        spec = LossSpec("impulse", cell=choice.cell)
    else:
        spec = LossSpec("sum")
    s = _setup
    return BackwardPass(layer_gradients(s.image, s.kernels, s.biases, s.activation, spec, **s.hyper), target)


def loss_spec(run: BackwardPass, choice: LossChoice) -> LossSpec:
    """The engine's LossSpec of a choice (with its target map)."""
    return LossSpec(choice.kind, run.target, choice.cell if choice.kind == "impulse" else None)


# --- static figures -------------------------------------------------------------------------------------


@cached_resource(max_entries=32)
def chain_spec(
    key: tuple,
    choice: LossChoice,
    f: int,
    part: str,
    cell: tuple[int, int] | None,
    region: tuple | None,
    language: str,
    presentation: bool,
    _run: BackwardPass,
    _titles: tuple[str, ...],
    _hint: str,
    _constant: str,
) -> go.Figure:
    """Maps of kernel f: part "loss" shows A (and T for MSE); part "delta" shows ∂L/∂A ⊙ σ'(Z) = δ."""
    g = _run.grads
    if part == "loss":
        maps = [g.a[f]] + ([_run.target[f]] if _run.target is not None else [])
        operators: tuple[str, ...] = ()
    else:
        maps, operators = [g.da[f], g.dsigma[f], g.delta[f]], ("⊙", "=")
    spec = chain_figure(
        list(zip(_titles, maps)),
        slots=3,
        operators=operators,
        cell=cell,
        region=region,
        click_hint=_hint,
        constant_text=_constant,
        presentation=presentation,
    )
    return prebuilt_figure(spec)


@cached_resource(max_entries=16)
def weights_spec(
    key: tuple,
    choice: LossChoice,
    language: str,
    presentation: bool,
    _run: BackwardPass,
    _dw_titles: tuple,
    _db_titles: tuple,
) -> go.Figure:
    """dW per kernel and channel, and db."""
    g = _run.grads
    spec = weight_gradients_figure(g.dw, g.db, _dw_titles, _db_titles, presentation=presentation)
    return prebuilt_figure(spec)


@cached_resource(max_entries=8)
def input_spec(
    key: tuple,
    choice: LossChoice,
    language: str,
    presentation: bool,
    _setup: ConvSetup,
    _run: BackwardPass,
    _titles: tuple[str, ...],
    _bar: str,
) -> go.Figure:
    """The input and dX per channel."""
    picture = input_picture(_setup.image_key, _setup)
    spec = input_gradient_figure(
        picture, _run.grads.dx, _titles, colorbar_title=_bar, presentation=presentation
    )
    return prebuilt_figure(spec)


# --- animations -----------------------------------------------------------------------------------------


@cached_resource(max_entries=8)
def animation_spec(
    key: tuple,
    choice: LossChoice,
    f: int,
    channel: int,
    region: tuple,
    start: int,
    language: str,
    presentation: bool,
    _setup: ConvSetup,
    _run: BackwardPass,
    _labels: AnimationLabels,
) -> tuple[BackwardTrace, go.Figure]:
    """The trace of kernel f over the crop and its animated figure."""
    s = _setup
    trace = region_trace(s.image, s.kernels[f], _run.grads.delta[f], _run.grads.geometry, region)
    rows, cols = backward_input_crop(trace)
    frames = running_dx_pad(trace, rows, cols)
    start = int(np.clip(start, 0, len(trace.steps) - 1))
    mask = input_padding_mask(trace.geometry)
    spec = backward_animation(
        trace, frames, mask, _labels, channel=channel, start=start, presentation=presentation
    )
    return trace, prebuilt_figure(spec)


@cached_resource(max_entries=8)
def sweep_spec(
    key: tuple,
    choice: LossChoice,
    f: int,
    channel: int,
    language: str,
    presentation: bool,
    _setup: ConvSetup,
    _run: BackwardPass,
    _labels: SweepLabels,
) -> go.Figure:
    """The row-by-row sweep of kernel f's backward pass over the whole image."""
    s, g = _setup, _run.grads
    # dX of kernel f alone: the layer's dX when it has one kernel, else that kernel's gather form.
    one = g.delta.shape[0] == 1
    dx = (g.dx if one else gather_dx(g.delta[f : f + 1], s.kernels[f : f + 1], g.geometry).dx)[channel]
    rows = dw_by_row(s.image, g.delta[f], g.geometry)
    picture = input_picture(s.image_key, s)
    spec = backward_sweep(picture, g.delta[f], dx, rows, g.geometry, _labels, presentation=presentation)
    return prebuilt_figure(spec)


# --- scatter and gather ---------------------------------------------------------------------------------


class GatherResult(NamedTuple):
    """dX of one kernel both ways, and how far apart they are."""

    view: GatherView  # gather form, kernel f only
    scatter_dx_pad: np.ndarray  # (C, H_pad, W_pad) the scatter form (engine.gather), kernel f only
    is_padding: np.ndarray  # (H_pad, W_pad) bool
    gap: float  # max |gather − scatter| over dX_pad
    gap_total: float  # max |Σ_f gather − conv2d_backward's dX| over every kernel


@cached_resource(max_entries=4)
def gather_of(key: tuple, choice: LossChoice, f: int, _setup: ConvSetup, _run: BackwardPass) -> GatherResult:
    """gather_dx for kernel f, the scatter form for the same kernel, and the check over all kernels."""
    s, g = _setup, _run.grads
    view = gather_dx(g.delta[f : f + 1], s.kernels[f : f + 1], g.geometry)
    scatter = scatter_dx_pad(g.delta[f : f + 1], s.kernels[f : f + 1], g.geometry)
    # With one kernel its gather view is already the whole dX; with several, gather them all.
    total = view.dx if s.kernels.shape[0] == 1 else gather_dx(g.delta, s.kernels, g.geometry).dx
    return GatherResult(
        view,
        scatter,
        input_padding_mask(g.geometry),
        float(np.max(np.abs(view.dx_pad - scatter))),
        float(np.max(np.abs(total - g.dx))),
    )


@cached_resource(max_entries=16)
def gather_spec(
    key: tuple,
    choice: LossChoice,
    f: int,
    channel: int,
    language: str,
    presentation: bool,
    _result: GatherResult,
    _titles: tuple[str, ...],
) -> go.Figure:
    """The scatter-and-gather figure of kernel f."""
    r = _result
    spec = gather_figure(
        r.view, r.scatter_dx_pad, r.is_padding, _titles, channel=channel, presentation=presentation
    )
    return prebuilt_figure(spec)


@cached_resource(max_entries=16)
def overlap_spec(
    geometry: ConvGeometry, language: str, presentation: bool, _title: str, _bar: str
) -> tuple[np.ndarray, go.Figure]:
    """How many windows read each padded cell, and its figure."""
    counts = overlap_count(geometry)
    spec = overlap_figure(
        counts.padded, input_padding_mask(geometry), _title, _bar, presentation=presentation
    )
    return counts.padded, prebuilt_figure(spec)


# --- gradient check and learning ------------------------------------------------------------------------


def check_limit(setup: ConvSetup, geometry: ConvGeometry, wanted: int) -> int:
    """Entries per array the check can afford on this input: `wanted`, fewer on large images."""
    F, C, KH, KW = setup.kernels.shape
    work = F * C * KH * KW * geometry.out_size[0] * geometry.out_size[1]
    return int(max(MIN_CHECKED, min(wanted, CHECK_WORK // max(1, work))))


@cached_data(max_entries=16)
def run_check(
    key: tuple, choice: LossChoice, settings: CheckSettings, _setup: ConvSetup, _run, mistake: str = NONE
) -> GradientCheck:
    """The gradient check of the whole layer for these settings, of the engine's backward pass or of one
    with a planted mistake (engine.mistakes)."""
    s = _setup
    spec = loss_spec(_run, choice)
    limit = check_limit(s, _run.grads.geometry, settings.limit)
    return gradient_check(
        s.image,
        s.kernels,
        s.biases,
        s.activation,
        spec,
        eps=settings.eps,
        richardson=settings.richardson,
        limit=limit,
        gradients=planted(mistake),
        **s.hyper,
    )


def stable_lr(key: tuple, setup: ConvSetup, geometry: ConvGeometry) -> float:
    """The largest η that converges with no activation (engine.descent.stable_learning_rate)."""
    return _stable_lr(kernel_free_key(setup, key[-1]), setup, geometry)


@cached_resource(max_entries=16)
def _stable_lr(what: tuple, _setup: ConvSetup, _geometry: ConvGeometry) -> float:
    return stable_learning_rate(_setup.image, _geometry)


@cached_resource(max_entries=8)
def check_spec(
    key: tuple,
    choice: LossChoice,
    settings: CheckSettings,
    language: str,
    presentation: bool,
    _check: GradientCheck,
    _labels: CheckLabels,
    mistake: str = NONE,
) -> go.Figure:
    """The gradient check's figure (of the engine's backward pass, or of one with a planted mistake)."""
    return prebuilt_figure(check_figure(_check, _labels, presentation=presentation))
