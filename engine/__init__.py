"""CNN Explorer's engine: convolutional-network layers in pure NumPy, forward and backward.

Every layer is a pair of pure functions, `x_forward(...) -> (out, cache)` and `x_backward(dout, cache)`,
in float64 and NCHW layout. Nothing here knows it runs in a web app: `import engine` in a notebook gives
the same numbers as the pages.

    >>> import numpy as np, engine
    >>> y, cache = engine.conv2d_forward(np.ones((1, 1, 4, 5)), np.ones((2, 1, 3, 3)), np.zeros(2), padding=1)
    >>> dx, dw, db = engine.conv2d_backward(np.ones_like(y), cache)
"""

from engine.activations import ACTIVATIONS, activation_backward, activation_derivative, activation_forward
from engine.conv import conv2d_backward, conv2d_forward, flip_kernel
from engine.conv_reference import backward as conv2d_backward_reference
from engine.conv_reference import forward as conv2d_forward_reference
from engine.dense import dense_backward, dense_forward
from engine.errors import EngineError
from engine.geometry import PAD_MODES, conv_output_size, resolve_padding, same_padding
from engine.gradcheck import numerical_gradient, numerical_gradient_of_output, relative_error
from engine.images import ImageLoadError, list_samples, load_image, load_sample
from engine.losses import mse_loss, softmax, softmax_cross_entropy
from engine.norm import batchnorm_backward, batchnorm_forward
from engine.pool import pool2d_backward, pool2d_forward
from engine.presets import PRESETS, kernel_preset, random_kernel
from engine.trace import backward_trace, forward_trace

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
