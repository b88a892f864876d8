"""Plotly figure builders: arrays and traces in, `go.Figure` out. No Streamlit here."""
