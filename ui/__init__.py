"""Streamlit helpers shared by the pages: the frame (`ui.frame`), strings (`ui.i18n`), state (`ui.state`).

Pages start with `from ui.frame import frame` and `frame("<page file stem>")`.
"""
