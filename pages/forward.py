"""Forward pass: the kernel window slides over a real image and the feature map fills in."""

import streamlit as st

from ui.common.display import show_problem
from ui.common.frame import frame
from ui.common.i18n import t
from ui.conv import sections, state, tour
from ui.conv.compute import forward_maps
from ui.conv.controls import SetupError, conv_setup
from ui.conv.view import last_good, say_started_over

frame("forward", state.SETTINGS, tour.TOUR_SETTINGS)
say_started_over()  # a link whose settings never worked: the page started again
if not st.session_state["presentation"]:  # on a projector the figure comes first
    st.markdown(t("forward.lead"))

try:
    setup = conv_setup()
    problem = last_good("forward", sections.Forward(setup, forward_maps(setup.key, setup)))
except (SetupError, ValueError) as err:
    show_problem(err)
    problem = last_good("forward", problem=err)  # nothing worked yet: starts again from the defaults
    st.caption(t("conv.previous_kept"))

presentation = st.session_state["presentation"]
if not presentation:
    sections.output_size(problem)
sections.step_by_step(problem)
if presentation:  # on a projector the animation opens the page: the shapes follow it
    sections.output_size(problem)
sections.whole_image(problem)
sections.code_for_this_page(problem)
sections.engine_code()
