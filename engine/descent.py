"""Learning the kernel: gradient descent on the MSE loss toward a target kernel's output (FORMULAS.md §2).

W ← W − η·dW, b ← b − η·db with the gradients of engine/layer_loss.py (`layer_gradients`), from a start
kernel toward the map a target kernel makes on the same image (`target_map`). `stable_learning_rate` is
the edge of divergence, 2 / λ_max, for the case the page can solve exactly (no activation).

Everything works on one image (C, H, W) and a bank of F kernels (F, C, KH, KW), in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from engine.conv_fast import columns
from engine.errors import EngineError
from engine.geometry import ConvGeometry, pad_input
from engine.layer_loss import LossSpec, layer_gradients


class Descent(NamedTuple):
    """Gradient descent on the MSE-to-target loss: the kernels and the loss after each step."""

    losses: np.ndarray  # (steps + 1,) the loss at kernels[n]
    kernels: np.ndarray  # (steps + 1, F, C, KH, KW), kernels[0] the start
    biases: np.ndarray  # (steps + 1, F)
    diverged: bool  # True when the loss blew up and descent stopped early


def descent_step(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, target: np.ndarray, activation: str, lr: float, **hyper
) -> tuple[float, np.ndarray, np.ndarray]:
    """One step W ← W − η·dW, b ← b − η·db on L = Σ (A − T)² / 2M.

    Args:
        x: (C, H, W); w: (F, C, KH, KW); b: (F,); target: T (F, H_out, W_out); lr: η.

    Returns:
        The loss before the step, the new W and the new b.
    """
    grads = layer_gradients(x, w, b, activation, LossSpec("mse", target), **hyper)
    return grads.loss, w - lr * grads.dw, b - lr * grads.db


def descend(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray,
    target: np.ndarray,
    activation: str,
    lr: float,
    steps: int,
    on_step: Callable[[int, float], None] | None = None,
    **hyper,
) -> Descent:
    """Run `steps` steps of gradient descent from (w, b) toward the target map.

    Args:
        x: (C, H, W); w: (F, C, KH, KW); b: (F,); target: (F, H_out, W_out); lr: η > 0.
        on_step: called as on_step(n, loss) after step n (1-based), e.g. to move a progress bar.
        hyper: stride, padding, dilation, pad_mode.

    Returns:
        Descent; it stops early (diverged=True) once the loss passes 10⁶ × the start or is not finite.
    """
    if not lr > 0:
        raise EngineError("The learning rate η must be positive (it is {lr}).", lr=lr)
    if steps < 0:
        raise EngineError("The number of steps cannot be negative (it is {steps}).", steps=steps)
    kernels, biases, losses = [np.array(w, dtype=np.float64)], [np.array(b, dtype=np.float64)], []
    diverged = False
    for n in range(steps + 1):
        loss, w_next, b_next = descent_step(x, kernels[-1], biases[-1], target, activation, lr, **hyper)
        losses.append(loss)
        if not np.isfinite(loss) or loss > 1e6 * max(losses[0], 1e-12):
            diverged = True
            break
        if n == steps:
            break
        kernels.append(w_next)
        biases.append(b_next)
        if on_step is not None:
            on_step(n + 1, loss)
    count = len(losses)
    return Descent(np.array(losses), np.stack(kernels[:count]), np.stack(biases[:count]), diverged)


def stable_learning_rate(x: np.ndarray, geometry: ConvGeometry, max_windows: int = 2**16) -> float:
    """The largest η for which descent on the MSE loss converges with no activation: 2 / λ_max.

    With A = Z, L = Σ (Z − T)² / 2M is quadratic in (W, b) with Hessian G = (1/M) Σ over positions of
    [window, 1][window, 1]ᵀ (the same for every kernel), and descent converges exactly when η < 2/λ_max(G).
    On large images G is estimated from every k-th window (at most `max_windows`; exact below that).

    Args:
        x: image (C, H, W); geometry: the convolution's (one kernel's) resolved hyper-parameters.

    Returns:
        2 / λ_max.
    """
    x_pad = pad_input(np.asarray(x, dtype=np.float64)[None], geometry.padding, geometry.pad_mode)
    # Every k-th output position along each axis: the windows of a k times larger stride.
    (H_out, W_out), (sh, sw) = geometry.out_size, geometry.stride
    k = max(1, int(np.ceil(np.sqrt(H_out * W_out / max_windows))))
    sparse = geometry._replace(stride=(sh * k, sw * k), out_size=((H_out - 1) // k + 1, (W_out - 1) // k + 1))
    cols = columns(x_pad, sparse)  # (C·KH·KW, M): one window per column
    M = cols.shape[1]
    gram = np.empty((cols.shape[0] + 1, cols.shape[0] + 1))
    gram[:-1, :-1] = cols @ cols.T / M
    gram[:-1, -1] = gram[-1, :-1] = cols.mean(axis=1)
    gram[-1, -1] = 1.0
    return float(2.0 / np.linalg.eigvalsh(gram)[-1])
