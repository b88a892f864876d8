"""Translated user-facing strings: one table, looked up by string id and the session's language.

`STRINGS` is the one table: the frame's and home page's strings below, merged with every page's own
table in `ui/strings/<page>.py` (ids prefixed by the page id); an id defined twice is an error.
Adding a language means adding its code to `LANGUAGES` and its text to every entry: no code changes.
A test checks that every string id has every language.
"""

from __future__ import annotations

import streamlit as st

from ui.strings import all_strings

# Language code -> its name written in that language (what the language picker shows).
LANGUAGES: dict[str, str] = {
    "en": "English",
}
DEFAULT_LANGUAGE = "en"

# The session-state key holding the current language code (a shared setting, see ui/state.py).
LANGUAGE_KEY = "language"

# String id -> language code -> text: the strings of the frame and the home page.
_FRAME_STRINGS: dict[str, dict[str, str]] = {
    # The app as a whole.
    "app.name": {"en": "CNN Explorer"},
    "app.tagline": {"en": "See how a convolutional network computes, forward and backward."},
    # Page titles: one per entry of the page registry in ui/frame.py.
    "page.home": {"en": "Home"},
    "page.forward": {"en": "Forward pass"},
    "page.backward": {"en": "Backward pass"},
    "page.pooling": {"en": "Pooling"},
    "page.activations": {"en": "Activations"},
    "page.dense": {"en": "Fully connected layer"},
    "page.chain_rule": {"en": "Chain rule"},
    "page.normalization": {"en": "Normalization, split, concat"},
    "page.train": {"en": "Train a tiny CNN"},
    # One line per topic page: what the student does there (the home page's cards).
    "blurb.forward": {"en": "Slide a kernel over an image and watch the feature map fill in, step by step."},
    "blurb.backward": {"en": "Follow the gradient back through a convolution to δ, dW, db and dX."},
    "blurb.pooling": {"en": "Max and average pooling: which inputs win, and where their gradient goes."},
    "blurb.activations": {"en": "ReLU, sigmoid, tanh and friends: their shape and their derivative."},
    "blurb.dense": {"en": "A fully connected layer as a matrix product, forward and backward."},
    "blurb.chain_rule": {"en": "Type an expression and follow the chain rule through its graph."},
    "blurb.normalization": {"en": "Batch and layer normalization, splitting and joining channels."},
    "blurb.train": {"en": "Train a small CNN in the browser and watch its kernels and loss change."},
    # The shared sidebar.
    "sidebar.pages": {"en": "Pages"},
    "sidebar.settings": {"en": "Settings"},
    "sidebar.language": {"en": "Language"},
    "sidebar.presentation": {"en": "Presentation mode"},
    "sidebar.presentation_help": {"en": "Larger type for a projector or a shared screen."},
    # The home page.
    "home.intro": {
        "en": "This app makes the arithmetic of a convolutional network visible on a real image: "
        "pick an image and a kernel, watch the window slide and the feature map fill in, "
        "then follow the gradients back."
    },
    "home.correlation": {
        "en": "What deep-learning libraries call convolution is cross-correlation: the kernel slides over "
        "the image without being flipped. True convolution flips it first."
    },
    "home.start": {"en": "New here? Start with **{page}**."},
    "home.sample_caption": {"en": "A built-in sample; every page also takes your own."},
}


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Join string tables into one; an id defined in two tables is an error (one would silently win)."""
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = sorted(set(merged) & set(table))
        if twice:
            raise ValueError(f"String ids defined twice: {twice}")
        merged.update(table)
    return merged


STRINGS: dict[str, dict[str, str]] = _merge(_FRAME_STRINGS, all_strings())


def current_language() -> str:
    """Return the session's language code, or the default when it is unset or unknown."""
    language = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fmt: object) -> str:
    """Return the string `key` in the session's language, with `{name}` fields filled from `fmt`.

    A string id missing from the table comes back as the id itself, so the gap is visible on the page
    instead of crashing it; a language missing for an id falls back to the default language.

    Args:
        key: a string id of `STRINGS`, e.g. "page.forward".
        **fmt: values for the `{name}` fields of the string.

    Returns:
        The translated, formatted text.
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(current_language()) or entry.get(DEFAULT_LANGUAGE, key)
    if not fmt:
        return text
    try:
        return text.format(**fmt)
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong field name must not break the page: show it unformatted.
        return text
