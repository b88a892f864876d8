"""The code for what the page shows: the layer in NumPy with the engine and in PyTorch, ready to copy.

The text is engine/snippets.py's; this draws it in an expander, one tab per version, with the input as
.npy beside it (the file the PyTorch version, and the engine version of an upload, read). The expander
is built only while it is open: a closed one costs a rerun nothing.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from engine.export import array_to_npy
from engine.geometry import ConvGeometry
from engine.snippets import INPUT_FILE, ImageSource, LayerCode, LossCode, numpy_code, torch_code
from ui.common.i18n import t
from ui.conv.controls import ConvSetup


def layer_code(setup: ConvSetup, geometry: ConvGeometry) -> LayerCode:
    """The page's layer as the snippets describe it: a sample by its name, anything else by its file."""
    source, identity, color, size = setup.image_key  # ("sample", name, …) or ("upload", digest, …)
    sample = identity if source == "sample" else None
    image = ImageSource(sample, bool(color), int(size))
    return LayerCode(image, setup.kernels, setup.biases, setup.activation, setup.padding, geometry)


def code_panel(
    prefix: str, title: str, layer: LayerCode, image: np.ndarray, loss: LossCode | None = None
) -> None:
    """An expander with the NumPy-engine and PyTorch code for the page, and the image as input.npy.

    Args:
        prefix: the page's id, for the widgets' keys ("forward", "backward").
        title: the expander's label.
        layer: the page's layer (`layer_code`).
        image: the (C, H, W) image the page uses: what input.npy holds.
        loss: the backward page's loss; None for the forward pass alone.
    """
    panel = st.expander(f"🧾 {title}", key=f"{prefix}.code.open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        hint = "conv.code_hint_sample" if layer.image.sample is not None else "conv.code_hint_file"
        st.caption(t(hint, file=INPUT_FILE))
        st.download_button(
            t("conv.code_input", file=INPUT_FILE, shape="×".join(str(n) for n in image.shape)),
            data=lambda: array_to_npy(image),
            file_name=INPUT_FILE,
            mime="application/octet-stream",
            on_click="ignore",
            key=f"{prefix}.code.input",
            icon="⬇️",
        )
        numpy_tab, torch_tab = st.tabs([t("conv.code_numpy"), t("conv.code_torch")])
        numpy_tab.code(numpy_code(layer, loss), language="python")
        torch_tab.code(torch_code(layer, loss), language="python")
