"""A tiny CNN built from the engine's own layers: conv → activation → pool (once or twice) → dense → softmax.

The network is nothing but the layer pairs of engine/conv.py, activations.py, pool.py, dense.py and
losses.py chained: the forward pass keeps every layer's cache, the backward pass walks them in reverse,
each layer handing the gradient of its input to the layer before it (the chain rule, one layer at a time).

Parameters are a plain dict of float64 arrays with stable names, in the order the forward pass uses them:

    "conv1.w" (F1, C, K, K)   "conv1.b" (F1,)
    "conv2.w" (F2, F1, K, K)  "conv2.b" (F2,)      only with a second conv block
    "dense.w" (classes, D)    "dense.b" (classes,)  D = F · H_pool · W_pool, the flattened last block

Training (engine/training.py) updates them with SGD with momentum (`sgd_step`); every function here is
pure: nothing is changed in place, so a page can keep the previous parameters next to the new ones.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.activations import ACTIVATIONS, ActivationCache, activation_backward, activation_forward
from engine.conv import Conv2dCache, conv2d_backward, conv2d_forward
from engine.dense import DenseCache, dense_backward, dense_forward
from engine.errors import EngineError
from engine.gradcheck import numerical_gradient
from engine.losses import softmax, softmax_cross_entropy
from engine.pool import POOL_MODES, PoolCache, pool2d_backward, pool2d_forward

Params = dict[str, np.ndarray]
MAX_KERNELS = 8
KERNEL_SIZES: tuple[int, ...] = (3, 4, 5)
POOL_SIZE = 2  # 2 × 2 windows, stride 2: each block halves the height and width


class ModelConfig(NamedTuple):
    """The architecture (everything but the learned numbers); hashable, so a page can cache by it."""

    in_shape: tuple[int, int, int] = (1, 8, 8)  # (C, H, W) of one input image
    n_classes: int = 10
    kernels: int = 8  # F1, kernels of the first conv block
    kernel_size: int = 3  # K: both conv blocks use K × K kernels with "same" padding
    activation: str = "relu"
    pool: str = "max"  # "max" or "avg", 2 × 2 with stride 2
    kernels2: int = 0  # F2, kernels of the second conv block; 0 = no second block


class BlockCache(NamedTuple):
    """One conv block's forward pass: each layer's cache, and the block's output."""

    conv: Conv2dCache
    act: ActivationCache  # holds the conv output z (pre-activation) and a = σ(z)
    pool: PoolCache
    out: np.ndarray  # (N, F, H_pool, W_pool), the pooled maps


class ModelCache(NamedTuple):
    """Everything the forward pass saved: the blocks in order, the flattening and the dense layer."""

    blocks: tuple[BlockCache, ...]
    dense: DenseCache
    config: ModelConfig


class GradCheck(NamedTuple):
    """A whole-network gradient check: per parameter, the analytic and numerical gradients compared."""

    names: tuple[str, ...]
    errors: tuple[
        float, ...
    ]  # relative error ‖a − n‖ / (‖a‖ + ‖n‖) per parameter (see check_model_gradients)
    checked: tuple[int, ...]  # how many entries of each parameter were differentiated numerically
    loss: float


def check_config(config: ModelConfig) -> None:
    """Raise an EngineError with a readable sentence unless the architecture can be built.

    Raises:
        EngineError: for kernels outside 1…MAX_KERNELS, a kernel size outside KERNEL_SIZES, an unknown
        activation or pooling, or an image too small to be pooled by every block.
    """
    _, H, W = config.in_shape
    if not 1 <= config.kernels <= MAX_KERNELS or not 0 <= config.kernels2 <= MAX_KERNELS:
        raise EngineError("A conv block has between 1 and {limit} kernels.", limit=MAX_KERNELS)
    if config.kernel_size not in KERNEL_SIZES:
        raise EngineError("The kernel size must be one of {sizes}.", sizes=", ".join(map(str, KERNEL_SIZES)))
    if config.activation not in ACTIVATIONS:
        raise EngineError("The activation must be one of {choices}.", choices=", ".join(ACTIVATIONS))
    if config.pool not in POOL_MODES:
        raise EngineError("The pooling must be one of {choices}.", choices=", ".join(POOL_MODES))
    if config.n_classes < 2:
        raise EngineError("A classifier needs at least two classes.")
    n_blocks = 2 if config.kernels2 else 1
    if min(H, W) // POOL_SIZE**n_blocks < 1:
        raise EngineError(
            "A {H} × {W} image is too small for {blocks} pooling step(s), which each halve its size.",
            H=H,
            W=W,
            blocks=n_blocks,
        )


def block_shapes(config: ModelConfig) -> list[tuple[int, int, int]]:
    """The (F, H_pool, W_pool) shape of each conv block's output ("same" convolution, then 2 × 2 pooling)."""
    _, H, W = config.in_shape
    shapes = []
    for F in (config.kernels, config.kernels2):
        if F == 0:
            break
        H, W = H // POOL_SIZE, W // POOL_SIZE
        shapes.append((F, H, W))
    return shapes


