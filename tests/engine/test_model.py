"""The tiny CNN (engine/model.py): shapes, the whole-network gradient check, SGD with momentum, prediction."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.model as model
from engine.losses import softmax_cross_entropy
from engine.model import (
    ModelConfig,
    block_shapes,
    check_config,
    check_model_gradients,
    feature_maps,
    init_params,
    layer_names,
    loss_and_grads,
    model_backward,
    model_forward,
    param_names,
    predict,
    predict_proba,
    sgd_step,
    zero_velocity,
)

# Non-square images, every kernel size, each activation and pooling, one and two conv blocks.
CONFIGS = [
    ModelConfig(in_shape=(1, 8, 8), n_classes=10, kernels=3, kernel_size=3),
    ModelConfig(in_shape=(1, 7, 10), n_classes=4, kernels=2, kernel_size=4, activation="tanh", pool="avg"),
    ModelConfig(in_shape=(2, 9, 6), n_classes=3, kernels=2, kernel_size=5, activation="sigmoid", kernels2=3),
    ModelConfig(
        in_shape=(1, 12, 8), n_classes=5, kernels=4, kernel_size=3, activation="leaky_relu", kernels2=2
    ),
    ModelConfig(
        in_shape=(1, 6, 11), n_classes=2, kernels=1, kernel_size=3, activation="identity", pool="avg"
    ),
]


def _random_params(config: ModelConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Seeded parameters with random biases (no entry sits exactly on a ReLU kink)."""
    params = init_params(config, seed=int(rng.integers(1000)))
    return {
        name: value + (rng.normal(0, 0.1, value.shape) if name.endswith(".b") else 0)
        for name, value in params.items()
    }


