"""The forward page's sections: the output size, the animated step by step, and the whole image.

Each takes the `Forward` problem the page settled on (the setup and its feature maps, or the last good ones
when a new setting was refused) and draws one part of the page.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

import ui.common.tour as tour
from engine import conv_reference
from engine.geometry import conv_output_size, window_slices
from engine.trace import strongest_cell
from ui.common.controls import clicker_hint
from ui.common.display import math_block, show_figure, show_source
from ui.common.exports import export_panel
from ui.common.i18n import current_language, t
from ui.common.links import sync_url
from ui.common.state import bind
from ui.conv import predict
from ui.conv.code import code_panel, layer_code
from ui.conv.compute import (
    ForwardMaps,
    crop_region,
    feature_maps_spec,
    forward_animation_spec,
    sweep_spec,
)
from ui.conv.controls import ConvSetup
from ui.conv.explain import forward_formula_tex, output_size_tex, step_tex
from ui.conv.labels import ACTIVATION_TEX, feature_map_labels, forward_labels
from ui.conv.tour import FORWARD_STEPS, forward_tour
from ui.conv.view import (
    STEP_KEY,
    clicked_cell,
    crop_side,
    crop_size_control,
    focus_step,
    rerun_fragment,
    shape_line,
    step_buttons,
    step_layout,
)
from viz.forward import max_animation_steps, projector_crop_side
from viz.gif import forward_trace_gif
from viz.theme import symmetric_limits as map_limits


class Forward(NamedTuple):
    """What the forward page shows: a convolution setup and its feature maps."""

    setup: ConvSetup
    maps: ForwardMaps


def _presentation() -> bool:
    return bool(st.session_state["presentation"])


def output_size(p: Forward) -> None:
    """Every shape in one line, and the output-size formula per axis with this layer's numbers (once
    predicted, with predictions on)."""
    if not predict.output_size_asked(p.maps.geometry, p.setup.key):
        return
    axes = ((0, t("conv.axis_height")), (1, t("conv.axis_width")))
    # On a projector the figure comes first; the tour's step "size" has the formula.
    formulas = (
        [] if _presentation() else [output_size_tex(p.maps.geometry, axis, name) for axis, name in axes]
    )
    math_block(
        f"**{t('forward.output_size')}** · {shape_line(p.setup, p.maps.geometry)}",
        formulas,
        _same_at_a_stride(p, axes),
    )


def _same_at_a_stride(p: Forward, axes) -> str | None:
    """The rule "same" follows at a stride above 1 (TensorFlow's), with this layer's numbers; else None."""
    g = p.maps.geometry
    if p.setup.padding != "same" or max(g.stride) == 1:
        return None
    parts = [
        t(
            "forward.same_axis",
            axis=name,
            n=g.in_size[a],
            s=g.stride[a],
            out=g.out_size[a],
            before=g.padding[a][0],
            after=g.padding[a][1],
        )
        for a, name in axes
    ]
    return t("forward.same_strided", axes="; ".join(parts))


def kernel_title(p: Forward, k: int) -> str:
    return t("forward.fig.map_title", n=k + 1, name=p.setup.kernel_names[k])


def current_region(p: Forward) -> tuple[int, int, int, int]:
    """The output cells the step-by-step view animates (the crop is shared with the backward page)."""
    g, state = p.maps.geometry, st.session_state
    limit = max_animation_steps(p.setup.image.shape[0], g.kernel, g.dilation != (1, 1))
    n = min(state["conv.anim_kernel"], p.maps.z.shape[0] - 1)
    focus = strongest_cell(p.maps.z[n], g)  # an edge, where no crop was chosen
    side = _crop_side(p)
    return crop_region(g.out_size, state["conv.crop_i"], state["conv.crop_j"], side, limit, focus)


def _crop_side(p: Forward) -> int:
    g = p.maps.geometry
    return crop_side(projector_crop_side(g.kernel, g.stride, g.dilation))


def _kernel_pick(p: Forward, container) -> int:
    """Which kernel the step-by-step view animates (kept in range when kernels were removed)."""
    F = p.setup.kernels.shape[0]
    st.session_state["conv.anim_kernel"] = min(st.session_state["conv.anim_kernel"], F - 1)
    if F > 1 or not _presentation():
        container.selectbox(
            t("forward.animate_kernel"),
            range(F),
            format_func=lambda k: kernel_title(p, k),
            label_visibility="collapsed" if _presentation() else "visible",  # a projector's row: one line
            **bind("conv.anim_kernel"),
        )
    return st.session_state["conv.anim_kernel"]


@st.fragment
def step_by_step(p: Forward) -> None:
    """The animated crop, its step controls, the tour and the arithmetic of the step (reruns on its own).

    On a projector the figure comes first, under the page's title, with its step buttons in one row below.
    """
    if tour.needs_page_rerun():
        st.rerun()  # the tour moved the crop: the full-resolution maps outline it too
    presentation, setup, maps = _presentation(), p.setup, p.maps
    if not presentation:
        st.header(t("forward.step_by_step"))
    tour_open = bool(tour.open_step("forward"))
    layout = step_layout(presentation, pick=setup.kernels.shape[0] > 1, tour_open=tour_open)
    n = _kernel_pick(p, layout.kernel)
    if layout.crop is not None:
        crop_size_control(layout.crop)
    region = current_region(p)
    focus_step(region)
    tour.move_to_cell("forward", FORWARD_STEPS, region, maps.z[n], STEP_KEY)
    labels = forward_labels(setup.activation, setup.image.shape[0])
    step_shown = st.session_state[STEP_KEY]
    trace, figure = forward_animation_spec(
        setup.key,
        n,
        region,
        step_shown,
        current_language(),
        presentation,
        setup,
        map_limits(maps.a[n]),
        labels,
    )
    if isinstance(layout.steps, tuple):  # a projector's row: the clicker's hint goes under it
        step_buttons(len(trace.steps), keys=not tour_open, places=layout.steps)
        clicker_hint()
    else:
        with layout.steps:
            step_buttons(len(trace.steps), keys=not tour_open)
    step = trace.steps[min(st.session_state[STEP_KEY], len(trace.steps) - 1)]
    if layout.tour is not None:
        with layout.tour:
            forward_tour(setup, n, trace, step)
    with layout.figure:
        event = show_figure(
            figure,
            alt=t("forward.alt_animation"),
            key=f"forward.anim.{region}.{n}",
            on_select="rerun",
            selection_mode="points",
        )
    if not presentation:
        st.caption(t("forward.click_hint"))
    if clicked_cell(event, trace.region, "forward.anim"):
        rerun_fragment()
    with st.container(border=True):
        step_formula = step_tex(step, trace.kernel, ACTIVATION_TEX[setup.activation])
        math_block(f"**{t('forward.explain')}**", (forward_formula_tex(), step_formula))
        if not presentation:
            st.caption(t("forward.correlation_note"))
    predict.next_value(trace, min(st.session_state[STEP_KEY], len(trace.steps) - 1), setup.key, n)
    if layout.tour is None:  # a projector's open tour: below the figure, its steps and the arithmetic
        forward_tour(setup, n, trace, step)
    sync_url("forward")  # a rerun of this fragment alone (a step button) changes the link too
    if not presentation:  # on a projector: the figure, the steps and the formula; no downloads
        arrays = {"input": setup.image, "window": step.window, "kernel": trace.kernel}
        arrays |= {"products": step.products, "output": maps.a[n]}
        export_panel("forward", arrays, gif=lambda: forward_trace_gif(trace))


def whole_image(p: Forward) -> None:
    """Every feature map at full resolution (a click moves the crop there), and the row-by-row sweep."""
    presentation, setup, maps = _presentation(), p.setup, p.maps
    st.header(t("forward.whole_image"))
    pick = st.session_state["conv.anim_kernel"]
    labels = feature_map_labels(pick + 1)
    maps_tab, sweep_tab = st.tabs([t("forward.maps_tab"), t("forward.sweep_tab")])
    with maps_tab:
        titles = tuple(kernel_title(p, k) for k in range(setup.kernels.shape[0]))
        figure = feature_maps_spec(
            setup.key, current_region(p), current_language(), presentation, setup, maps, titles, labels
        )
        event = show_figure(
            figure, alt=t("forward.alt_maps"), key="forward.maps", on_select="rerun", selection_mode="points"
        )
        if not presentation:
            st.caption(t("forward.crop_help"))
        if clicked_cell(event, None, "forward.maps", crop_side=_crop_side(p)):
            st.rerun()
    with sweep_tab:
        figure = sweep_spec(setup.key, pick, current_language(), presentation, setup, maps, labels)
        show_figure(figure, alt=t("forward.alt_sweep"), key="forward.sweep")


def code_for_this_page(p: Forward) -> None:
    """The code that gives the page's Z and A, in NumPy with the engine and in PyTorch (a closed expander
    at the foot of the page, in presentation mode too: it pushes no picture down)."""
    code_panel("forward", t("forward.code"), layer_code(p.setup, p.maps.geometry), p.setup.image)


def engine_code() -> None:
    """The engine's readable forward pass, as the page ran it (left out in presentation mode)."""
    if not _presentation():
        show_source(conv_reference.forward, window_slices, conv_output_size, title=t("forward.source"))
