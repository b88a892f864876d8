"""Controls of the fully connected layer page: the architecture, the number grids, the tables.

Settings live in session-state keys "dense.*". Widgets are started from those keys (written before
the widget is drawn, never with `value=` as well), so a preset or a test can set them. Numbers typed
into grids become float arrays here (an empty or non-numeric cell becomes NaN, which the engine refuses
with a sentence)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from engine.activations import ACTIVATIONS
from engine.network import NetworkExample, NetworkRun, classic_example, random_example
from ui.common.controls import (
    check_verdict,
    clamp_value,
    keep_possible,
    start_value,
)
from ui.common.i18n import t
from ui.common.links import Choice, Domain, Flag, FloatRange, IntRange
from viz.network import SUBSCRIPTS, SUPERSCRIPTS, DiagramLabels, unit_name

MAX_LAYERS = 4
MAX_UNITS = 8
MAX_BATCH = 4
DENSE_PRESETS: tuple[str, ...] = ("classic", "random")
NUMBERS_KEY = "dense.numbers"  # name ("x", "t", "W1", "b1", ...) -> the array the grid starts from
# Stands in for a missing array when shapes are compared: no grid is three-dimensional.
_NONE = np.empty((0, 0, 0))
VERSION_KEY = "dense.version"  # grows when a preset replaces the numbers: the grids start afresh


class Architecture(NamedTuple):
    """The network's shape: what the grids of numbers must fit."""

    sizes: tuple[int, ...]  # n_0 (inputs), n_1, …, n_L
    activations: tuple[str, ...]  # f_1 … f_L
    N: int  # examples in the batch
    seed: int  # of the random numbers


def _example_numbers(example: NetworkExample) -> dict[str, np.ndarray]:
    numbers = {"x": example.x, "t": example.t}
    for l, (w, b) in enumerate(zip(example.weights, example.biases), start=1):
        numbers[f"W{l}"], numbers[f"b{l}"] = w, b
    return numbers


def _set_architecture(sizes: Sequence[int], activations: Sequence[str], N: int) -> None:
    st.session_state["dense.n0"] = sizes[0]
    st.session_state["dense.layers"] = len(sizes) - 1
    for l, (n, f) in enumerate(zip(sizes[1:], activations), start=1):
        st.session_state[f"dense.units.{l}"] = n
        st.session_state[f"dense.act.{l}"] = f
    st.session_state["dense.batch"] = N


def _load_preset() -> None:
    """The preset's numbers (an on_change callback: it runs before the widgets are drawn)."""
    if st.session_state["dense.preset"] == "classic":
        example = classic_example()
        _set_architecture((2, 2, 2), example.activations, 1)
        st.session_state["dense.lr"] = 0.5
    else:
        arch = read_architecture()
        example = random_example(_at_least_one(arch.sizes), arch.activations, arch.N, arch.seed)
    st.session_state[NUMBERS_KEY] = _example_numbers(example)
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1


def init_dense_state() -> None:
    """Start a new session on the classic example (a setting already in the session is kept)."""
    example = classic_example()
    defaults = {
        "dense.preset": "classic",
        "dense.seed": 0,
        "dense.lr": 0.5,
        "dense.n0": 2,
        "dense.layers": 2,
        "dense.batch": 1,
        NUMBERS_KEY: _example_numbers(example),
        VERSION_KEY: 0,
    }
    for l, f in enumerate(example.activations, start=1):
        defaults[f"dense.units.{l}"], defaults[f"dense.act.{l}"] = 2, f
    for key, value in defaults.items():
        start_value(key, value)


def read_architecture() -> Architecture:
    """The architecture as the widgets' keys hold it now."""
    state = st.session_state
    L = int(state.get("dense.layers", 2))
    sizes = (int(state.get("dense.n0", 2)), *(int(state.get(f"dense.units.{l}", 2)) for l in range(1, L + 1)))
    activations = tuple(state.get(f"dense.act.{l}", "sigmoid") for l in range(1, L + 1))
    return Architecture(sizes, activations, int(state.get("dense.batch", 1)), int(state.get("dense.seed", 0)))


def _at_least_one(sizes: Sequence[int]) -> tuple[int, ...]:
    return tuple(max(n, 1) for n in sizes)


