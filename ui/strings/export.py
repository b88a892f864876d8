"""Strings of the download panel."""

STRINGS: dict[str, dict[str, str]] = {
    "export.title": {"en": "Download: animation and numbers"},
    "export.hint": {
        "en": "A GIF of the animation for slides; the arrays as CSV (spreadsheets) or .npy (NumPy). "
        "Each figure's camera icon saves it as a PNG."
    },
    "export.gif": {"en": "Animation as GIF"},
}
