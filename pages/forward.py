"""Forward pass: the kernel window slides over a real image and the feature map fills in."""

import streamlit as st

import ui.conv_state  # noqa: F401  (registers the shared convolution settings before the frame runs)
from engine import conv_reference
from engine.geometry import conv_output_size, window_slices
from engine.gif import forward_trace_gif
from ui.conv_compute import crop_region, feature_maps_spec, forward_animation_spec, forward_maps, sweep_spec
from ui.conv_controls import SetupError, conv_setup
from ui.conv_explain import forward_formula_tex, output_size_tex, step_tex
from ui.conv_labels import ACTIVATION_TEX, feature_map_labels, forward_labels
from ui.conv_view import clicked_cell, crop_size_control, focus_step, last_good, shape_line, step_buttons
from ui.display import show_figure, show_problem, show_source
from ui.exports import export_panel
from ui.frame import frame
from ui.i18n import current_language, t
from viz.forward import max_animation_steps
from viz.theme import symmetric_limits as map_limits

frame("forward")
presentation = st.session_state["presentation"]
st.markdown(t("forward.lead"))

try:
    setup = conv_setup()
    maps = forward_maps(setup.key, setup)
    last_good("forward", (setup, maps))
except (SetupError, ValueError) as err:
    show_problem(str(err))
    setup, maps = last_good("forward")  # stops the page when nothing has worked yet
    st.caption(t("conv.previous_kept"))

geometry = maps.geometry
F = setup.kernels.shape[0]
max_steps = max_animation_steps(setup.image.shape[0], geometry.kernel, geometry.dilation != (1, 1))
st.markdown(f"**{t('forward.output_size')}** · {shape_line(setup, geometry)}")
for axis, name in ((0, t("conv.axis_height")), (1, t("conv.axis_width"))):
    st.latex(output_size_tex(geometry, axis, name))


def kernel_title(k: int) -> str:
    return t("forward.fig.map_title", n=k + 1, name=setup.kernel_names[k])


def current_region() -> tuple:
    state = st.session_state
    return crop_region(
        geometry.out_size, state["conv.crop_i"], state["conv.crop_j"], state["conv.crop_size"], max_steps
    )


@st.fragment
def step_by_step() -> None:
    """The animated crop, its step controls and the arithmetic of the step shown (reruns on its own)."""
    st.subheader(t("forward.step_by_step"))
    left, middle, right = st.columns([1, 1, 2])
    n = left.selectbox(
        t("forward.animate_kernel"), range(F), format_func=kernel_title, key="forward.kernel_pick"
    )
    crop_size_control(middle)
    region = current_region()
    focus_step(region)
    trace, figure = forward_animation_spec(
        setup.key,
        n,
        region,
        st.session_state["conv.step"],
        current_language(),
        presentation,
        setup,
        map_limits(maps.a[n]),
        forward_labels(setup.activation, setup.image.shape[0]),
    )
    with right:
        step_buttons(len(trace.steps))
    event = show_figure(
        figure,
        alt=t("forward.alt_animation"),
        key=f"forward.anim.{region}.{n}",
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(t("forward.click_hint"))
    if clicked_cell(event, trace.region, "forward.anim"):
        st.rerun(scope="fragment")
    step = trace.steps[min(st.session_state["conv.step"], len(trace.steps) - 1)]
    with st.container(border=True):
        st.markdown(f"**{t('forward.explain')}**")
        st.latex(forward_formula_tex())
        st.latex(step_tex(step, trace.kernel, ACTIVATION_TEX[setup.activation]))
        st.caption(t("forward.correlation_note"))
    arrays = {
        "input": setup.image,
        "window": step.window,
        "kernel": trace.kernel,
        "products": step.products,
        "output": maps.a[n],
    }
    export_panel("forward", arrays, gif=lambda: forward_trace_gif(trace))


step_by_step()

st.subheader(t("forward.whole_image"))
pick = st.session_state.get("forward.kernel_pick", 0) if F > 1 else 0
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
    st.caption(t("forward.crop_help"))
    if clicked_cell(event, None, "forward.maps", crop_side=st.session_state["conv.crop_size"]):
        st.rerun()
with sweep_tab:
    figure = sweep_spec(
        setup.key, pick, current_language(), presentation, setup, maps, feature_map_labels(pick + 1)
    )
    show_figure(figure, alt=t("forward.alt_sweep"), key="forward.sweep")

show_source(conv_reference.forward, window_slices, conv_output_size, title=t("forward.source"))
