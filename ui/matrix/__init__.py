"""The convolution-as-a-matrix page: its settings, controls, computation and strings."""
