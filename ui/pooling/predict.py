"""The pooling page's prediction (ui/common/predict.py): where a window's gradient goes.

With predictions on, under the routing figure the page takes the windows in order and asks, for the
first one not answered yet: max pooling, "which input cell gets δ(i, j)? click it" on the input with the
window outlined; average pooling, "how much does each of its cells get?". The answers are the engine's
(`engine.pool_trace.routing_targets`, `window_share`).
"""

from __future__ import annotations

import streamlit as st

from engine.pool_trace import PoolingRun, output_cells, routing_targets, window_share
from ui.common import predict
from ui.common.controls import point_cell
from ui.common.display import show_figure
from ui.common.i18n import t
from ui.pooling.controls import MAX_SIDE
from viz.numbers import tex_number
from viz.pooling_pick import pick_figure


def where_the_gradient_goes(run: PoolingRun, setup: str) -> None:
    """Ask about the next open window (with predictions on); say the verdict of the last one answered.

    Args:
        run: the page's run.
        setup: a digest of the page's settings: new settings, new questions.
    """
    if not predict.is_on():
        return
    prefix, cells = f"pooling.{run.mode}.{setup}", output_cells(run)
    # Only the first open window is asked, so the answered ones are the first `done`.
    done = sum(predict.outcome(f"{prefix}.{cell}") is not None for cell in cells)
    if done:
        i, j = cells[done - 1]
        predict.say(predict.outcome(f"{prefix}.{(i, j)}"), _answer(run, i, j))
    if done == len(cells):
        return
    cell = i, j = cells[done]
    question = f"{prefix}.{cell}"
    delta = tex_number(float(run.dy[i, j]))
    if run.mode != "max":
        prompt = t("predict.pooling.share", i=i, j=j, delta=delta, K=run.size[0], L=run.size[1])
        predict.ask(question, prompt, (t("predict.pooling.share_label"),), (window_share(run, i, j),))
        return
    with st.container(border=True):
        st.markdown(f"**{t('predict.title')}** {t('predict.pooling.click', i=i, j=j, delta=delta)}")
        if st.session_state.get("presentation"):
            predict.reveal_button(question)
            return
        event = show_figure(
            pick_figure(run, i, j, t("predict.pooling.hover")),
            alt=t("predict.pooling.alt", i=i, j=j),
            key=f"predict.pick.{question}",
            on_select="rerun",
            selection_mode="points",
        )
        points = getattr(getattr(event, "selection", None), "points", None) or []
        clicked = point_cell(points[-1], MAX_SIDE) if isinstance(points, list) and points else None
        if clicked is not None:
            predict.record(question, clicked, clicked in routing_targets(run, i, j))
            st.rerun()


def _answer(run: PoolingRun, i: int, j: int) -> str:
    """The answer to window (i, j)'s question, as the verdict writes it."""
    if run.mode != "max":
        return t("predict.pooling.share_answer", i=i, j=j, share=tex_number(window_share(run, i, j)))
    ((r, c),) = routing_targets(run, i, j)
    return t("predict.pooling.click_answer", i=i, j=j, r=r, c=c)
