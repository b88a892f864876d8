"""A small fully connected network (FORMULAS.md §5), built from the layer pairs of dense, activations, losses.

Layer l (l = 1 … L) computes z_l = a_{l−1} W_lᵀ + b_l and a_l = f_l(z_l), with a_0 = x and the batch of N
examples in rows (engine/dense.py: W_l is (n_l, n_{l−1}) as in the column form z = W a + b). The loss is
engine.losses.mse_loss, L = Σ (a_L − t)² / (2N); for one example that is the classic ½ Σ (y − t)².

The backward pass is the δ recursion, each δ_l = ∂L/∂z_l (N, n_l):

    δ_L = (a_L − t)/N ⊙ f_L'(z_L)                 (the loss's gradient, through the output activation)
    δ_l = f_l'(z_l) ⊙ (δ_{l+1} W_{l+1})           (row form of W_{l+1}ᵀ δ_{l+1})
    ∂L/∂W_l = δ_lᵀ a_{l−1}  (n_l, n_{l−1}),        ∂L/∂b_l = Σ_n δ_l  (n_l,)

and it is nothing but the layer pairs chained: dense_backward hands δ_{l+1} W_{l+1} to the layer below,
activation_backward multiplies by f_l'(z_l). Because mse_loss divides by N, every δ here carries the 1/N.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np

from engine.activations import ActivationCache, activation_backward, activation_derivative, activation_forward
from engine.dense import DenseCache, dense_backward, dense_forward
from engine.errors import EngineError, Phrase
from engine.gradcheck import error_floor, numerical_gradient, rounding_floor, worst_relative_error
from engine.losses import mse_loss

Arrays = tuple[np.ndarray, ...]
# The larger step of `richardson_gradient`: large enough that rounding stays far below its O(ε⁴) error.
RICHARDSON_EPS = 1e-4
# The gradient check measures an entry smaller than ERROR_FLOOR × the network's largest gradient entry
# against that floor: a gradient of 1e-6 next to one of 0.05 is right to 1e-12 in absolute terms, and
# its own relative error would only measure the rounding of the finite differences (~1e-12 / 1e-6).


class LayerCache(NamedTuple):
    """What layer l's forward pass saves: z_l, a_l and the caches of its two layer pairs."""

    z: np.ndarray  # (N, n_l)
    a: np.ndarray  # (N, n_l)
    dense: DenseCache
    activation: ActivationCache


class NetworkExample(NamedTuple):
    """Inputs, targets and parameters of a network: everything `run_network` needs but the learning rate."""

    x: np.ndarray  # (N, n_0)
    t: np.ndarray  # (N, n_L)
    weights: Arrays  # W_l (n_l, n_{l−1}), l = 1 … L
    biases: Arrays  # b_l (n_l,)
    activations: tuple[str, ...]  # f_l, one of engine.activations.ACTIVATIONS per layer


class GradientCheck(NamedTuple):
    """The analytic gradients compared with central differences on the loss."""

    dw: Arrays  # numerical ∂L/∂W_l
    db: Arrays  # numerical ∂L/∂b_l
    errors_w: tuple[float, ...]  # relative error per layer (largest over the entries)
    errors_b: tuple[float, ...]

    @property
    def max_error(self) -> float:
        return max(self.errors_w + self.errors_b)


class NetworkRun(NamedTuple):
    """Forward, backward and one gradient-descent step of a network on a batch: every number a page shows."""

    example: NetworkExample
    z: Arrays  # z_l (N, n_l), l = 1 … L  (index 0 is layer 1)
    a: Arrays  # a_l (N, n_l), l = 0 … L  (a[0] = x)
    loss: float
    da: np.ndarray  # ∂L/∂a_L = (a_L − t)/N, (N, n_L)
    derivatives: Arrays  # f_l'(z_l) (N, n_l), l = 1 … L
    deltas: Arrays  # δ_l = ∂L/∂z_l (N, n_l), l = 1 … L
    dw: Arrays  # ∂L/∂W_l, W_l's shape
    db: Arrays  # ∂L/∂b_l, b_l's shape
    lr: float  # learning rate η
    new_weights: Arrays  # W_l − η ∂L/∂W_l
    new_biases: Arrays  # b_l − η ∂L/∂b_l
    new_loss: float  # the loss on the same batch after the step
    check: GradientCheck


def network_forward(
    x: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activations: Sequence[str]
) -> tuple[np.ndarray, tuple[LayerCache, ...]]:
    """Forward pass through L layers: z_l = a_{l−1} W_lᵀ + b_l, a_l = f_l(z_l), a_0 = x.

    Args:
        x: inputs (N, n_0).
        weights: W_l (n_l, n_{l−1}) for l = 1 … L.
        biases: b_l (n_l,).
        activations: f_l per layer, names from engine.activations.ACTIVATIONS.

    Returns:
        a_L (N, n_L); one LayerCache per layer.

    Raises:
        EngineError: for parameters that do not fit together (said as a sentence naming the layer).
    """
    _check_layers(x, weights, biases, activations)
    return _forward(x, weights, biases, activations)