def _batch(config: ModelConfig, rng: np.random.Generator, N: int = 3) -> tuple[np.ndarray, np.ndarray]:
    return rng.random((N, *config.in_shape)), rng.integers(0, config.n_classes, N)


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_whole_network_gradient_check(config: ModelConfig, rng: np.random.Generator) -> None:
    params = _random_params(config, rng)
    x, labels = _batch(config, rng)
    check = check_model_gradients(params, x, labels, config)
    assert check.names == tuple(param_names(config))
    assert check.checked == tuple(params[name].size for name in check.names)  # every entry
    assert max(check.errors) <= 1e-7, dict(zip(check.names, check.errors))


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_shapes_of_outputs_gradients_and_maps(config: ModelConfig, rng: np.random.Generator) -> None:
    params = _random_params(config, rng)
    x, labels = _batch(config, rng, N=4)
    logits, cache = model_forward(params, x, config)
    assert logits.shape == (4, config.n_classes)
    assert [b.out.shape[1:] for b in cache.blocks] == block_shapes(config)
    loss, grads, _ = loss_and_grads(params, x, labels, config)
    assert np.isfinite(loss)
    assert list(grads) == list(params) == param_names(config)
    assert all(grads[name].shape == params[name].shape for name in params)
    maps = feature_maps(params, x[0], config)
    assert len(maps) == len(layer_names(config)) - 1
    size = config.in_shape[1:]  # "same" convolutions keep the size; each pooling halves it (rounding down)
    for block, (F, H, W) in zip(maps, block_shapes(config)):
        assert block["a"].shape == (F, *size)
        assert block["pooled"].shape == (F, H, W) == (F, size[0] // 2, size[1] // 2)
        size = (H, W)


def test_the_check_catches_a_wrong_backward(
    monkeypatch: pytest.MonkeyPatch, rng: np.random.Generator
) -> None:
    config = CONFIGS[0]
    params = _random_params(config, rng)
    x, labels = _batch(config, rng)
    right = model.conv2d_backward

    def flipped_kernel_gradient(dy, cache):  # a classic bug: dW computed for the flipped kernel
        dx, dw, db = right(dy, cache)
        return dx, dw[..., ::-1, ::-1], db

    monkeypatch.setattr(model, "conv2d_backward", flipped_kernel_gradient)
    errors = dict(zip(*check_model_gradients(params, x, labels, config)[:2]))
    assert errors["conv1.w"] > 1e-2
    assert errors["dense.w"] <= 1e-7  # the layers above the bug are still right


def test_max_entries_checks_a_random_subset(rng: np.random.Generator) -> None:
    config = CONFIGS[0]
    params = _random_params(config, rng)
    check = check_model_gradients(params, *_batch(config, rng), config, max_entries=5)
    assert check.checked == (5, 3, 5, 5)  # conv1.b has only 3 entries
    assert max(check.errors) <= 1e-7


def test_the_loss_is_the_mean_cross_entropy_of_the_logits(rng: np.random.Generator) -> None:
    config = CONFIGS[1]
    params = _random_params(config, rng)
    x, labels = _batch(config, rng)
    loss, _, logits = loss_and_grads(params, x, labels, config)
    assert loss == pytest.approx(softmax_cross_entropy(model_forward(params, x, config)[0], labels)[0])
    probabilities = predict_proba(params, x, config)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    np.testing.assert_array_equal(predict(params, x, config), np.argmax(logits, axis=1))


def test_backward_does_not_depend_on_the_loss(rng: np.random.Generator) -> None:
    """model_backward of a random upstream gradient matches central differences of Σ g ⊙ logits."""
    config = CONFIGS[3]
    params = _random_params(config, rng)
    x, _ = _batch(config, rng)
    logits, cache = model_forward(params, x, config)
    g = rng.normal(size=logits.shape)
    grads = model_backward(g, cache)
    w = params["conv2.w"]
    eps = 1e-6
    for index in [(0, 0, 0, 0), (1, 2, 2, 1), (0, 3, 1, 2)]:
        plus, minus = w.copy(), w.copy()
        plus[index] += eps
        minus[index] -= eps
        f = [np.sum(g * model_forward({**params, "conv2.w": v}, x, config)[0]) for v in (plus, minus)]
        assert grads["conv2.w"][index] == pytest.approx((f[0] - f[1]) / (2 * eps), rel=1e-6, abs=1e-9)


def test_sgd_with_momentum_by_hand() -> None:
    params = {"w": np.array([1.0, -2.0])}
    velocity = {"w": np.array([0.5, 0.0])}
    grads = {"w": np.array([0.2, -0.4])}
    new_params, new_velocity = sgd_step(params, velocity, grads, lr=0.1, momentum=0.9)
    # v = 0.9·[0.5, 0] + [0.2, −0.4] = [0.65, −0.4];  θ = [1, −2] − 0.1·v = [0.935, −1.96]
    np.testing.assert_allclose(new_velocity["w"], [0.65, -0.4])
    np.testing.assert_allclose(new_params["w"], [0.935, -1.96])
    np.testing.assert_array_equal(params["w"], [1.0, -2.0])  # the inputs are not changed
    np.testing.assert_array_equal(velocity["w"], [0.5, 0.0])


def test_sgd_without_momentum_is_plain_gradient_descent(rng: np.random.Generator) -> None:
    params = {"a": rng.normal(size=(2, 3)), "b": rng.normal(size=4)}
    grads = {name: rng.normal(size=v.shape) for name, v in params.items()}
    new_params, _ = sgd_step(params, zero_velocity(params), grads, lr=0.3, momentum=0.0)
    for name in params:
        np.testing.assert_allclose(new_params[name], params[name] - 0.3 * grads[name])


@pytest.mark.parametrize(("lr", "momentum"), [(0.0, 0.9), (-0.1, 0.5), (0.1, 1.0), (0.1, -0.2)])
def test_sgd_refuses_bad_settings(lr: float, momentum: float) -> None:
    with pytest.raises(ValueError):
        sgd_step({"w": np.zeros(2)}, {"w": np.zeros(2)}, {"w": np.zeros(2)}, lr, momentum)


def test_init_is_seeded_and_he_scaled() -> None:
    config = ModelConfig(in_shape=(1, 16, 12), n_classes=4, kernels=8, kernel_size=5)
    a, b, c = init_params(config, 1), init_params(config, 1), init_params(config, 2)
    assert all(np.array_equal(a[name], b[name]) for name in a)
    assert not np.array_equal(a["conv1.w"], c["conv1.w"])
    assert np.std(a["conv1.w"]) == pytest.approx(np.sqrt(2 / 25), rel=0.25)
    assert a["dense.w"].shape == (4, 8 * 8 * 6)
    np.testing.assert_array_equal(a["conv1.b"], 0.01)


@pytest.mark.parametrize(
    "config",
    [
        ModelConfig(kernels=0),
        ModelConfig(kernels=9),
        ModelConfig(kernels2=9),
        ModelConfig(kernel_size=6),
        ModelConfig(activation="softplus"),
        ModelConfig(pool="min"),
        ModelConfig(n_classes=1),
        ModelConfig(in_shape=(1, 3, 8), kernels2=2),  # 3 → 1 → 0 rows after two poolings
    ],
    ids=str,
)
def test_impossible_architectures_are_refused_in_a_sentence(config: ModelConfig) -> None:
    with pytest.raises(ValueError, match=r"\w+ \w+"):
        check_config(config)


def test_a_wrong_input_shape_is_refused() -> None:
    config = ModelConfig()
    params = init_params(config)
    with pytest.raises(ValueError, match="images of shape"):
        model_forward(params, np.zeros((2, 1, 8, 9)), config)


@settings(max_examples=20, deadline=None)
@given(
    N=st.integers(2, 5),
    H=st.integers(4, 9),
    W=st.integers(4, 9),
    K=st.sampled_from([3, 4, 5]),
    pool=st.sampled_from(["max", "avg"]),
    seed=st.integers(0, 10_000),
)
def test_each_image_is_classified_on_its_own(N: int, H: int, W: int, K: int, pool: str, seed: int) -> None:
    """A batch gives the same logits as its images one at a time: no layer mixes the examples."""
    config = ModelConfig(in_shape=(1, H, W), n_classes=3, kernels=2, kernel_size=K, pool=pool)
    rng = np.random.default_rng(seed)
    params = init_params(config, seed)
    x = rng.random((N, 1, H, W))
    together, _ = model_forward(params, x, config)
    apart = np.concatenate([model_forward(params, x[n : n + 1], config)[0] for n in range(N)])
    np.testing.assert_allclose(together, apart, rtol=1e-12, atol=1e-12)
