"""The transposed-convolution page: its settings, controls, computation and strings."""
