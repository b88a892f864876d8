"""The pooling page: its settings and controls."""
