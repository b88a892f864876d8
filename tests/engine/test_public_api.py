"""The engine's public names and signatures, which the pages and other checks rely on."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import engine


@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("conv2d_forward", ["x", "w", "b", "stride", "padding", "dilation", "pad_mode", "impl"]),
        ("conv2d_backward", ["dy", "cache"]),
        ("conv_output_size", ["n", "k", "stride", "padding", "dilation"]),
        ("pool2d_forward", ["x", "size", "stride", "mode", "padding", "impl"]),
        ("pool2d_backward", ["dy", "cache"]),
        ("activation_forward", ["z", "kind"]),
        ("activation_backward", ["da", "cache"]),
        ("dense_forward", ["x", "w", "b"]),
        ("dense_backward", ["dy", "cache"]),
        ("mse_loss", ["y", "t"]),
        ("softmax_cross_entropy", ["logits", "labels"]),
        ("numerical_gradient", ["f", "x", "eps", "indices"]),
        ("relative_error", ["a", "b"]),
    ],
)
def test_signature(name, parameters):
    assert list(inspect.signature(getattr(engine, name)).parameters) == parameters


def test_defaults_match_the_contract():
    conv = inspect.signature(engine.conv2d_forward).parameters
    assert (conv["stride"].default, conv["padding"].default, conv["dilation"].default) == (1, 0, 1)
    assert conv["pad_mode"].default == "zeros"
    pool = inspect.signature(engine.pool2d_forward).parameters
    assert (pool["size"].default, pool["stride"].default, pool["mode"].default) == (2, None, "max")
    assert inspect.signature(engine.numerical_gradient).parameters["eps"].default == 1e-6


def test_a_notebook_round_trip():
    x = np.arange(20.0).reshape(1, 1, 4, 5)
    y, cache = engine.conv2d_forward(x, np.ones((2, 1, 3, 3)), np.zeros(2), padding="same")
    dx, dw, db = engine.conv2d_backward(np.ones_like(y), cache)
    assert y.shape == (1, 2, 4, 5) and dx.shape == x.shape and dw.shape == (2, 1, 3, 3) and db.shape == (2,)
    assert engine.conv_output_size(32, 5, stride=2, padding=2) == 16
    assert engine.same_padding(4) == (1, 2)