def _forward(
    x: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activations: Sequence[str]
) -> tuple[np.ndarray, tuple[LayerCache, ...]]:
    """`network_forward` without the up-front checks (the gradient check calls it a thousand times)."""
    a, caches = np.asarray(x, dtype=np.float64), []
    for l, (w, b, kind) in enumerate(zip(weights, biases, activations), start=1):
        try:
            z, dense_cache = dense_forward(a, w, b)
        except EngineError as err:
            raise EngineError("Layer {l}: {reason}", l=l, reason=err) from None
        a, activation_cache = activation_forward(z, kind)
        caches.append(LayerCache(z, a, dense_cache, activation_cache))
    return a, tuple(caches)


def network_backward(dA: np.ndarray, caches: Sequence[LayerCache]) -> tuple[Arrays, Arrays, Arrays]:
    """Backward pass: the δ recursion from the output layer down, and each layer's gradients.

    Args:
        dA: ∂L/∂a_L (N, n_L), from the loss.
        caches: from `network_forward`.

    Returns:
        deltas δ_l = ∂L/∂z_l (N, n_l);  dW_l (n_l, n_{l−1});  db_l (n_l,); each for l = 1 … L.
    """
    deltas, dW, db = [], [], []
    da = dA
    for cache in reversed(caches):
        delta = activation_backward(da, cache.activation)  # δ_l = ∂L/∂a_l ⊙ f_l'(z_l)
        da, dw, dbias = dense_backward(delta, cache.dense)  # da = δ_l W_l, the ∂L/∂a_{l−1} of the layer below
        deltas.append(delta)
        dW.append(dw)
        db.append(dbias)
    return tuple(reversed(deltas)), tuple(reversed(dW)), tuple(reversed(db))


def network_loss(example: NetworkExample) -> float:
    """The loss L = Σ (a_L − t)² / (2N) of the network on its batch."""
    y, _ = network_forward(example.x, example.weights, example.biases, example.activations)
    loss, _ = _loss(y, example.t)
    return loss


def gradient_descent_step(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float) -> Arrays:
    """One step of gradient descent, θ := θ − η ∂L/∂θ, for each parameter (new arrays; nothing in place).

    Args:
        params: arrays of any shapes.
        grads: one per parameter, same shapes.
        lr: the learning rate η.
    """
    return tuple(p - lr * g for p, g in zip(params, grads))


def run_network(example: NetworkExample, lr: float = 0.5) -> NetworkRun:
    """Forward, loss, backward, a gradient check and one gradient-descent step of the network.

    Args:
        example: inputs x (N, n_0), targets t (N, n_L), W_l (n_l, n_{l−1}), b_l (n_l,), activations.
        lr: the learning rate η of the step.

    Returns:
        The NetworkRun (shapes in its field comments).

    Raises:
        EngineError: for shapes that do not fit, an empty layer, a non-finite number or learning rate.
    """
    if not np.isfinite(lr):
        raise EngineError("The learning rate must be a finite number.")
    y, caches = network_forward(example.x, example.weights, example.biases, example.activations)
    loss, dA = _loss(y, example.t)
    deltas, dW, db = network_backward(dA, caches)
    new_weights = gradient_descent_step(example.weights, dW, lr)
    new_biases = gradient_descent_step(example.biases, db, lr)
    new_loss = network_loss(example._replace(weights=new_weights, biases=new_biases))
    return NetworkRun(
        example=example,
        z=tuple(c.z for c in caches),
        a=(np.asarray(example.x, dtype=np.float64), *(c.a for c in caches)),
        loss=loss,
        da=dA,
        derivatives=tuple(activation_derivative(c.z, c.activation.kind) for c in caches),
        deltas=deltas,
        dw=dW,
        db=db,
        lr=float(lr),
        new_weights=new_weights,
        new_biases=new_biases,
        new_loss=new_loss,
        check=check_gradients(example, dW, db),
    )


def check_gradients(
    example: NetworkExample, dW: Sequence[np.ndarray], db: Sequence[np.ndarray]
) -> GradientCheck:
    """Compare analytic ∂L/∂W_l, ∂L/∂b_l with central differences of the loss itself.

    The numerical side is `richardson_gradient`: on smooth losses it agrees with the exact gradient to
    ~1e-10, where plain central differences reach only ~1e-7. Entries tiny next to the largest are
    measured against ERROR_FLOOR × the largest (engine.gradcheck.error_floor).

    Args:
        example: the network and batch.
        dW, db: the analytic gradients, shaped like the weights and biases.

    Returns:
        The numerical gradients and the relative error of each layer's W and b.
    """
    weights = [np.array(w, dtype=np.float64) for w in example.weights]
    biases = [np.array(b, dtype=np.float64) for b in example.biases]
    current = example._replace(weights=weights, biases=biases)  # the lists are changed in place by the check

    def loss(_: np.ndarray) -> float:
        y, _ = _forward(current.x, current.weights, current.biases, current.activations)
        return mse_loss(y, current.t)[0]

    num_W = tuple(richardson_gradient(loss, w) for w in weights)
    num_b = tuple(richardson_gradient(loss, b) for b in biases)
    # The loss is ½·mean((y − t)²): its terms are ≥ 0, so |L| is their scale.
    floor = max(error_floor(*dW, *db), rounding_floor(loss(weights[0]), RICHARDSON_EPS))
    return GradientCheck(
        dw=num_W,
        db=num_b,
        errors_w=tuple(worst_relative_error(a, n, floor) for a, n in zip(dW, num_W)),
        errors_b=tuple(worst_relative_error(a, n, floor) for a, n in zip(db, num_b)),
    )


