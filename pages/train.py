"""Train a tiny CNN page: the engine's own layers chained into a network that learns, live in the page.

Training runs in a fragment that reruns every TICK_S seconds while a run is on: each run of it trains a
quarter of an epoch and redraws the progress, the curves, the kernels and the gradient sizes; the rest of
the page stays still. Everything about the run is in the session state (ui/train/controls.py).
"""

import streamlit as st

from engine.model import model_backward, model_forward, sgd_step
from ui.common.controls import keep_possible
from ui.common.display import show_source
from ui.common.frame import frame
from ui.common.i18n import t
from ui.train.controls import (
    CONTROLS,
    TICK_S,
    advance,
    architecture_text,
    current_run,
    is_running,
    run_buttons,
    same_settings,
    settings_controls,
)
from ui.train.view import gradient_check, live_view, results, try_image

frame("train")
st.markdown(t("train.intro"))

keep_possible(CONTROLS)  # every control's value one it can hold, said here: the expander may be closed
with st.expander(t("train.settings")):
    settings = settings_controls(disabled=is_running())
state = current_run(settings)
st.caption(architecture_text(state))
run_buttons(settings, state)
if state.step > 0 and not same_settings(state, settings):
    st.info(t("train.changed"), icon="🔁")

st.header(t("train.live_header"))


@st.fragment(run_every=TICK_S if is_running() else None)
def live() -> None:
    """Train a few batches when the run is on, then draw the run as it is now."""
    live_view(advance())


live()

st.header(t("train.results_header"))
results(state)

st.header(t("train.try_header"))
try_image(state)

with st.expander(t("train.gradcheck_header")):
    gradient_check(state)
show_source(model_forward, model_backward, sgd_step, title=t("train.source_code"))