def init_params(config: ModelConfig, seed: int = 0) -> Params:
    """Random starting parameters: He initialisation for the weights, small positive conv biases.

    He: w ~ N(0, 2 / fan_in), which keeps the variance of the signal about constant through ReLU layers.
    Conv biases start at 0.01 rather than 0 so that ReLU units over a blank background (z = b) sit off
    the kink at z = 0, where the derivative is undefined and a numerical gradient check would disagree.

    Args:
        config: the architecture.
        seed: seed of the random generator (same seed, same parameters).

    Returns:
        the parameter dict (see the module docstring for names and shapes).
    """
    check_config(config)
    rng = np.random.default_rng(seed)
    K, C = config.kernel_size, config.in_shape[0]
    params: Params = {}
    for name, F, C_in in (("conv1", config.kernels, C), ("conv2", config.kernels2, config.kernels)):
        if F == 0:
            continue
        fan_in = C_in * K * K
        params[f"{name}.w"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(F, C_in, K, K))
        params[f"{name}.b"] = np.full(F, 0.01)
    D = int(np.prod(block_shapes(config)[-1]))
    params["dense.w"] = rng.normal(0.0, np.sqrt(2.0 / D), size=(config.n_classes, D))
    params["dense.b"] = np.zeros(config.n_classes)
    return params


def model_forward(params: Params, x: np.ndarray, config: ModelConfig) -> tuple[np.ndarray, ModelCache]:
    """Class scores of a batch: each conv block (conv → σ → pool), flatten, then dense.

    Args:
        params: the parameter dict.
        x: images (N, C, H, W), C, H, W as in `config.in_shape`.
        config: the architecture.

    Returns:
        logits (N, n_classes); cache for `model_backward` (it also holds every feature map).
    """
    x = _check_input(x, config)
    blocks = []
    h = x
    for name in _block_names(config):
        z, conv_cache = conv2d_forward(h, params[f"{name}.w"], params[f"{name}.b"], padding="same")
        a, act_cache = activation_forward(z, config.activation)
        h, pool_cache = pool2d_forward(a, POOL_SIZE, mode=config.pool)
        blocks.append(BlockCache(conv_cache, act_cache, pool_cache, h))
    # Flatten each example's maps into one row: (N, F, H_pool, W_pool) → (N, F·H_pool·W_pool).
    logits, dense_cache = dense_forward(h.reshape(h.shape[0], -1), params["dense.w"], params["dense.b"])
    return logits, ModelCache(tuple(blocks), dense_cache, config)


def model_backward(dlogits: np.ndarray, cache: ModelCache) -> Params:
    """The gradient of the loss with respect to every parameter, layer by layer in reverse.

    Args:
        dlogits: ∂L/∂logits, (N, n_classes).
        cache: from `model_forward`.

    Returns:
        a dict with the parameters' names, each gradient of its parameter's shape.
    """
    grads: Params = {}
    dh, grads["dense.w"], grads["dense.b"] = dense_backward(dlogits, cache.dense)
    dh = dh.reshape(cache.blocks[-1].out.shape)  # undo the flattening
    for name, block in reversed(list(zip(_block_names(cache.config), cache.blocks))):
        da = pool2d_backward(dh, block.pool)
        dz = activation_backward(da, block.act)
        dh, grads[f"{name}.w"], grads[f"{name}.b"] = conv2d_backward(dz, block.conv)
    # Same order as the parameters (the backward pass met them in reverse).
    return {name: grads[name] for name in param_names(cache.config)}


def loss_and_grads(
    params: Params, x: np.ndarray, labels: np.ndarray, config: ModelConfig
) -> tuple[float, Params, np.ndarray]:
    """Softmax cross-entropy of a batch, averaged over it, and its gradient for every parameter.

    Args:
        params: the parameter dict.
        x: images (N, C, H, W).
        labels: int classes (N,).
        config: the architecture.

    Returns:
        loss L; grads (dict of the parameters' shapes); logits (N, n_classes).
    """
    logits, cache = model_forward(params, x, config)
    loss, dlogits = softmax_cross_entropy(logits, labels)
    return loss, model_backward(dlogits, cache), logits


def sgd_step(
    params: Params, velocity: Params, grads: Params, lr: float, momentum: float
) -> tuple[Params, Params]:
    """One step of SGD with momentum (PyTorch's form): v ← μ·v + g, θ ← θ − η·v.

    The velocity v is a running sum of past gradients that decays by μ each step: along a direction the
    gradient keeps pointing, steps grow up to 1 / (1 − μ) times (10× for μ = 0.9); zig-zags cancel out.

    Args:
        params, velocity, grads: dicts with the same names and shapes (velocity starts at zeros).
        lr: learning rate η > 0.
        momentum: μ in [0, 1).

    Returns:
        new params and new velocity (the inputs are not changed).
    """
    if lr <= 0 or not 0 <= momentum < 1:
        raise EngineError("The learning rate must be positive and the momentum in [0, 1).")
    new_velocity = {name: momentum * velocity[name] + grads[name] for name in params}
    new_params = {name: params[name] - lr * new_velocity[name] for name in params}
    return new_params, new_velocity


