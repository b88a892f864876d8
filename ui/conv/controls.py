"""The convolution controls shared by the forward and backward pages: image, kernels, geometry.

`conv_setup()` draws the controls in the sidebar and returns a `ConvSetup` (the image, the kernels and
the hyper-parameters, ready for the engine) or raises `SetupError` with a sentence to show; the page
then keeps its previous result.
"""

from __future__ import annotations

import functools
import hashlib
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from engine.activations import ACTIVATIONS
from engine.conv import flip_kernel
from engine.geometry import PAD_MODES
from engine.images import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, ImageLoadError, load_image
from engine.presets import PRESETS, kernel_preset, random_kernel
from engine.samples import list_samples, load_sample
from ui.common.caching import cached_resource
from ui.common.controls import keep_possible
from ui.common.display import problem_text
from ui.common.i18n import t
from ui.common.links import Choice
from ui.common.state import bind
from ui.conv.compute import read_only
from ui.conv.state import CUSTOM, MAX_KERNEL_SIZE, MAX_KERNELS, RANDOM, SIZES

UPLOAD_KEY = "conv.upload"  # {"name", "digest", "data"} of the last image that loaded, kept in memory
SOURCES = Choice(("sample", "upload", "camera"))  # where the image comes from ("conv.source")


class SetupError(ValueError):
    """A setting that cannot be used, said in a sentence for the page."""


class ConvSetup(NamedTuple):
    """Everything the engine needs for one convolution layer, from the page's controls."""

    key: str  # digest of everything below: the key of every cache of the convolution pages
    image_key: tuple  # identity of the image (sample name or upload digest, colour, size)
    image: np.ndarray  # (C, H, W) in [0, 1]
    kernels: np.ndarray  # (F, C, KH, KW), already flipped for true convolution
    biases: np.ndarray  # (F,)
    kernel_names: tuple[str, ...]  # what each kernel is, for titles
    activation: str
    stride: tuple[int, int]
    padding: str | tuple[int, int]  # "same", "valid" or (ph, pw)
    dilation: tuple[int, int]
    pad_mode: str

    @property
    def hyper(self) -> dict:
        """The hyper-parameters as keyword arguments of `conv2d_forward`."""
        return {
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
            "pad_mode": self.pad_mode,
        }


# cache_resource: one read-only array shared by every session, not a pickled copy per rerun.
@cached_resource(max_entries=64)
def sample_image(name: str, color: bool, size: int) -> np.ndarray:
    """A sample image (C, H, W) at the working size (read-only)."""
    return read_only(load_sample(name, color=color, size=size))


@cached_resource(max_entries=16)
def uploaded_image(digest: str, color: bool, size: int, _data: bytes) -> np.ndarray:
    """An uploaded image (C, H, W) at the working size (read-only); cached by the digest, not the bytes."""
    return read_only(load_image(_data, color=color, size=size))


def conv_setup() -> ConvSetup:
    """Draw the input, kernel and geometry controls in the sidebar; return the setup they describe.

    Raises:
        SetupError: a setting that cannot be used (the sentence says which and why).
    """
    problems: list[str] = []
    # The source stays out of links (an upload cannot travel in one), so the frame does not check it.
    keep_possible({"conv.source": SOURCES})
    with st.sidebar:
        with st.expander(f"🖼️ {t('conv.input')}", expanded=True):
            image_key, image = _image_controls()
        with st.expander(f"🔲 {t('conv.kernels')}", expanded=True):
            kernels, biases, names, activation = _kernel_controls(image.shape[0], problems)
        with st.expander(f"📐 {t('conv.geometry')}", expanded=True):
            stride, padding, dilation, pad_mode = _geometry_controls()
    # Every control is drawn before a problem is raised, so the user can always reach the one to change.
    if problems:
        raise SetupError(" ".join(problems))
    key = setup_key(image_key, kernels, biases, activation, stride, padding, dilation, pad_mode)
    return ConvSetup(
        key, image_key, image, kernels, biases, names, activation, stride, padding, dilation, pad_mode
    )


def setup_key(image_key: tuple, kernels: np.ndarray, biases: np.ndarray, *settings) -> str:
    """A short digest of a setup: hashing one string is ~100× cheaper for Streamlit's caches than arrays."""
    digest = hashlib.sha1(repr((image_key, kernels.shape, settings)).encode())
    digest.update(np.ascontiguousarray(kernels).tobytes())
    digest.update(np.ascontiguousarray(biases).tobytes())
    return digest.hexdigest()


# --- image ----------------------------------------------------------------------------------------------


