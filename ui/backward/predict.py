"""The backward page's prediction (ui/common/predict.py): what the next step adds up in dW.

Under each step's arithmetic, with predictions on, the page asks for one tap of the running dW after the
next step: the tap in the middle of the kernel, dW(c, k, l) = (dW so far) + δ(i, j) · X_pad[window](k, l).
The answer is the engine's: the next step of the trace the animation draws.
"""

from __future__ import annotations

from engine.trace import BackwardTrace
from ui.common import predict
from ui.common.i18n import t
from viz.numbers import tex_number


def next_dw(trace: BackwardTrace, shown: int, problem_key: str, f: int, c: int) -> None:
    """Under the arithmetic of step `shown`: ask for the middle tap of dW after the next step.

    Args:
        trace: the animation's trace (its steps are the answers).
        shown: the index of the step the page shows.
        problem_key, f, c: with the cell, what makes the question new (kernel f, channel c).
    """
    if not predict.is_on() or shown + 1 >= len(trace.steps):
        return
    now, step = trace.steps[shown], trace.steps[shown + 1]
    _, KH, KW = trace.kernel.shape
    k, l = KH // 2, KW // 2
    question = f"backward.dw.{problem_key}.{f}.{c}.{step.i}.{step.j}"
    prompt = t("predict.backward.dw", i=step.i, j=step.j, k=k, l=l)
    so_far, window = t("backward.tex.so_far"), t("backward.tex.window")
    numbers = (
        rf"\frac{{\partial L}}{{\partial W}}({k}, {l})\ \text{{{so_far}}} = "
        rf"{tex_number(now.dw_total[c, k, l])},"
        rf"\qquad \delta({step.i}, {step.j}) = {tex_number(step.delta)},"
        rf"\qquad X_{{\text{{pad}}}}[\text{{{window}}}]({k}, {l}) = {tex_number(step.window[c, k, l])}"
    )
    truth = float(step.dw_total[c, k, l])
    label = f"dW({k}, {l})"
    result = predict.ask(question, prompt, (label,), (truth,), formulas=[numbers])
    if result is not None:
        answer = t("predict.backward.dw_answer", k=k, l=l, value=tex_number(truth))
        predict.say(result, answer)