def _controls() -> dict[str, Domain]:
    """The values each of the page's controls can hold, by its session key (the widgets' bounds below)."""
    controls: dict[str, Domain] = {
        "dense.preset": Choice(DENSE_PRESETS),
        "dense.layers": IntRange(1, MAX_LAYERS),
        "dense.batch": IntRange(1, MAX_BATCH),
        "dense.seed": IntRange(0, 9999),
        "dense.lr": FloatRange(0.0, 100.0),
        "dense.n0": IntRange(0, MAX_UNITS),
        "dense.backward": Flag(),
        "dense.shown": IntRange(1, MAX_BATCH),
    }
    for l in range(1, MAX_LAYERS + 1):
        controls |= {f"dense.units.{l}": IntRange(0, MAX_UNITS), f"dense.act.{l}": Choice(ACTIVATIONS)}
    return controls


CONTROLS = _controls()


def dense_controls() -> tuple[Architecture, float]:
    """Draw the preset, architecture and learning-rate controls; return the architecture and η.

    Every control of the page is checked first (the diagram's too): a value a control cannot hold is put
    back.
    """
    keep_possible(CONTROLS)
    init_dense_state()
    top = st.columns([1.6, 1, 1, 1, 1], gap="medium")
    top[0].selectbox(
        t("dense.preset"),
        DENSE_PRESETS,
        format_func=lambda p: t(f"dense.preset.{p}"),
        key="dense.preset",
        on_change=_load_preset,
        help=t("dense.preset_help"),
    )
    top[1].slider(t("dense.layers"), 1, MAX_LAYERS, key="dense.layers", help=t("dense.layers_help"))
    top[2].number_input(t("dense.batch"), 1, MAX_BATCH, step=1, key="dense.batch", help=t("dense.batch_help"))
    top[3].number_input(
        t("dense.seed"), 0, 9999, step=1, key="dense.seed", on_change=_load_random, help=t("dense.seed_help")
    )
    top[4].number_input(
        t("dense.lr"), 0.0, 100.0, step=0.1, format="%.3f", key="dense.lr", help=t("dense.lr_help")
    )
    _layer_controls(int(st.session_state["dense.layers"]))
    return read_architecture(), float(st.session_state["dense.lr"])


def _layer_controls(L: int) -> None:
    """The number of inputs, then each layer's units and activation, one column per layer."""
    columns = st.columns(MAX_LAYERS + 1, gap="medium")
    columns[0].number_input(
        t("dense.inputs"), 0, MAX_UNITS, step=1, key="dense.n0", help=t("dense.units_help")
    )
    for l in range(1, L + 1):
        start_value(f"dense.units.{l}", 2)
        start_value(f"dense.act.{l}", "sigmoid")
        with columns[l]:
            st.number_input(
                t("dense.units", l=l),
                0,
                MAX_UNITS,
                step=1,
                key=f"dense.units.{l}",
                help=t("dense.units_help"),
            )
            st.selectbox(
                t("dense.activation", l=l), ACTIVATIONS, key=f"dense.act.{l}", format_func=_activation_name
            )


def _activation_name(kind: str) -> str:
    return t(f"dense.act.{kind}")


def _load_random() -> None:
    """A new seed draws new random numbers (an on_change callback)."""
    st.session_state["dense.preset"] = "random"
    _load_preset()


def _shapes(arch: Architecture) -> dict[str, tuple[int, ...]]:
    """The shape every grid must have for this architecture."""
    shapes = {"x": (arch.N, arch.sizes[0]), "t": (arch.N, arch.sizes[-1])}
    for l, (n_in, n_out) in enumerate(zip(arch.sizes[:-1], arch.sizes[1:]), start=1):
        shapes[f"W{l}"], shapes[f"b{l}"] = (n_out, n_in), (n_out,)
    return shapes