def _image_controls() -> tuple[tuple, np.ndarray]:
    st.radio(
        t("conv.source"),
        SOURCES.options,
        format_func=lambda s: t(f"conv.source.{s}"),
        horizontal=True,
        **bind("conv.source"),
    )
    source = st.session_state["conv.source"]
    if source == "sample":
        names = [s.name for s in list_samples()]
        st.selectbox(t("conv.sample"), names, format_func=lambda n: t(f"sample.{n}"), **bind("conv.sample"))
    elif source == "upload":
        file = st.file_uploader(
            t("conv.upload"), type=list(ACCEPTED_EXTENSIONS), help=t("conv.upload_help"), key="conv.uploader"
        )
        _take_upload(file)
    else:
        _take_upload(st.camera_input(t("conv.camera"), key="conv.camera_input"))
    st.toggle(t("conv.color"), **bind("conv.color"))
    st.select_slider(t("conv.size"), SIZES, help=t("conv.size_help"), **bind("conv.size"))
    return _current_image(source)


def _take_upload(file) -> None:
    """Load a newly uploaded file; on failure say why and keep the previous image."""
    if file is None:
        return
    if file.size > MAX_UPLOAD_BYTES:
        st.error(
            t("conv.upload_too_big", size=f"{file.size / 2**20:.1f}", limit=f"{MAX_UPLOAD_BYTES / 2**20:.0f}")
        )
        st.caption(t("conv.upload_kept"))
        return
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    stored = st.session_state.get(UPLOAD_KEY)
    if stored is not None and stored["digest"] == digest:
        return
    try:
        load_image(data, size=8)  # decode once now, so a bad file is refused before it replaces anything
    except ImageLoadError as err:
        st.error(problem_text(err))
        st.caption(t("conv.upload_kept"))
        return
    st.session_state[UPLOAD_KEY] = {"name": file.name, "digest": digest, "data": data}


def _current_image(source: str) -> tuple[tuple, np.ndarray]:
    color, size = st.session_state["conv.color"], st.session_state["conv.size"]
    stored = st.session_state.get(UPLOAD_KEY)
    if source != "sample" and stored is not None:
        st.caption(t("conv.using_upload", name=stored["name"]))
        image = uploaded_image(stored["digest"], color, size, stored["data"])
        return ("upload", stored["digest"], color, size), image
    if source != "sample":
        st.caption(t("conv.no_upload"))
    name = st.session_state["conv.sample"]
    return ("sample", name, color, size), sample_image(name, color, size)


# --- kernels --------------------------------------------------------------------------------------------


def _kernel_controls(channels: int, problems: list[str]) -> tuple[np.ndarray, np.ndarray, tuple, str]:
    """Kernel count, size, each kernel with its bias, the seed, activation and flip; problems are appended."""
    st.number_input(t("conv.kernel_count"), 1, MAX_KERNELS, step=1, **bind("conv.kernel_count"))
    if st.session_state["conv.per_axis"]:
        left, right = st.columns(2)
        left.number_input(t("conv.kh"), 1, MAX_KERNEL_SIZE, step=1, **bind("conv.kh"))
        right.number_input(t("conv.kw"), 1, MAX_KERNEL_SIZE, step=1, **bind("conv.kw"))
    else:
        st.select_slider(t("conv.kernel_size"), list(range(1, MAX_KERNEL_SIZE + 1)), **bind("conv.kh"))
        st.session_state["conv.kw"] = st.session_state["conv.kh"]
    KH, KW = st.session_state["conv.kh"], st.session_state["conv.kw"]
    kernels, biases, names = [], [], []
    for n in range(st.session_state["conv.kernel_count"]):
        try:
            kernel, name = _one_kernel(n, channels, KH, KW)
        except SetupError as err:
            problems.append(str(err))
            kernel, name = np.zeros((channels, KH, KW)), ""
        kernels.append(kernel)
        names.append(name)
        biases.append(
            st.number_input(
                t("conv.bias", n=n + 1), -10.0, 10.0, step=0.1, format="%.2f", **bind(f"conv.k{n}.bias")
            )
        )
    st.number_input(t("conv.seed"), 0, 2**31 - 1, step=1, **bind("conv.seed"))
    st.selectbox(
        t("conv.activation"), ACTIVATIONS, format_func=lambda a: t(f"act.{a}"), **bind("conv.activation")
    )
    st.toggle(t("conv.flip"), help=t("conv.flip_help"), **bind("conv.flip"))
    if channels > 1:
        st.caption(t("conv.channels_note"))
    w = np.stack(kernels)
    if st.session_state["conv.flip"]:
        w = flip_kernel(w)
    return w, np.array(biases, dtype=float), tuple(names), st.session_state["conv.activation"]


