"""Forward pass: the kernel window slides over a real image and the feature map fills in."""

import streamlit as st

import ui.common.tour as tour
import ui.conv.state  # noqa: F401  (registers the shared convolution settings before the frame runs)
from engine import conv_reference
from engine.geometry import conv_output_size, window_slices
from ui.common.display import math_block, show_figure, show_problem, show_source
from ui.common.exports import export_panel
from ui.common.frame import frame
from ui.common.i18n import current_language, t
from ui.common.links import sync_url
from ui.common.state import bind
from ui.conv.compute import crop_region, feature_maps_spec, forward_animation_spec, forward_maps, sweep_spec
from ui.conv.controls import SetupError, conv_setup
from ui.conv.explain import forward_formula_tex, output_size_tex, step_tex
from ui.conv.labels import ACTIVATION_TEX, feature_map_labels, forward_labels
from ui.conv.tour import (  # (registers the tour's step before the frame reads a link)
    FORWARD_STEPS,
    forward_tour,
)
from ui.conv.view import (
    STEP_KEY,
    clicked_cell,
    crop_size_control,
    focus_step,
    last_good,
    shape_line,
    step_buttons,
    step_layout,
)
from viz.forward import max_animation_steps
from viz.gif import forward_trace_gif
from viz.theme import symmetric_limits as map_limits

frame("forward")
presentation = st.session_state["presentation"]
if not presentation:  # on a projector the figure comes first; the tour's step 6 has the size formula
    st.markdown(t("forward.lead"))

try:
    setup = conv_setup()
    maps = forward_maps(setup.key, setup)
    last_good("forward", (setup, maps))
except (SetupError, ValueError) as err:
    show_problem(err)
    setup, maps = last_good("forward")  # stops the page when nothing has worked yet
    st.caption(t("conv.previous_kept"))

geometry = maps.geometry
F = setup.kernels.shape[0]
max_steps = max_animation_steps(setup.image.shape[0], geometry.kernel, geometry.dilation != (1, 1))
axes = ((0, t("conv.axis_height")), (1, t("conv.axis_width")))
size_tex = [] if presentation else [output_size_tex(geometry, axis, name) for axis, name in axes]
math_block(f"**{t('forward.output_size')}** · {shape_line(setup, geometry)}", size_tex)


def kernel_title(k: int) -> str:
    return t("forward.fig.map_title", n=k + 1, name=setup.kernel_names[k])


def current_region() -> tuple:
    state = st.session_state
    return crop_region(
        geometry.out_size, state["conv.crop_i"], state["conv.crop_j"], state["conv.crop_size"], max_steps
    )


def kernel_pick(container) -> int:
    """Which kernel the step-by-step view animates (kept in range when kernels were removed)."""
    st.session_state["conv.anim_kernel"] = min(st.session_state["conv.anim_kernel"], F - 1)
    if F > 1 or not presentation:
        container.selectbox(
            t("forward.animate_kernel"), range(F), format_func=kernel_title, **bind("conv.anim_kernel")
        )
    return st.session_state["conv.anim_kernel"]


@st.fragment
def step_by_step() -> None:
    """The animated crop, its step controls, the tour and the arithmetic of the step (reruns on its own)."""
    if tour.needs_page_rerun():
        st.rerun()  # the tour moved the crop: the full-resolution maps outline it too
    st.subheader(t("forward.step_by_step"))
    layout = step_layout(presentation)
    n = kernel_pick(layout.kernel)
    if layout.crop is not None:
        crop_size_control(layout.crop)
    region = current_region()
    focus_step(region)
    tour.move_to_cell("forward", FORWARD_STEPS, region, maps.z[n], STEP_KEY)
    trace, figure = forward_animation_spec(
        setup.key,
        n,
        region,
        st.session_state[STEP_KEY],
        current_language(),
        presentation,
        setup,
        map_limits(maps.a[n]),
        forward_labels(setup.activation, setup.image.shape[0]),
    )
    with layout.steps:
        step_buttons(len(trace.steps))
    step = trace.steps[min(st.session_state[STEP_KEY], len(trace.steps) - 1)]
    with layout.tour:
        forward_tour(setup, n, trace, step)
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
        st.rerun(scope="fragment")
    with st.container(border=True):
        step_formula = step_tex(step, trace.kernel, ACTIVATION_TEX[setup.activation])
        math_block(f"**{t('forward.explain')}**", (forward_formula_tex(), step_formula))
        if not presentation:
            st.caption(t("forward.correlation_note"))
    sync_url("forward")  # a rerun of this fragment alone (a step button) changes the link too
    if not presentation:  # on a projector: the figure, the steps and the formula; no downloads
        arrays = {"input": setup.image, "window": step.window, "kernel": trace.kernel}
        arrays |= {"products": step.products, "output": maps.a[n]}
        export_panel("forward", arrays, gif=lambda: forward_trace_gif(trace))


step_by_step()

st.subheader(t("forward.whole_image"))
pick = st.session_state["conv.anim_kernel"]
maps_tab, sweep_tab = st.tabs([t("forward.maps_tab"), t("forward.sweep_tab")])
with maps_tab:
    titles = tuple(kernel_title(k) for k in range(F))
    figure = feature_maps_spec(
        setup.key,
        current_region(),
        current_language(),
        presentation,
        setup,
        maps,
        titles,
        feature_map_labels(pick + 1),
    )
    event = show_figure(
        figure, alt=t("forward.alt_maps"), key="forward.maps", on_select="rerun", selection_mode="points"
    )
    if not presentation:
        st.caption(t("forward.crop_help"))
    if clicked_cell(event, None, "forward.maps", crop_side=st.session_state["conv.crop_size"]):
        st.rerun()
with sweep_tab:
    figure = sweep_spec(
        setup.key, pick, current_language(), presentation, setup, maps, feature_map_labels(pick + 1)
    )
    show_figure(figure, alt=t("forward.alt_sweep"), key="forward.sweep")

if not presentation:
    show_source(conv_reference.forward, window_slices, conv_output_size, title=t("forward.source"))
