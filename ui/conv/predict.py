"""The forward page's predictions (ui/common/predict.py): the output's size, then each next output value.

With predictions on, the page asks for H_out and W_out before it prints the shapes, and under each step's
arithmetic it asks for the next step's z before the step buttons show it. The answers are the engine's:
the geometry the page computed and the next step of the trace the animation draws.
"""

from __future__ import annotations

from engine.geometry import ConvGeometry
from engine.trace import ForwardTrace
from ui.common import predict
from ui.common.i18n import t
from viz.numbers import tex_matrix, tex_number


def output_size_asked(geometry: ConvGeometry, setup_key: str) -> bool:
    """Ask for the output size (with predictions on); True once the page may print it.

    Args:
        geometry: the layer's geometry (its out_size is the answer).
        setup_key: the setup's digest: a new setup is a new question.
    """
    if not predict.is_on():
        return True
    (H, W), (KH, KW) = geometry.in_size, geometry.kernel
    (p1, p2), (q1, q2) = geometry.padding
    prompt = t(
        "predict.forward.size",
        H=H,
        W=W,
        KH=KH,
        KW=KW,
        sh=geometry.stride[0],
        sw=geometry.stride[1],
        pad=f"{p1} × {q1}" if (p1, q1) == (p2, q2) else f"({p1}, {p2}) × ({q1}, {q2})",
        dh=geometry.dilation[0],
        dw=geometry.dilation[1],
    )
    labels = (t("predict.forward.height"), t("predict.forward.width"))
    result = predict.ask(f"forward.size.{setup_key}", prompt, labels, geometry.out_size, exact=True)
    if result is None:
        return False
    H_out, W_out = geometry.out_size
    predict.say(result, t("predict.forward.size_answer", H_out=H_out, W_out=W_out))
    return True


def next_value(trace: ForwardTrace, shown: int, setup_key: str, kernel: int) -> None:
    """Under the arithmetic of step `shown`: ask for the next step's z (with predictions on).

    Args:
        trace: the animation's trace (its steps are the answers).
        shown: the index of the step the page shows.
        setup_key, kernel: with the cell, what makes the question new.
    """
    if not predict.is_on() or shown + 1 >= len(trace.steps):
        return
    step = trace.steps[shown + 1]
    question = f"forward.z.{setup_key}.{kernel}.{step.i}.{step.j}"
    window = " + ".join(tex_matrix(step.window[c]) for c in range(step.window.shape[0]))
    kernels = " + ".join(tex_matrix(trace.kernel[c]) for c in range(trace.kernel.shape[0]))
    prompt = t("predict.forward.value", i=step.i, j=step.j, b=tex_number(trace.bias))
    answer = t("predict.forward.value_answer", i=step.i, j=step.j, z=tex_number(step.z))
    numbers = rf"\text{{{t('predict.forward.window')}}}\; {window} \qquad W = {kernels}"
    result = predict.ask(question, prompt, (f"z({step.i}, {step.j})",), (step.z,), formulas=[numbers])
    if result is not None:
        predict.say(result, answer)
