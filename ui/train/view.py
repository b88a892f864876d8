"""What the training page shows: the live view, the held-out results, one image through the network,
and the whole-network gradient check.

Figures are cached per session (`memo`) by what they show (run, step, language, presentation), as
JSON-ready specs: a rerun that changes nothing they show sends the same figure without rebuilding it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from engine.data import image_to_input
from engine.images import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, load_image
from engine.model import check_model_gradients, feature_maps, param_names, predict_proba
from engine.samples import list_samples, load_sample
from engine.training import TrainState, evaluate_held_out
from ui.common.caching import cached_data
from ui.common.controls import clamp_value, start_value
from ui.common.display import show_figure, show_problem
from ui.common.i18n import current_language, t
from ui.train.controls import INKS, RUN_ID_KEY, SOURCES, SPEED_KEY, class_names, is_running
from viz.animation import figure_spec
from viz.train_curves import CurveLabels, GradientLabels, curves_figure, gradients_figure
from viz.train_pictures import (
    FeatureLabels,
    MatrixLabels,
    confusion_figure,
    examples_figure,
    feature_maps_figure,
    input_figure,
    kernels_figure,
    probabilities_figure,
)

MEMO_KEY = "train.memo"
GRADCHECK_KEY = "train.gradcheck"
MAX_MISTAKES = 24  # misclassified examples shown
GRADCHECK_IMAGES = 4
GRADCHECK_ENTRIES = 40  # entries of each parameter differentiated numerically (dense.w has 1,280)
GRADCHECK_OK = 1e-6
WORK_SIZE = 96  # an uploaded or sample image is read at this size before it is converted to the input


def memo(name: str, token: tuple, build: Callable[[], Any]) -> Any:
    """The value `build()` made for `token` last time, or a new one (one value kept per name)."""
    store = st.session_state.setdefault(MEMO_KEY, {})
    hit = store.get(name)
    if hit is not None and hit[0] == token:
        return hit[1]
    value = build()
    store[name] = (token, value)
    return value


def _token(state: TrainState, *extra: Any) -> tuple:
    """What a figure of the run depends on: the run, how far it is, the language and presentation mode."""
    presentation = st.session_state.get("presentation", False)
    return (st.session_state.get(RUN_ID_KEY), state.step, current_language(), presentation, *extra)


def _presentation() -> bool:
    return bool(st.session_state.get("presentation", False))


# --- live view --------------------------------------------------------------------------------------------


def progress(state: TrainState) -> None:
    """The progress bar with the epoch, the batch and the current held-out accuracy in words."""
    acc = f"{state.history.test_acc[-1]:.1%}"
    if state.step == 0:
        text = t("train.progress_ready", acc=acc, chance=f"{1 / state.model.n_classes:.0%}")
    elif state.done:
        text = t("train.progress_done", epochs=state.config.epochs, acc=acc)
    else:
        text = t(
            "train.progress",
            epoch=min(state.epoch + 1, state.config.epochs),
            epochs=state.config.epochs,
            batch=state.batch,
            batches=state.batches_per_epoch,
            acc=acc,
        )
    st.progress(state.progress, text=text)
    notes = []
    if is_running():
        notes.append(t("train.status.running"))
    elif state.step > 0 and not state.done:
        notes.append(t("train.status.paused"))
    if SPEED_KEY in st.session_state:
        batches, ms = st.session_state[SPEED_KEY]
        images = state.data.x_train.shape[0] + state.data.x_test.shape[0]
        notes.append(
            t("train.step_time", batches=batches, B=state.config.batch_size, images=images, ms=f"{ms:.0f}")
        )
    if notes:
        st.caption(" ".join(notes))


def live_view(state: TrainState) -> None:
    """Progress, learning curves, the kernels and the gradient sizes of the run as it is now."""
    progress(state)
    curves = memo("curves", _token(state), lambda: _curves(state))
    show_figure(curves, alt=t("train.curves_alt"), key="train.curves")
    kernels_col, grads_col = st.columns(2, gap="large")
    with kernels_col:
        spec = memo("kernels", _token(state), lambda: _kernels(state))
        show_figure(spec, alt=t("train.kernels_alt"), key="train.kernels_fig")
        st.caption(t("train.kernels_caption"))
    with grads_col:
        spec = memo("grads", _token(state), lambda: _gradients(state))
        show_figure(spec, alt=t("train.gradients_alt"), key="train.grads_fig")
        st.caption(t("train.gradients_caption"))


def _curves(state: TrainState):
    h = state.history
    labels = CurveLabels(
        loss_title=t("train.fig.loss"),
        accuracy_title=t("train.fig.accuracy"),
        epoch_axis=t("train.fig.epoch"),
        train=t("train.fig.train"),
        test=t("train.fig.test"),
        batch=t("train.fig.batch"),
    )
    return curves_figure(
        h.at,
        (h.train_loss, h.train_acc),
        (h.test_loss, h.test_acc),
        h.batch_loss,
        state.batches_per_epoch,
        state.config.epochs,
        labels,
        presentation=_presentation(),
    )


def _kernels(state: TrainState):
    return kernels_figure(
        state.params["conv1.w"],
        t("train.fig.kernels"),
        t("train.fig.weight"),
        kernel_label=t("train.fig.kernel"),
        presentation=_presentation(),
    )


def _gradients(state: TrainState):
    names = []
    for name in param_names(state.model):
        layer, kind = name.split(".")
        names.append(t(f"train.fig.param.{kind}", layer=layer.replace("conv", "conv ")))
    labels = GradientLabels(
        title=t("train.fig.gradients"),
        epoch_axis=t("train.fig.epoch"),
        value_axis=t("train.fig.rms"),
        names=tuple(names),
    )
    return gradients_figure(
        state.history.grad_rms,
        state.batches_per_epoch,
        state.config.epochs,
        labels,
        presentation=_presentation(),
    )


# --- results on the held-out set ----------------------------------------------------------------------------


def results(state: TrainState) -> None:
    """The confusion matrix and the misclassified held-out images, once the run has trained and stopped."""
    if state.step == 0:
        st.info(t("train.results_none"), icon="ℹ️")
        return
    if is_running():
        st.caption(t("train.results_running"))
        return
    evaluation = memo("evaluation", _token(state), lambda: evaluate_held_out(state))
    names = class_names(state.data)
    left, right = st.columns(2, gap="large")
    with left:
        a, b = st.columns(2)
        a.metric(t("train.accuracy_metric"), f"{evaluation.accuracy:.1%}")
        b.metric(t("train.mistakes_metric"), f"{evaluation.wrong.size} / {evaluation.predicted.size}")
        labels = MatrixLabels(
            title=t("train.fig.confusion"),
            predicted_axis=t("train.fig.predicted"),
            true_axis=t("train.fig.true"),
            colorbar=t("train.fig.share"),
        )
        spec = memo(
            "confusion",
            _token(state),
            lambda: figure_spec(
                confusion_figure(evaluation.confusion, names, labels, presentation=_presentation())
            ),
        )
        show_figure(spec, alt=t("train.confusion_alt"), key="train.confusion")
    with right:
        if evaluation.wrong.size == 0:
            st.success(t("train.no_mistakes"))
            return
        spec = memo("mistakes", _token(state), lambda: figure_spec(_mistakes(state, evaluation, names)))
        show_figure(spec, alt=t("train.mistakes_alt"), key="train.mistakes")


def _mistakes(state: TrainState, evaluation, names: list[str]):
    shown = evaluation.wrong[:MAX_MISTAKES]
    y = state.data.y_test
    captions = [
        f"{names[y[k]]} → {names[evaluation.predicted[k]]}<br>{evaluation.confidence[k]:.0%}" for k in shown
    ]
    return examples_figure(
        state.data.x_test[shown, 0], captions, t("train.fig.mistakes"), presentation=_presentation()
    )


# --- one image through the network -------------------------------------------------------------------------


@cached_data(max_entries=16)
def _image_from_upload(digest: str, _data: bytes) -> np.ndarray:
    """An uploaded image as (1, H, W) grayscale at the working size; cached by the file's digest."""
    return load_image(_data, size=WORK_SIZE)