def richardson_gradient(
    f: Callable[[np.ndarray], float], p: np.ndarray, eps: float = RICHARDSON_EPS
) -> np.ndarray:
    """Numerical gradient of a scalar function by Richardson extrapolation of central differences.

    (4·D(ε/2) − D(ε)) / 3, with D the central difference `numerical_gradient` at step ε: the ε² terms of
    the two errors cancel, leaving O(ε⁴), so ε can stay large enough for rounding not to matter.

    Args:
        f: scalar function; p is changed in place entry by entry (and restored) while f reads it.
        p: float array, any shape.
        eps: the larger step ε.

    Returns:
        array of p's shape.
    """
    coarse = numerical_gradient(f, p, eps)
    fine = numerical_gradient(f, p, eps / 2)
    return (4 * fine - coarse) / 3


def _loss(y: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    t = np.asarray(t, dtype=np.float64)
    if t.shape != y.shape:
        raise EngineError(
            "The targets must have one row per example and one column per output unit, shape {expected}, "
            "not {shape}.",
            expected=y.shape,
            shape=t.shape,
        )
    if not np.all(np.isfinite(t)):
        raise EngineError("Every target must be a number: a cell of the targets is empty or not a number.")
    return mse_loss(y, t)


def _check_layers(
    x: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activations: Sequence[str]
) -> None:
    """Raise an EngineError with a sentence unless the layers fit together and hold only finite numbers."""
    L = len(weights)
    if L == 0:
        raise EngineError("The network needs at least one layer.")
    if len(biases) != L or len(activations) != L:
        raise EngineError("Give each of the {L} layers its weights, its biases and its activation.", L=L)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and (x.shape[0] == 0 or x.shape[1] == 0):
        raise EngineError(
            "The input needs at least one example and one feature; its shape is {shape}.", shape=x.shape
        )
    for name, arrays in ((Phrase("input"), [x]), (Phrase("weights"), weights), (Phrase("biases"), biases)):
        if any(not np.all(np.isfinite(np.asarray(a, dtype=np.float64))) for a in arrays):
            raise EngineError(
                "Every {name} entry must be a number: a cell is empty or not a number.",
                name=name,
            )
    for l, w in enumerate(weights, start=1):
        if np.asarray(w).ndim == 2 and np.asarray(w).shape[0] == 0:
            raise EngineError("Layer {l} has no units: every layer needs at least one.", l=l)


def classic_example() -> NetworkExample:
    """The classic 2-2-2 sigmoid network with MSE (one example), whose loss is ½Σ(y − t)² = 0.298371109.

    Inputs 0.05, 0.10; hidden weights 0.15, 0.20 / 0.25, 0.30 (row o = weights into unit o); output
    weights 0.40, 0.45 / 0.50, 0.55; biases 0.35 (hidden) and 0.60 (output); targets 0.01, 0.99.
    """
    return NetworkExample(
        x=np.array([[0.05, 0.10]]),
        t=np.array([[0.01, 0.99]]),
        weights=(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])),
        biases=(np.array([0.35, 0.35]), np.array([0.60, 0.60])),
        activations=("sigmoid", "sigmoid"),
    )


def random_example(
    sizes: Sequence[int], activations: Sequence[str], N: int = 1, seed: int = 0
) -> NetworkExample:
    """A network with readable random numbers (two decimals): inputs in [−1, 1], targets in [0, 1].

    Weights are drawn from N(0, 1/n_{l−1}) so that z_l stays of order 1 whatever the layer's width.

    Args:
        sizes: n_0 (inputs), n_1, …, n_L; each ≥ 1.
        activations: f_l for l = 1 … L.
        N: examples in the batch.
        seed: of the random generator.
    """
    if any(n < 1 for n in sizes) or N < 1:
        raise EngineError("Every layer needs at least one unit and the batch at least one example.")
    rng = np.random.default_rng(seed)
    weights = tuple(
        np.round(rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in)), 2)
        for n_in, n_out in pairwise(sizes)
    )
    biases = tuple(np.round(rng.uniform(-0.5, 0.5, size=n), 2) for n in sizes[1:])
    x = np.round(rng.uniform(-1.0, 1.0, size=(N, sizes[0])), 2)
    t = np.round(rng.uniform(0.0, 1.0, size=(N, sizes[-1])), 2)
    return NetworkExample(x, t, weights, biases, tuple(activations))