def _fitted_numbers(arch: Architecture) -> dict[str, np.ndarray]:
    """The stored numbers, with every array whose shape no longer fits replaced by random ones that do."""
    numbers = dict(st.session_state[NUMBERS_KEY])
    shapes = _shapes(arch)
    misfits = {name: shape for name, shape in shapes.items() if numbers.get(name, _NONE).shape != shape}
    if misfits:  # drawn only then: most reruns change no shape
        example = random_example(_at_least_one(arch.sizes), arch.activations, arch.N, arch.seed)
        fresh = _example_numbers(example)
        for name, shape in misfits.items():
            # Cut the random array to the shape: a layer of 0 units gets an empty grid (refused later).
            numbers[name] = fresh[name][tuple(slice(0, n) for n in shape)]
        st.session_state[NUMBERS_KEY] = numbers
    return numbers


def _names(symbol: str, layer: int, n: int) -> list[str]:
    return [unit_name(symbol, layer, i + 1) for i in range(n)]


def _grid(name: str, values: np.ndarray, rows: list[str], cols: list[str], row_title: str) -> np.ndarray:
    """An editable grid of numbers (rows, cols); returns what it holds now (NaN where a cell is empty).

    `row_title` heads the column of row names: a grid's header cell a screen reader reads, never empty.
    """
    shape = "x".join(map(str, values.shape))
    frame = pd.DataFrame(values, index=pd.Index(rows, name=row_title), columns=cols)
    config = {c: st.column_config.NumberColumn(c, format="%.4f", step=0.01) for c in cols}
    edited = st.data_editor(
        frame,
        key=f"dense.edit.{name}.{st.session_state[VERSION_KEY]}.{shape}",
        column_config=config,
        num_rows="fixed",
        width="stretch",
    )
    if not all(pd.api.types.is_numeric_dtype(dtype) for dtype in edited.dtypes):
        # A cell cleared by the user can make its column non-numeric: anything unreadable becomes NaN.
        edited = edited.apply(pd.to_numeric, errors="coerce")
    return edited.to_numpy(dtype=np.float64, na_value=np.nan)


def dense_editors(arch: Architecture) -> NetworkExample:
    """Draw the grids, [x | t] and one [W_l | b_l] per layer; return the network they describe.

    Each grid's row is one example (inputs then targets) or one unit (the weights into it, then its bias).
    """
    numbers = _fitted_numbers(arch)
    L, n0 = len(arch.sizes) - 1, arch.sizes[0]
    examples = [t("dense.example", n=n + 1) for n in range(arch.N)]
    targets = [f"t{str(i + 1).translate(SUBSCRIPTS)}" for i in range(arch.sizes[-1])]
    st.markdown(t("dense.grid.xt"))
    xt_values = np.hstack([numbers["x"], numbers["t"]])
    xt = _grid("xt", xt_values, examples, _names("x", 0, n0) + targets, t("dense.grid.example_col"))
    weights, biases = [], []
    columns = st.columns(min(L, 2), gap="large")
    for l in range(1, L + 1):
        n_in = arch.sizes[l - 1]
        with columns[(l - 1) % len(columns)]:
            st.markdown(t("dense.grid.wb", l=l, rows=arch.sizes[l], cols=n_in))
            wb = _grid(
                f"Wb{l}",
                np.hstack([numbers[f"W{l}"], numbers[f"b{l}"][:, None]]),
                _names("a", l, arch.sizes[l]),
                [*_names("x" if l == 1 else "a", l - 1, n_in), f"b{str(l).translate(SUPERSCRIPTS)}"],
                t("dense.grid.unit_col"),
            )
        weights.append(wb[:, :n_in])
        biases.append(wb[:, n_in])
    return NetworkExample(xt[:, :n0], xt[:, n0:], tuple(weights), tuple(biases), arch.activations)


def example_digest(e: NetworkExample) -> bytes:
    """A network's numbers and activations as bytes: a cheap cache key (Streamlit hashes it once)."""
    parts = [a.tobytes() + str(a.shape).encode() for a in (e.x, e.t, *e.weights, *e.biases)]
    return b"|".join([*parts, ",".join(e.activations).encode()])


def run_digest(run: NetworkRun) -> bytes:
    """What a network run depends on (its inputs and learning rate), as bytes: a cheap cache key for it."""
    return example_digest(run.example) + b"|" + str(run.lr).encode()