@cached_data(max_entries=32)
def _image_from_sample(name: str) -> np.ndarray:
    return load_sample(name, size=WORK_SIZE)


def try_image(state: TrainState) -> None:
    """Pick an image (held-out, sample or upload) and show the network's answer and its feature maps."""
    if state.step == 0:
        st.caption(t("train.try_untrained"))
    elif is_running():
        st.caption(t("train.try_running"))
    pick_col, input_col, prob_col = st.columns([1.2, 1, 1.6], gap="large")
    with pick_col:
        picked = _pick_input(state)
    if picked is None:
        return
    x, true, input_key = picked
    names = class_names(state.data)
    token = _token(state, input_key)
    p, specs = memo("try", token, lambda: _try_figures(state, x, names))
    with input_col:
        winner = int(np.argmax(p))
        key = "train.prediction" if true is None else "train.prediction_true"
        st.markdown(
            t(key, label=names[winner], p=float(p[winner]), true=names[true] if true is not None else "")
        )
        show_figure(specs[0], alt=t("train.fig.input"), key="train.input_fig")
    with prob_col:
        show_figure(specs[1], alt=t("train.probabilities_alt"), key="train.probabilities")
    show_figure(specs[2], alt=t("train.feature_alt"), key="train.features")


def _try_figures(state: TrainState, x: np.ndarray, names: list[str]) -> tuple[np.ndarray, tuple[dict, ...]]:
    """The class probabilities of one input, and the specs of its input, probability and feature figures."""
    p = predict_proba(state.params, x[None], state.model)[0]
    blocks = feature_maps(state.params, x, state.model)
    presentation = _presentation()
    input_fig = input_figure(x[0], t("train.fig.input"), presentation=presentation)
    prob_fig = probabilities_figure(
        p, names, t("train.fig.probabilities"), t("train.fig.probability"), presentation=presentation
    )
    return p, (figure_spec(input_fig), figure_spec(prob_fig), figure_spec(_feature_figure(state, blocks)))


