"""The training page's settings and its run: session state, the Train/Stop/Resume buttons, the steps.

A run lives in `st.session_state` (per user, never in the module): the current `TrainState` under
STATE_KEY and whether it is training under RUNNING_KEY. The page's live fragment calls `advance()`, which
trains a few mini-batches when the run is on; the buttons only flip the flag or start a new run, in
`on_click` callbacks, so the rerun they cause already sees the new state.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import streamlit as st

from engine.activations import ACTIVATIONS
from engine.data import DATASETS, Dataset, load_dataset
from engine.model import KERNEL_SIZES, MAX_KERNELS, ModelConfig, block_shapes
from engine.pool import POOL_MODES
from engine.samples import list_samples
from engine.training import MAX_EPOCHS, TrainConfig, TrainState, model_for, new_run, train_steps
from ui.common.caching import cached_resource
from ui.common.i18n import t
from ui.common.links import Choice, Domain, Flag, IntRange, Nearest

STATE_KEY = "train.state"
RUNNING_KEY = "train.running"
RUN_ID_KEY = "train.run_id"  # increases with every new run: part of every cached result's key
SPEED_KEY = "train.last_step"  # (batches, milliseconds) of the last training step
TICK_S = 0.5  # the live view trains and redraws this often while a run is on
LEARNING_RATES: tuple[float, ...] = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
MOMENTA: tuple[float, ...] = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BATCH_SIZES: tuple[int, ...] = (8, 16, 32, 64, 128, 256)
SETTINGS_KEY = "train.settings"  # the last TrainSettings read from the widgets
SECOND_BLOCK_KERNELS = 8  # what the second block's slider shows when the block is switched on
# Where the page's "try an image" panel takes its input from (ui/train/view.py), and how it reads the ink.
SOURCES: tuple[str, ...] = ("held_out", "sample", "upload")
INKS: tuple[str, ...] = ("auto", "dark", "light")
# TrainSettings fields whose widget key is "train.<field>".
_WIDGET_FIELDS = (
    "dataset",
    "seed",
    "kernels",
    "kernel_size",
    "activation",
    "pool",
    "lr",
    "momentum",
    "epochs",
)


class TrainSettings(NamedTuple):
    """Everything a run depends on, as the controls set it (the defaults reach ≥ 95 % on the digits)."""

    dataset: str = "digits"
    kernels: int = 8
    kernel_size: int = 3
    activation: str = "relu"
    pool: str = "max"
    kernels2: int = 0  # 0: no second conv block
    lr: float = 0.05
    momentum: float = 0.9
    batch_size: int = 32
    epochs: int = 8
    seed: int = 0


@cached_resource(max_entries=4)
def dataset(name: str) -> Dataset:
    """The data set, loaded or generated once per process and shared by every session (read-only arrays)."""
    return load_dataset(name)


def configs(settings: TrainSettings) -> tuple[Dataset, ModelConfig, TrainConfig]:
    """The data set, the architecture and the optimisation settings the controls describe."""
    data = dataset(settings.dataset)
    model = model_for(
        data,
        kernels=settings.kernels,
        kernel_size=settings.kernel_size,
        activation=settings.activation,
        pool=settings.pool,
        kernels2=settings.kernels2,
    )
    config = TrainConfig(
        lr=settings.lr,
        momentum=settings.momentum,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        seed=settings.seed,
    )
    return data, model, config


def _controls() -> dict[str, Domain]:
    """The values each of the page's controls can hold, by its session key (the widgets' bounds)."""
    kernels = IntRange(1, MAX_KERNELS)
    return {
        "train.dataset": Choice(DATASETS),
        "train.seed": IntRange(0, 9999),
        "train.kernels": kernels,
        "train.kernel_size": Nearest(KERNEL_SIZES),
        "train.activation": Choice(ACTIVATIONS),
        "train.pool": Choice(POOL_MODES),
        "train.second": Flag(),
        "train.kernels2": kernels,
        "train.lr": Nearest(LEARNING_RATES),
        "train.momentum": Nearest(MOMENTA),
        "train.batch": Nearest(BATCH_SIZES),
        "train.epochs": IntRange(1, MAX_EPOCHS // 2),
        "train.source": Choice(SOURCES),
        # A held-out image: the page moves a larger number to the data set's last image.
        "train.index": IntRange(0, 2**31 - 1),
        "train.sample": Choice(tuple(s.name for s in list_samples())),
        "train.ink": Choice(INKS),
    }


CONTROLS = _controls()


def settings_controls(disabled: bool) -> TrainSettings:
    """Draw the data, network and optimisation controls in three columns; return the settings.

    Each widget starts from its own session-state key, seeded from the last settings read (or the
    defaults): a widget that was not drawn (the user was on another page) comes back as it was left.
    The page calls `keep_possible(CONTROLS)` before, outside the settings' expander (it may be closed).
    """
    _seed_widgets(st.session_state.get(SETTINGS_KEY, TrainSettings()))
    off = {"disabled": disabled}
    data_col, net_col, opt_col = st.columns(3, gap="large")
    with data_col:
        name = st.radio(
            t("train.dataset"),
            DATASETS,
            format_func=lambda n: t(f"train.dataset.{n}"),
            help=t("train.dataset_help"),
            key="train.dataset",
            **off,
        )
        seed = st.number_input(t("train.seed"), 0, 9999, help=t("train.seed_help"), key="train.seed", **off)
    with net_col:
        kernels = st.slider(t("train.kernels"), 1, MAX_KERNELS, key="train.kernels", **off)
        size = st.select_slider(t("train.kernel_size"), KERNEL_SIZES, key="train.kernel_size", **off)
        left, right = st.columns(2)
        activation = left.selectbox(
            t("train.activation"),
            ACTIVATIONS,
            key="train.activation",
            format_func=lambda a: t(f"train.activation.{a}"),
            **off,
        )
        pool = right.radio(
            t("train.pool"),
            POOL_MODES,
            format_func=lambda m: t(f"train.pool.{m}"),
            key="train.pool",
            horizontal=True,
            **off,
        )
        second = st.toggle(t("train.second"), help=t("train.second_help"), key="train.second", **off)
        kernels2 = (
            st.slider(t("train.kernels2"), 1, MAX_KERNELS, key="train.kernels2", **off) if second else 0
        )
    with opt_col:
        lr = st.select_slider(t("train.lr"), LEARNING_RATES, help=t("train.lr_help"), key="train.lr", **off)
        momentum = st.select_slider(
            t("train.momentum"), MOMENTA, help=t("train.momentum_help"), key="train.momentum", **off
        )
        batch = st.select_slider(t("train.batch"), BATCH_SIZES, key="train.batch", **off)
        epochs = st.slider(t("train.epochs"), 1, MAX_EPOCHS // 2, key="train.epochs", **off)
    settings = TrainSettings(
        name, kernels, size, activation, pool, kernels2, lr, momentum, batch, epochs, int(seed)
    )
    st.session_state[SETTINGS_KEY] = settings
    return settings


def _seed_widgets(settings: TrainSettings) -> None:
    """Give every settings widget without a value of its own the value of `settings`."""
    values = {
        **{f"train.{field}": getattr(settings, field) for field in _WIDGET_FIELDS},
        "train.batch": settings.batch_size,
        "train.second": settings.kernels2 > 0,
        "train.kernels2": settings.kernels2 or SECOND_BLOCK_KERNELS,
    }
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def architecture_text(state: TrainState) -> str:
    """The run's network in one line, e.g. "input 1×8×8 → conv 8 @ 3×3 → ReLU → max pool → 8×4×4 → …"."""
    model = state.model
    parts = [t("train.layer.input", shape="×".join(map(str, model.in_shape)))]
    act = t(f"train.activation.{model.activation}")
    mode = t(f"train.pool.{model.pool}").lower()
    for F, H, W in block_shapes(model):
        parts.append(t("train.layer.conv", F=F, K=model.kernel_size, act=act))
        parts.append(t("train.layer.pool", mode=mode, shape=f"{F}×{H}×{W}"))
    F, H, W = block_shapes(model)[-1]
    parts += [t("train.layer.dense", D=F * H * W, classes=model.n_classes), t("train.layer.softmax")]
    count = sum(value.size for value in state.params.values())
    return f"{t('train.architecture', layers=' → '.join(parts))} {t('train.parameters', count=count)}"


