"""Download buttons: the animation as a GIF for slides, the arrays as CSV and .npy.

Files are made only when a button is pressed (Streamlit calls the data function then), and pressing
one does not rerun the page.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from engine.export import array_to_csv, array_to_npy
from ui.common.i18n import t


def export_panel(prefix: str, arrays: dict[str, np.ndarray], gif: Callable[[], bytes] | None = None) -> None:
    """An expander with a GIF button (when given) and CSV / .npy buttons for each named array.

    Args:
        prefix: file names start with it, e.g. "forward".
        arrays: file-name stem → array (2-D, or 3-D channels × rows × columns).
        gif: makes the GIF's bytes, called only on a click.
    """
    # The buttons are made only while the expander is open: eleven buttons cost a closed panel ~5 ms
    # on every rerun otherwise.
    panel = st.expander(f"⬇️ {t('export.title')}", key=f"{prefix}.export.open", on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.caption(t("export.hint"))
        if gif is not None:
            st.download_button(
                t("export.gif"),
                data=gif,
                file_name=f"{prefix}-animation.gif",
                mime="image/gif",
                on_click="ignore",
                key=f"{prefix}.export.gif",
                icon="🎞️",
            )
        for name, array in arrays.items():
            left, right = st.columns(2)
            left.download_button(
                f"{name}.csv",
                data=_csv(array),
                file_name=f"{prefix}-{name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"{prefix}.export.{name}.csv",
                width="stretch",
            )
            right.download_button(
                f"{name}.npy",
                data=_npy(array),
                file_name=f"{prefix}-{name}.npy",
                mime="application/octet-stream",
                on_click="ignore",
                key=f"{prefix}.export.{name}.npy",
                width="stretch",
            )


def _csv(array: np.ndarray) -> Callable[[], str]:
    return lambda: array_to_csv(array)


def _npy(array: np.ndarray) -> Callable[[], bytes]:
    return lambda: array_to_npy(array)
