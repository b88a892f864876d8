"""Backward pass: a loss sends its gradient back through the activation and the convolution to W, b and X."""

import streamlit as st

from engine import conv_reference, gather, geometry
from ui.backward import closer, sections, state, tour
from ui.backward.compute import backward_pass, geometry_of, problem_key, relevant
from ui.backward.controls import loss_controls, view_controls, view_picker
from ui.common.display import show_problem, show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.conv import state as conv_state
from ui.conv.controls import SetupError, conv_setup
from ui.conv.view import last_good, say_started_over

frame("backward", conv_state.SETTINGS, state.SETTINGS, tour.TOUR_SETTINGS)
say_started_over()  # a link whose settings never worked: the page started again
sections.lead(t("backward.lead"))
presentation = st.session_state["presentation"]
# On a projector the animated accumulation opens the page (drawn here once the problem is known).
opening = st.container() if presentation else None

try:
    setup = conv_setup()
    out_size = geometry_of(setup).out_size
    f, c = view_controls(setup.kernel_names, setup.image.shape[0])
    st.header(t("backward.loss_header"))
    with st.container(border=True):
        choice = relevant(loss_controls((setup.kernels.shape[0], *out_size), f))
    key = problem_key(setup)
    run = backward_pass(key, choice, setup)
    problem = last_good("backward", sections.Problem(setup, key, choice, run, f, c))
except (SetupError, ValueError) as err:
    show_problem(err)
    problem = last_good("backward", problem=err)  # nothing worked yet: starts again from the defaults
    st.caption(t("conv.previous_kept"))

if opening is not None:
    with opening:
        closer.step_by_step(problem)
sections.loss_summary(problem)
sections.shapes_line(problem)
sections.delta_section(problem)
sections.gradients_section(problem)
view = view_picker()
if opening is None or view != "steps":  # a projector's steps are at the top already
    closer.VIEWS[view](problem)
sections.code_for_this_page(problem)
if not presentation:
    show_source(
        conv_reference.backward,
        geometry.unpad_gradient,
        gather.gather_dx_reference,
        gather.overlap_count,
        title=t("backward.source"),
    )