def current_run(settings: TrainSettings) -> TrainState:
    """The session's run; an untrained one is replaced whenever the settings change (nothing is lost)."""
    st.session_state.setdefault(RUNNING_KEY, False)
    state = st.session_state.get(STATE_KEY)
    if state is None or (state.step == 0 and not is_running() and not same_settings(state, settings)):
        state = new_run(*configs(settings))
        st.session_state[STATE_KEY] = state
        st.session_state[RUN_ID_KEY] = st.session_state.get(RUN_ID_KEY, 0) + 1
    return state


def same_settings(state: TrainState, settings: TrainSettings) -> bool:
    """True when the run was started with these settings."""
    data, model, config = configs(settings)
    return state.data is data and state.model == model and state.config == config


def is_running() -> bool:
    return bool(st.session_state.get(RUNNING_KEY, False))


def run_buttons(settings: TrainSettings, state: TrainState) -> None:
    """Train (a new run) and, depending on the run, Stop or Resume."""
    start_col, other_col, _ = st.columns([1, 1, 4])
    label = t("train.restart") if state.step > 0 else t("train.start")
    start_col.button(
        label,
        type="primary",
        help=t("train.start_help"),
        on_click=_start,
        args=(settings,),
        key="train.start",
        width="stretch",
    )
    if is_running():
        other_col.button(
            t("train.stop"), on_click=_set_running, args=(False,), key="train.stop", width="stretch"
        )
    elif state.step > 0 and not state.done:
        other_col.button(
            t("train.resume"), on_click=_set_running, args=(True,), key="train.resume", width="stretch"
        )


def _start(settings: TrainSettings) -> None:
    st.session_state[STATE_KEY] = new_run(*configs(settings))
    st.session_state[RUN_ID_KEY] = st.session_state.get(RUN_ID_KEY, 0) + 1
    st.session_state[RUNNING_KEY] = True


def _set_running(running: bool) -> None:
    st.session_state[RUNNING_KEY] = running


def advance() -> TrainState:
    """Train one evaluation interval (a quarter of an epoch) when the run is on; return the run.

    When the run ends, the whole page reruns so that the results below the live view appear.
    """
    state = st.session_state[STATE_KEY]
    if not is_running():
        return state
    start = time.perf_counter()
    new_state = train_steps(state, state.eval_every)
    batches = new_state.step - state.step
    if batches:
        st.session_state[SPEED_KEY] = (batches, 1000 * (time.perf_counter() - start))
    st.session_state[STATE_KEY] = new_state
    if new_state.done:
        st.session_state[RUNNING_KEY] = False
        st.rerun()
    return new_state


def class_names(data: Dataset) -> list[str]:
    """The classes as the page shows them: digits as they are, the bars' directions in words."""
    return [name if data.name == "digits" else t(f"train.class.{name}") for name in data.classes]