def loss_metrics(run: NetworkRun) -> None:
    """The loss, the loss after one step (and by how much it fell) and the gradient check's verdict."""
    loss_col, new_col, check_col = st.columns(3)
    loss_col.metric(t("dense.loss"), f"{run.loss:.9f}", help=t("dense.loss_help"))
    change = f"{run.new_loss - run.loss:.3g}"
    new_col.metric(t("dense.new_loss"), f"{run.new_loss:.9f}", delta=change, delta_color="inverse")
    error = run.check.max_error
    check_col.metric(t("dense.check"), f"{error:.1e} {check_verdict(error)}", help=t("dense.check_help"))


def diagram_controls(N: int) -> tuple[bool, int]:
    """Forward or backward numbers on the diagram, and which example; returns (backward, n 0-based)."""
    mode_col, pick_col = st.columns([3, 1], vertical_alignment="bottom")
    backward = mode_col.radio(
        t("dense.show"),
        (False, True),
        horizontal=True,
        key="dense.backward",
        format_func=lambda b: t("dense.show.backward" if b else "dense.show.forward"),
    )
    with pick_col:
        n = example_picker(N)
    return bool(backward), n


def diagram_labels(run: NetworkRun, backward: bool, n: int) -> DiagramLabels:
    """The diagram's words: its title, one title per layer, the symbols of nodes and edges."""
    layers = [t("dense.layer", l=l, f=t(f"dense.act.{f}")) for l, f in enumerate(run.example.activations, 1)]
    if backward:
        title, nodes, edges, bar = (
            t("dense.diagram.backward", n=n + 1),
            "δ",
            "∂L/∂w",
            t("dense.diagram.gradient"),
        )
    else:
        title, nodes, edges, bar = t("dense.diagram.forward", n=n + 1), "a", "w", t("dense.diagram.value")
    return DiagramLabels(
        title=title,
        layer_titles=(t("dense.layer.input"), *layers),
        node_symbol=nodes,
        edge_symbol=edges,
        colorbar=bar,
    )


def matrix_titles(l: int) -> tuple[str, str, str]:
    """Titles of the W_l, ∂L/∂W_l and updated W_l heatmaps."""
    return t("dense.panel.w", l=l), t("dense.panel.dw", l=l), t("dense.panel.new_w", l=l)


def example_picker(N: int) -> int:
    """Which example of the batch the diagram and the formulas show (0-based; shown 1-based)."""
    if N == 1:
        return 0
    clamp_value("dense.shown", 1, N)
    start_value("dense.shown", 1)
    return int(st.number_input(t("dense.shown"), 1, N, step=1, key="dense.shown")) - 1


def shapes_table(run: NetworkRun) -> list[dict[str, str]]:
    """Every parameter beside its gradient, with both shapes (they are always equal): one dict per row."""
    rows = []
    for l in range(1, len(run.dw) + 1):
        for name, p, g in (
            (f"W{l}", run.example.weights[l - 1], run.dw[l - 1]),
            (f"b{l}", run.example.biases[l - 1], run.db[l - 1]),
        ):
            rows.append(
                {
                    t("dense.table.parameter"): name,
                    t("dense.table.shape"): str(np.shape(p)),
                    t("dense.table.gradient"): f"∂L/∂{name}",
                    t("dense.table.gradient_shape"): str(np.shape(g)),
                    t("dense.table.same"): "✓" if np.shape(p) == np.shape(g) else "✗",
                }
            )
        rows.append(
            {
                t("dense.table.parameter"): f"z{l}, a{l}",
                t("dense.table.shape"): str(run.z[l - 1].shape),
                t("dense.table.gradient"): f"δ{l} = ∂L/∂z{l}",
                t("dense.table.gradient_shape"): str(run.deltas[l - 1].shape),
                t("dense.table.same"): "✓" if run.z[l - 1].shape == run.deltas[l - 1].shape else "✗",
            }
        )
    return rows


def check_table(run: NetworkRun) -> list[dict[str, str]]:
    """The relative error of each parameter's gradient against central differences: one dict per row."""
    rows = []
    for l, (ew, eb) in enumerate(zip(run.check.errors_w, run.check.errors_b), start=1):
        for name, err in ((f"∂L/∂W{l}", ew), (f"∂L/∂b{l}", eb)):
            rows.append(
                {
                    t("dense.table.gradient"): name,
                    t("dense.table.error"): f"{err:.2e}",
                    t("dense.table.verdict"): check_verdict(err),
                }
            )
    return rows