def _feature_figure(state: TrainState, blocks: list[dict]):
    mode = t(f"train.mode.{state.model.pool}")
    titles = []
    for n in range(1, len(blocks) + 1):
        titles += [t("train.fig.activation", n=n), t("train.fig.pooled", n=n, mode=mode)]
    labels = FeatureLabels(row_titles=tuple(titles), colorbar=t("train.fig.value"))
    return feature_maps_figure(blocks, labels, presentation=_presentation())


def _pick_input(state: TrainState) -> tuple[np.ndarray, int | None, tuple] | None:
    """Draw the image picker; return the network input (C, H, W), its true class (None when unknown) and a
    key that identifies the input (for the figures' cache); None while nothing usable is picked."""
    source = st.radio(
        t("train.source"),
        SOURCES,
        format_func=lambda s: t(f"train.source.{s}"),
        key="train.source",
        horizontal=True,
    )
    data = state.data
    if source == "held_out":
        start_value("train.index", 0)
        clamp_value("train.index", 0, data.x_test.shape[0] - 1)  # an index left from a larger data set
        k = st.number_input(t("train.index"), 0, data.x_test.shape[0] - 1, key="train.index")
        return data.x_test[int(k)], int(data.y_test[int(k)]), ("held_out", int(k))
    if source == "sample":
        samples = {s.name: s.title for s in list_samples()}
        names = list(samples)
        start_value("train.sample", "digit")
        name = st.selectbox(t("train.sample"), names, format_func=samples.__getitem__, key="train.sample")
        return _convert(_image_from_sample(name), state, "auto"), None, ("sample", name)
    ink = st.radio(
        t("train.ink"),
        INKS,
        format_func=lambda s: t(f"train.ink.{s}"),
        key="train.ink",
        horizontal=True,
    )
    file = st.file_uploader(t("train.upload"), type=list(ACCEPTED_EXTENSIONS), key="train.upload")
    if file is None:
        return None
    if file.size > MAX_UPLOAD_BYTES:
        show_problem(t("train.upload_too_big", limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return None
    data_bytes = file.getvalue()
    digest = hashlib.sha256(data_bytes).hexdigest()
    try:
        image = _image_from_upload(digest, data_bytes)
    except ValueError as err:
        show_problem(err)
        return None
    st.caption(t("train.convert_note"))
    return _convert(image, state, ink), None, ("upload", digest, ink)


def _convert(image: np.ndarray, state: TrainState, ink: str) -> np.ndarray:
    """An image as the network's input: the digits are cropped to their ink, the bars keep their frame."""
    invert = {"auto": None, "dark": True, "light": False}[ink]
    H = state.model.in_shape[1]
    return image_to_input(image, H, invert=invert, crop=state.data.name == "digits")


# --- gradient check ---------------------------------------------------------------------------------------


def gradient_check(state: TrainState) -> None:
    """A button that checks backprop against central differences on the run's current parameters."""
    st.markdown(t("train.gradcheck_intro", n=GRADCHECK_IMAGES, m=GRADCHECK_ENTRIES))
    token = _token(state)
    if st.button(t("train.gradcheck_run"), key="train.gradcheck_button"):
        data = state.data
        result = check_model_gradients(
            state.params,
            data.x_test[:GRADCHECK_IMAGES],
            data.y_test[:GRADCHECK_IMAGES],
            state.model,
            max_entries=GRADCHECK_ENTRIES,
        )
        st.session_state[GRADCHECK_KEY] = (token[:2], result)
    stored = st.session_state.get(GRADCHECK_KEY)
    if stored is None or stored[0] != token[:2]:
        return
    result = stored[1]
    st.table(
        {
            t("train.gradcheck.param"): list(result.names),
            t("train.gradcheck.shape"): [" × ".join(map(str, state.params[n].shape)) for n in result.names],
            t("train.gradcheck.entries"): list(result.checked),
            t("train.gradcheck.error"): [f"{e:.1e}" for e in result.errors],
            t("train.gradcheck.verdict"): [
                t("train.gradcheck.ok") if e < GRADCHECK_OK else t("train.gradcheck.bad")
                for e in result.errors
            ],
        }
    )
    st.caption(t("train.gradcheck_loss", loss=result.loss))
