"""The activations page: its settings and controls."""
