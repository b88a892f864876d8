"""CNN Explorer's engine: convolutional-network layers in pure NumPy, forward and backward.

Every layer is a pair of pure functions, `x_forward(...) -> (out, cache)` and `x_backward(dout, cache)`,
in float64 and NCHW layout. Nothing here knows it runs in a web app: `import engine` in a notebook gives
the same numbers as the pages.

    >>> import numpy as np, engine
    >>> y, cache = engine.conv2d_forward(np.ones((1, 1, 4, 5)), np.ones((2, 1, 3, 3)), np.zeros(2), padding=1)
    >>> dx, dw, db = engine.conv2d_backward(np.ones_like(y), cache)
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> (submodule, its name there). Loaded on first use (PEP 562): importing `engine` itself
# imports no submodule, so two threads importing different submodules for the first time at once (two
# pages opened together on a fresh server) cannot deadlock on the package's import lock, which an
# __init__ that imports its submodules, while they import the package, can.
_PUBLIC: dict[str, tuple[str, str]] = {
    "ACTIVATIONS": ("activations", "ACTIVATIONS"),
    "activation_backward": ("activations", "activation_backward"),
    "activation_derivative": ("activations", "activation_derivative"),
    "activation_forward": ("activations", "activation_forward"),
    "conv2d_backward": ("conv", "conv2d_backward"),
    "conv2d_forward": ("conv", "conv2d_forward"),
    "flip_kernel": ("conv", "flip_kernel"),
    "conv2d_backward_reference": ("conv_reference", "backward"),
    "conv2d_forward_reference": ("conv_reference", "forward"),
    "dense_backward": ("dense", "dense_backward"),
    "dense_forward": ("dense", "dense_forward"),
    "EngineError": ("errors", "EngineError"),
    "PAD_MODES": ("geometry", "PAD_MODES"),
    "conv_output_size": ("geometry", "conv_output_size"),
    "resolve_padding": ("geometry", "resolve_padding"),
    "same_padding": ("geometry", "same_padding"),
    "numerical_gradient": ("gradcheck", "numerical_gradient"),
    "numerical_gradient_of_output": ("gradcheck", "numerical_gradient_of_output"),
    "relative_error": ("gradcheck", "relative_error"),
    "ImageLoadError": ("images", "ImageLoadError"),
    "list_samples": ("samples", "list_samples"),
    "load_image": ("images", "load_image"),
    "load_sample": ("samples", "load_sample"),
    "mse_loss": ("losses", "mse_loss"),
    "softmax": ("losses", "softmax"),
    "softmax_cross_entropy": ("losses", "softmax_cross_entropy"),
    "batchnorm_backward": ("norm", "batchnorm_backward"),
    "batchnorm_forward": ("norm", "batchnorm_forward"),
    "pool2d_backward": ("pool", "pool2d_backward"),
    "pool2d_forward": ("pool", "pool2d_forward"),
    "PRESETS": ("presets", "PRESETS"),
    "kernel_preset": ("presets", "kernel_preset"),
    "random_kernel": ("presets", "random_kernel"),
    "backward_trace": ("trace", "backward_trace"),
    "forward_trace": ("trace", "forward_trace"),
}


def __getattr__(name: str) -> Any:
    """`engine.<name>` for a public name: imported from its submodule on first use, then kept."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(f"engine.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


__all__ = [
    "ACTIVATIONS",
    "PAD_MODES",
    "PRESETS",
    "EngineError",
    "ImageLoadError",
    "activation_backward",
    "activation_derivative",
    "activation_forward",
    "backward_trace",
    "batchnorm_backward",
    "batchnorm_forward",
    "conv2d_backward",
    "conv2d_backward_reference",
    "conv2d_forward",
    "conv2d_forward_reference",
    "conv_output_size",
    "dense_backward",
    "dense_forward",
    "flip_kernel",
    "forward_trace",
    "kernel_preset",
    "list_samples",
    "load_image",
    "load_sample",
    "mse_loss",
    "numerical_gradient",
    "numerical_gradient_of_output",
    "pool2d_backward",
    "pool2d_forward",
    "random_kernel",
    "relative_error",
    "resolve_padding",
    "same_padding",
    "softmax",
    "softmax_cross_entropy",
]
