"""CNN Explorer's engine: convolutional-network layers in pure NumPy, forward and backward.

Every layer is a pair of pure functions, `x_forward(...) -> (out, cache)` and `x_backward(dout, cache)`,
in float64 and NCHW layout. Nothing here knows it runs in a web app: `import engine` in a notebook gives
the same numbers as the pages.
"""

from engine.geometry import PAD_MODES, conv_output_size, resolve_padding, same_padding
from engine.gradcheck import numerical_gradient, relative_error

__all__ = [
    "PAD_MODES",
    "conv_output_size",
    "numerical_gradient",
    "relative_error",
    "resolve_padding",
    "same_padding",
]