def zero_velocity(params: Params) -> Params:
    """A velocity of zeros for every parameter (the state of momentum before the first step)."""
    return {name: np.zeros_like(value) for name, value in params.items()}


def predict_proba(params: Params, x: np.ndarray, config: ModelConfig) -> np.ndarray:
    """Class probabilities softmax(logits) of a batch.

    Args:
        params: the parameter dict; x: images (N, C, H, W); config: the architecture.

    Returns:
        (N, n_classes), each row summing to 1.
    """
    logits, _ = model_forward(params, x, config)
    return softmax(logits)


def predict(params: Params, x: np.ndarray, config: ModelConfig) -> np.ndarray:
    """The predicted class of each image: the index of its largest score, int (N,)."""
    logits, _ = model_forward(params, x, config)
    return np.argmax(logits, axis=1)


def feature_maps(params: Params, image: np.ndarray, config: ModelConfig) -> list[dict[str, np.ndarray]]:
    """What each conv block computes for one image: conv output z, activation a = σ(z), pooled map.

    Args:
        image: one image (C, H, W).

    Returns:
        one dict per block, {"z": (F, H, W), "a": (F, H, W), "pooled": (F, H_pool, W_pool)}.
    """
    _, cache = model_forward(params, np.asarray(image, dtype=np.float64)[None], config)
    return [{"z": b.act.z[0], "a": b.act.a[0], "pooled": b.out[0]} for b in cache.blocks]


def param_names(config: ModelConfig) -> list[str]:
    """The parameters' names in forward order (e.g. conv1.w, conv1.b, dense.w, dense.b)."""
    names = [f"{block}.{p}" for block in _block_names(config) for p in ("w", "b")]
    return [*names, "dense.w", "dense.b"]


def layer_names(config: ModelConfig) -> list[str]:
    """The layers with parameters, in forward order: "conv1", ["conv2",] "dense"."""
    return [*_block_names(config), "dense"]


def check_model_gradients(
    params: Params,
    x: np.ndarray,
    labels: np.ndarray,
    config: ModelConfig,
    *,
    eps: float = 1e-6,
    max_entries: int | None = None,
    seed: int = 0,
) -> GradCheck:
    """Compare backprop's gradient of the loss with central differences, parameter by parameter.

    Each checked entry θ_i gets (L(θ_i + ε) − L(θ_i − ε)) / 2ε by running the whole network twice.
    The error per parameter is ‖a − n‖₂ / (‖a‖₂ + ‖n‖₂) over the checked entries (analytic a, numerical
    n): the loss carries rounding of about 1e-16, which the division by 2ε turns into ~1e-10 in every
    numerical entry, so an entry whose true gradient is almost 0 would show a large relative error of its
    own. Taken over the whole tensor, the error is ~1e-9 or below when backprop is right, ~1 when it is not.

    Args:
        params: the parameter dict (not changed).
        x: a few images (N, C, H, W); labels: their classes (N,).
        config: the architecture.
        eps: the step ε.
        max_entries: check at most this many entries of each parameter (chosen at random); None = all.
        seed: which entries are chosen.

    Returns:
        a GradCheck with one relative error per parameter.
    """
    loss, grads, _ = loss_and_grads(params, x, labels, config)
    rng = np.random.default_rng(seed)
    work = {name: value.copy() for name, value in params.items()}
    errors, checked = [], []
    for name in params:
        indices = _entries(work[name].shape, max_entries, rng)
        numeric = numerical_gradient(
            lambda _: softmax_cross_entropy(model_forward(work, x, config)[0], labels)[0],
            work[name],
            eps,
            indices,
        )
        rows = tuple(np.array(indices).T)
        a, n = grads[name][rows], numeric[rows]
        errors.append(float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-12)))
        checked.append(len(indices))
    return GradCheck(tuple(params), tuple(errors), tuple(checked), loss)


def _entries(shape: tuple[int, ...], max_entries: int | None, rng: np.random.Generator) -> list[tuple]:
    """All index tuples of an array of `shape`, or `max_entries` of them chosen at random."""
    every = list(np.ndindex(shape))
    if max_entries is None or max_entries >= len(every):
        return every
    picked = rng.choice(len(every), size=max_entries, replace=False)
    return [every[k] for k in sorted(picked)]


def _block_names(config: ModelConfig) -> list[str]:
    return ["conv1", "conv2"] if config.kernels2 else ["conv1"]


def _check_input(x: np.ndarray, config: ModelConfig) -> np.ndarray:
    """x as float64 (N, C, H, W), or an EngineError when its image shape is not the configured one."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4 or tuple(x.shape[1:]) != tuple(config.in_shape):
        raise EngineError(
            "The network takes images of shape (N, {shape}), not {got}.",
            shape=", ".join(map(str, config.in_shape)),
            got=x.shape,
        )
    return x
