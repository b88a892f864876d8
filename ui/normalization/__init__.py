"""The normalization page (batch norm, split, concat): its settings and controls."""
