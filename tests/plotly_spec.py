"""Reading Plotly figure specs in tests: typed arrays back to NumPy, sizes as the browser gets them."""

from __future__ import annotations

import base64
import json

import numpy as np


def decode(value) -> np.ndarray:
    """A spec's array (a typed-array dict or a plain list) as a NumPy array."""
    if isinstance(value, dict) and "bdata" in value:
        raw = base64.b64decode(value["bdata"])
        array = np.frombuffer(raw, dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            array = array.reshape([int(s) for s in str(shape).split(",")])
        return array
    return np.asarray(value)


def spec_of(figure) -> dict:
    """A figure (spec dict or JSON text, as AppTest returns it) as a dict."""
    return json.loads(figure) if isinstance(figure, str) else figure


def json_bytes(spec: dict) -> int:
    """Bytes of the figure's JSON."""
    return len(json.dumps(spec).encode("utf-8"))
