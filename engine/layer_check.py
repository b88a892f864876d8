"""A gradient check of one whole convolution layer (conv + σ + loss) by central differences.

The analytic gradients come from engine/layer_loss.py (`layer_gradients`); the numerical ones from the
engine's one numerical derivative (engine/gradcheck.py's `numerical_gradient`), compared with its
`relative_errors` and `error_floor`. What this module adds for the backward page: sampled entries of dW,
db and dX, a Richardson step that cancels the ε² error, and a flag on entries whose step crossed a kink.

Everything works on one image (C, H, W) and a bank of F kernels (F, C, KH, KW), in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.activations import activation_forward
from engine.conv import conv2d_forward
from engine.errors import EngineError
from engine.gradcheck import error_floor, numerical_gradient, relative_errors, worst_relative_error
from engine.layer_loss import LayerGradients, LossSpec, layer_gradients, loss_terms

# Activations with a kink (a point where the derivative jumps): finite differences across it are wrong.
KINKED = ("relu", "leaky_relu")


class GradientCheck(NamedTuple):
    """Analytic against numerical gradients on sampled entries of dW, db and dX.

    Per entry: error = |analytic − numeric| / max(|analytic| + |numeric|, ERROR_FLOOR · largest |entry|
    of its array). Entries where the step crossed a kink of the activation are flagged and left out of
    `worst` and `overall` (the loss has no derivative there, so no check can agree).
    """

    arrays: tuple[str, ...]  # "W", "b" or "X", one per checked entry
    indices: tuple[tuple[int, ...], ...]  # the entry's index in its array (W: f,c,k,l; b: f; X: c,u,v)
    analytic: np.ndarray  # (n,)
    numeric: np.ndarray  # (n,)
    errors: np.ndarray  # (n,)
    kinks: np.ndarray  # (n,) bool
    totals: dict[str, int]  # entries in each array, checked or not
    worst: float  # largest error over the entries not at a kink (NaN when there are none)
    overall: float  # ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) over those entries


def sample_indices(shape: tuple[int, ...], limit: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Every index of an array of this shape when it has at most `limit` entries, else `limit` at random."""
    size = int(np.prod(shape))
    flat = np.arange(size) if size <= limit else np.sort(rng.choice(size, limit, replace=False))
    return [tuple(int(n) for n in np.unravel_index(f, shape)) for f in flat]


def gradient_check(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    activation: str,
    spec: LossSpec,
    *,
    eps: float = 1e-5,
    richardson: bool = True,
    limit: int = 300,
    seed: int = 0,
    gradients: Callable[..., LayerGradients] = layer_gradients,
    **hyper,
) -> GradientCheck:
    """Check dW, db and dX of the whole layer (conv + σ + loss) against central differences.

    D(ε) = (L(θ + ε) − L(θ − ε)) / 2ε for each sampled entry θ (`numerical_gradient`); with `richardson`,
    (4·D(ε/2) − D(ε)) / 3, which cancels the ε² error term (useful for sigmoid and tanh). L is measured
    from its value at the start cell by cell (Σ (ℓ − ℓ₀)), so cells the step does not change add exactly
    0 instead of the rounding noise of the whole sum.

    Args:
        x: image (C, H, W); w: (F, C, KH, KW); b: (F,); activation, spec: as in `layer_gradients`.
        eps: the step ε.
        limit: entries checked per array: all of them when the array has at most this many.
        seed: which entries are sampled.
        gradients: the analytic gradients to check, a function like `layer_gradients` (the default);
            engine.mistakes.planted(...) plants a wrong backward pass for the check to catch.
        hyper: stride, padding, dilation, pad_mode.

    Returns:
        GradientCheck, entries in the order W, b, X.
    """
    if not eps > 0:
        raise EngineError("The step ε must be positive (it is {eps}).", eps=eps)
    params = {
        "W": np.array(w, dtype=np.float64),
        "b": np.array(b, dtype=np.float64),
        "X": np.array(x, dtype=np.float64),
    }
    grads = gradients(params["X"], params["W"], params["b"], activation, spec, **hyper)
    analytic = {"W": grads.dw, "b": grads.db, "X": grads.dx}
    start = loss_terms(grads.a, spec)  # ℓ₀, (F, H_out, W_out)

    def outputs() -> tuple[np.ndarray, float]:
        """Z and L − L₀ at the parameters as they are now (numerical_gradient moves one entry)."""
        z, _ = conv2d_forward(params["X"][None], params["W"], params["b"], **hyper)
        return z[0], float(np.sum(loss_terms(activation_forward(z[0], activation)[0], spec) - start))

    rng = np.random.default_rng(seed)
    rows = []
    for name in ("W", "b", "X"):
        floor = error_floor(analytic[name])  # each entry is measured against its own array's largest
        for index in sample_indices(params[name].shape, limit, rng):
            numeric, kink = _numeric_entry(params[name], index, outputs, eps, richardson, activation)
            rows.append((name, index, float(analytic[name][index]), numeric, kink, floor))
    return _check_result(rows, {name: params[name].size for name in params})


def _numeric_entry(
    param: np.ndarray,
    index: tuple[int, ...],
    outputs: Callable[[], tuple[np.ndarray, float]],
    eps: float,
    richardson: bool,
    activation: str,
) -> tuple[float, bool]:
    """∂L/∂θ for one entry θ of param (moved in place and restored); True if the ε step crossed a kink."""
    signs = []  # Z > 0 at each point the ε step evaluates L

    def loss_noting_signs(_: np.ndarray) -> float:
        z, loss = outputs()
        signs.append(z > 0)
        return loss

    d_eps = numerical_gradient(loss_noting_signs, param, eps, [index])[index]
    # Z is linear in every parameter, so a kink was crossed exactly when some Z changed sign in the step.
    kink = activation in KINKED and any(bool(np.any(s != signs[0])) for s in signs[1:])
    if richardson:
        d_half = numerical_gradient(lambda _: outputs()[1], param, eps / 2, [index])[index]
        return float(4 * d_half - d_eps) / 3, kink
    return float(d_eps), kink


def _check_result(rows: list, totals: dict[str, int]) -> GradientCheck:
    names, indices, analytic, numeric, kinks, floors = zip(*rows)
    analytic, numeric, floors = np.array(analytic), np.array(numeric), np.array(floors)
    kinks = np.array(kinks, dtype=bool)
    errors = relative_errors(analytic, numeric, floors)
    smooth = ~kinks
    a, n = analytic[smooth], numeric[smooth]
    worst = worst_relative_error(a, n, floors[smooth]) if smooth.any() else float("nan")
    norm = np.linalg.norm(a) + np.linalg.norm(n)
    overall = float(np.linalg.norm(a - n) / norm) if norm > 0 else (0.0 if smooth.any() else float("nan"))
    return GradientCheck(names, indices, analytic, numeric, errors, kinks, totals, worst, overall)
