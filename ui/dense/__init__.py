"""The fully connected layer page: its architecture, number grids, tables and controls."""