def _one_kernel(n: int, channels: int, KH: int, KW: int) -> tuple[np.ndarray, str]:
    """Kernel slot n as (C, KH, KW) and its display name."""
    kinds = [p.name for p in PRESETS] + [CUSTOM, RANDOM]
    key = f"conv.k{n}.kind"
    st.selectbox(t("conv.kind", n=n + 1), kinds, format_func=_kind_title, **bind(key))
    kind = st.session_state[key]
    if kind == RANDOM:
        seed = st.session_state["conv.seed"] + n
        return random_kernel((channels, KH, KW), seed), _kind_title(kind)
    if kind == CUSTOM:
        return np.broadcast_to(_custom_grid(n, KH, KW), (channels, KH, KW)).copy(), _kind_title(kind)
    if KH != KW:
        raise SetupError(t("conv.preset_square", preset=_kind_title(kind)))
    try:
        kernel = _preset(kind, KH)
    except ValueError as err:
        raise SetupError(problem_text(err)) from None
    return np.broadcast_to(kernel, (channels, KH, KW)).copy(), _kind_title(kind)


@functools.cache
def _preset(kind: str, size: int) -> np.ndarray:
    """A preset kernel (KH, KW), made once per process and shared read-only (a refusal is not cached)."""
    kernel = kernel_preset(kind, size)
    kernel.flags.writeable = False
    return kernel


def _custom_grid(n: int, KH: int, KW: int) -> np.ndarray:
    """An editable KH×KW grid of numbers, started from the slot's last values (or the identity)."""
    values_key = f"conv.k{n}.values"
    stored = st.session_state.get(values_key)
    grid = np.zeros((KH, KW))
    if stored is not None:
        old = np.array(stored, dtype=float)
        rows, cols = min(KH, old.shape[0]), min(KW, old.shape[1])
        grid[:rows, :cols] = old[:rows, :cols]
    else:
        grid[KH // 2, KW // 2] = 1.0
    frame = pd.DataFrame(grid, columns=[str(c) for c in range(KW)])
    edited = st.data_editor(
        frame,
        key=f"conv.k{n}.editor.{KH}x{KW}",
        hide_index=True,
        width="stretch",
        column_config={c: st.column_config.NumberColumn(c, format="%.3f") for c in frame.columns},
    )
    st.caption(t("conv.custom_help"))
    values = edited.to_numpy(dtype=float, na_value=np.nan)
    if not np.all(np.isfinite(values)):
        raise SetupError(t("conv.custom_bad", n=n + 1))
    st.session_state[values_key] = values.tolist()
    return values


def _kind_title(kind: str) -> str:
    if kind in (CUSTOM, RANDOM):
        return t(f"conv.kind.{kind}")
    return t(f"preset.{kind}")


# --- geometry -------------------------------------------------------------------------------------------


def _geometry_controls() -> tuple[tuple[int, int], str | tuple[int, int], tuple[int, int], str]:
    st.toggle(t("conv.per_axis"), **bind("conv.per_axis"))
    stride = _pair("stride", 1, 8)
    kinds = ("number", "same", "valid")
    st.radio(
        t("conv.pad_kind"),
        kinds,
        format_func=lambda k: t(f"conv.pad_kind.{k}"),
        horizontal=True,
        help=t("conv.pad_kind_help"),
        **bind("conv.pad_kind"),
    )
    kind = st.session_state["conv.pad_kind"]
    padding = _pair("pad", 0, 10) if kind == "number" else kind
    st.selectbox(
        t("conv.pad_mode"), PAD_MODES, format_func=lambda m: t(f"conv.pad_mode.{m}"), **bind("conv.pad_mode")
    )
    dilation = _pair("dil", 1, 6, label="dilation")
    return stride, padding, dilation, st.session_state["conv.pad_mode"]


def _pair(name: str, low: int, high: int, label: str | None = None) -> tuple[int, int]:
    """One number for both axes, or one per axis when "per axis" is on."""
    label = label or name
    h_key, w_key = f"conv.{name}_h", f"conv.{name}_w"
    if st.session_state["conv.per_axis"]:
        left, right = st.columns(2)
        left.number_input(t(f"conv.{name}_h"), low, high, step=1, **bind(h_key))
        right.number_input(t(f"conv.{name}_w"), low, high, step=1, **bind(w_key))
    else:
        st.number_input(
            t(f"conv.{label}") if name != "pad" else t("conv.pad"), low, high, step=1, **bind(h_key)
        )
        st.session_state[w_key] = st.session_state[h_key]
    return int(st.session_state[h_key]), int(st.session_state[w_key])
