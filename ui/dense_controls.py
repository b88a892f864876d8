"""Controls and small helpers of three pages: fully connected layer, chain rule, normalization.

Each page keeps its settings in session-state keys prefixed by its page id ("dense.", "chain_rule.",
"normalization."). Widgets are started from those keys (written before the widget is drawn, never with
`value=` as well), so a preset or a test can set them. Numbers the user types into grids are turned into
float arrays here (an empty or non-numeric cell becomes NaN, which the engine refuses with a sentence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from engine.activations import ACTIVATIONS
from engine.gradcheck import relative_error
from engine.graph import Graph
from engine.network import NetworkExample, NetworkRun, classic_example, random_example, richardson_gradient
from engine.norm import (
    batchnorm_backward,
    batchnorm_forward,
    concat_backward,
    concat_forward,
    split_backward,
    split_forward,
)
from ui.i18n import t
from viz.network import SUBSCRIPTS, SUPERSCRIPTS, DiagramLabels, unit_name
from viz.norm import BatchNormEntry

CHECK_THRESHOLD = 1e-7  # a relative error at or below this says the gradients agree


def remember(key: str, value: Any) -> None:
    """Keep `value` as the last good input of a page (shown again when a new input fails)."""
    st.session_state[key] = value


def last_good(key: str, default: Any) -> Any:
    """The last good input kept under `key`, or `default` when none was kept yet."""
    return st.session_state.get(key, default)


def _start(key: str, value: Any) -> None:
    """Give a widget's key its first value (once per session), so the widget is drawn without `value=`."""
    if key not in st.session_state:
        st.session_state[key] = value


def _clamp(key: str, low: float, high: float) -> None:
    """Keep a stored widget value inside [low, high] (a number input refuses a value outside its range)."""
    if key in st.session_state:
        st.session_state[key] = min(max(st.session_state[key], low), high)


def check_verdict(error: float) -> str:
    """✓ when a relative error says the gradients agree, ✗ otherwise."""
    return "✓" if error <= CHECK_THRESHOLD else "✗"


# ------------------------------------------------------------------------------------------------- dense

MAX_LAYERS = 4
MAX_UNITS = 8
MAX_BATCH = 4
DENSE_PRESETS: tuple[str, ...] = ("classic", "random")
NUMBERS_KEY = "dense.numbers"  # name ("x", "t", "W1", "b1", ...) -> the array the grid starts from
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
        _start(key, value)


def read_architecture() -> Architecture:
    """The architecture as the widgets' keys hold it now."""
    state = st.session_state
    L = int(state.get("dense.layers", 2))
    sizes = (int(state.get("dense.n0", 2)), *(int(state.get(f"dense.units.{l}", 2)) for l in range(1, L + 1)))
    activations = tuple(state.get(f"dense.act.{l}", "sigmoid") for l in range(1, L + 1))
    return Architecture(sizes, activations, int(state.get("dense.batch", 1)), int(state.get("dense.seed", 0)))


def _at_least_one(sizes: Sequence[int]) -> tuple[int, ...]:
    return tuple(max(n, 1) for n in sizes)


def dense_controls() -> tuple[Architecture, float]:
    """Draw the preset, architecture and learning-rate controls; return the architecture and η."""
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
        _start(f"dense.units.{l}", 2)
        _start(f"dense.act.{l}", "sigmoid")
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
    fresh = _example_numbers(random_example(_at_least_one(arch.sizes), arch.activations, arch.N, arch.seed))
    for name, shape in shapes.items():
        if name not in numbers or numbers[name].shape != shape:
            # Cut the random array to the shape: a layer of 0 units gets an empty grid (refused later).
            numbers[name] = fresh[name][tuple(slice(0, n) for n in shape)]
    st.session_state[NUMBERS_KEY] = numbers
    return numbers


def _names(symbol: str, layer: int, n: int) -> list[str]:
    return [unit_name(symbol, layer, i + 1) for i in range(n)]


def _grid(name: str, values: np.ndarray, rows: list[str], cols: list[str]) -> np.ndarray:
    """An editable grid of numbers (rows, cols); returns what it holds now (NaN where a cell is empty)."""
    shape = "x".join(map(str, values.shape))
    frame = pd.DataFrame(values, index=rows, columns=cols)
    config = {c: st.column_config.NumberColumn(c, format="%.4f", step=0.01) for c in cols}
    edited = st.data_editor(
        frame,
        key=f"dense.edit.{name}.{st.session_state[VERSION_KEY]}.{shape}",
        column_config=config,
        num_rows="fixed",
        width="stretch",
    )
    return edited.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def dense_editors(arch: Architecture) -> NetworkExample:
    """Draw the grids, [x | t] and one [W_l | b_l] per layer; return the network they describe.

    Each grid's row is one example (inputs then targets) or one unit (the weights into it, then its bias).
    """
    numbers = _fitted_numbers(arch)
    L, n0 = len(arch.sizes) - 1, arch.sizes[0]
    examples = [t("dense.example", n=n + 1) for n in range(arch.N)]
    targets = [f"t{str(i + 1).translate(SUBSCRIPTS)}" for i in range(arch.sizes[-1])]
    st.markdown(t("dense.grid.xt"))
    xt = _grid("xt", np.hstack([numbers["x"], numbers["t"]]), examples, _names("x", 0, n0) + targets)
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
            )
        weights.append(wb[:, :n_in])
        biases.append(wb[:, n_in])
    return NetworkExample(xt[:, :n0], xt[:, n0:], tuple(weights), tuple(biases), arch.activations)


def run_digest(run: NetworkRun) -> bytes:
    """What a network run depends on (its inputs and learning rate), as bytes: a cheap cache key for it."""
    e = run.example
    parts = [a.tobytes() + str(a.shape).encode() for a in (e.x, e.t, *e.weights, *e.biases)]
    return b"|".join([*parts, ",".join(e.activations).encode(), str(run.lr).encode()])


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
    return DiagramLabels(title, (t("dense.layer.input"), *layers), nodes, edges, bar)


def matrix_titles(l: int) -> tuple[str, str, str]:
    """Titles of the W_l, ∂L/∂W_l and updated W_l heatmaps."""
    return t("dense.panel.w", l=l), t("dense.panel.dw", l=l), t("dense.panel.new_w", l=l)


def example_picker(N: int) -> int:
    """Which example of the batch the diagram and the formulas show (0-based; shown 1-based)."""
    if N == 1:
        return 0
    _clamp("dense.shown", 1, N)
    _start("dense.shown", 1)
    return int(st.number_input(t("dense.shown"), 1, N, step=1, key="dense.shown")) - 1


def shapes_table(run: NetworkRun) -> pd.DataFrame:
    """Every parameter beside its gradient, with both shapes: they are always equal."""
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
    return pd.DataFrame(rows)


def check_table(run: NetworkRun) -> pd.DataFrame:
    """The relative error of each parameter's gradient against central differences."""
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
    return pd.DataFrame(rows)


# -------------------------------------------------------------------------------------------- chain rule

GRAPH_PRESETS: dict[str, tuple[str, dict[str, float]]] = {
    "circuit": ("(x + y) * z", {"x": -2.0, "y": 5.0, "z": -4.0}),
    "max_gate": (
        "1 / exp(-((x1 + x2) * w + max(y1, y2)))",
        {"x1": 0.5, "x2": -1.0, "w": 2.0, "y1": -1.0, "y2": 0.5},
    ),
    "neuron": (
        "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
    ),
}
GRAPH_CHOICES: tuple[str, ...] = (*GRAPH_PRESETS, "custom")
EXPR_KEY = "chain_rule.expr"
STEP_KEY = "chain_rule.step"


def _load_graph_preset() -> None:
    """Put the chosen preset's expression and values into the widgets' keys (an on_change callback)."""
    name = st.session_state["chain_rule.preset"]
    if name not in GRAPH_PRESETS:
        return
    text, values = GRAPH_PRESETS[name]
    st.session_state[EXPR_KEY] = text
    for variable, value in values.items():
        st.session_state[f"chain_rule.var.{variable}"] = value
    st.session_state[STEP_KEY] = 0


def _typed() -> None:
    """Typing an expression leaves the presets."""
    st.session_state["chain_rule.preset"] = "custom"
    st.session_state[STEP_KEY] = 0


def expression_controls() -> str:
    """Draw the preset picker and the expression box; return the typed expression."""
    first = next(iter(GRAPH_PRESETS))
    if "chain_rule.preset" not in st.session_state:
        st.session_state["chain_rule.preset"] = first
        _load_graph_preset()
    preset_col, text_col = st.columns([1, 2.2], gap="medium")
    preset_col.selectbox(
        t("chain_rule.preset"),
        GRAPH_CHOICES,
        format_func=lambda p: t(f"chain_rule.preset.{p}"),
        key="chain_rule.preset",
        on_change=_load_graph_preset,
    )
    return text_col.text_input(
        t("chain_rule.expression"),
        key=EXPR_KEY,
        on_change=_typed,
        help=t("chain_rule.expression_help"),
        max_chars=200,
    )


def variable_inputs(variables: Sequence[str]) -> dict[str, float]:
    """One number input per variable, in order of appearance; return their values by name."""
    values = {}
    columns = st.columns(max(min(len(variables), 5), 1))
    for k, name in enumerate(variables):
        key = f"chain_rule.var.{name}"
        _start(key, 1.0)
        values[name] = float(columns[k % len(columns)].number_input(name, step=0.5, format="%g", key=key))
    return values


def step_controls(total: int) -> int:
    """Back / Next buttons and a slider over the backward steps (0 = forward pass only); return the step."""
    _clamp(STEP_KEY, 0, total)
    _start(STEP_KEY, 0)
    back, slider, forward = st.columns([1, 6, 1], vertical_alignment="bottom")
    back.button(
        t("chain_rule.back"),
        on_click=_move,
        args=(-1, total),
        disabled=st.session_state[STEP_KEY] == 0,
        width="stretch",
        key="chain_rule.back",
    )
    forward.button(
        t("chain_rule.next"),
        on_click=_move,
        args=(1, total),
        width="stretch",
        key="chain_rule.next",
        disabled=st.session_state[STEP_KEY] == total,
        type="primary",
    )
    slider.slider(t("chain_rule.step"), 0, total, key=STEP_KEY, help=t("chain_rule.step_help"))
    return int(st.session_state[STEP_KEY])


def _move(delta: int, total: int) -> None:
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), total)


def gradient_table(graph: Graph, numerical: Mapping[str, float]) -> pd.DataFrame:
    """Each variable's gradient by backpropagation beside its numerical estimate and their relative error."""
    rows = []
    for name, grad in graph.gradients().items():
        estimate = numerical[name]
        error = relative_error(np.array(grad), np.array(estimate)) if np.isfinite(estimate) else float("nan")
        rows.append(
            {
                t("chain_rule.table.variable"): name,
                t("chain_rule.table.backprop"): f"{grad:.8g}",
                t("chain_rule.table.numerical"): f"{estimate:.8g}",
                t("chain_rule.table.error"): f"{error:.1e}" if np.isfinite(error) else "—",
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------- normalization

MAX_BATCH_NORM = 6
MAX_CHANNELS = 3
MAX_SIDE = 4
EPS = 1e-5


class NormParams(NamedTuple):
    """Everything the normalization page's numbers depend on."""

    N: int = 4
    C: int = 2
    H: int = 3
    W: int = 3
    seed: int = 0
    gammas: tuple[float, ...] = (1.5, 0.5)
    betas: tuple[float, ...] = (0.5, -1.0)
    upstream_seed: int = 1
    split_rows: int = 3
    split_cols: int = 4


class NormRun(NamedTuple):
    """Batch norm and a split on small arrays, forward, backward and checked."""

    x: np.ndarray  # (N, C, H, W)
    y: np.ndarray  # batch norm output, x's shape
    x_hat: np.ndarray  # normalized input, x's shape
    mean: np.ndarray  # (C,)
    var: np.ndarray  # (C,)
    gamma: np.ndarray  # (C,)
    beta: np.ndarray  # (C,)
    dy: np.ndarray  # upstream gradient, x's shape
    dx: np.ndarray  # x's shape
    dgamma: np.ndarray  # (C,)
    dbeta: np.ndarray  # (C,)
    errors: tuple[float, float, float]  # relative errors of dx, dγ, dβ against central differences
    split_x: np.ndarray  # (rows, cols)
    split_grads: tuple[np.ndarray, np.ndarray]  # the two branches' gradients, each (rows, cols)
    split_dx: np.ndarray  # their sum, from engine.norm.split_backward


class ConcatRun(NamedTuple):
    """Two arrays of C1 and C2 channels joined along the channels, and the gradient cut back."""

    a: np.ndarray  # (C1, 3, 3)
    b: np.ndarray  # (C2, 3, 3)
    y: np.ndarray  # (C1 + C2, 3, 3)
    dy: np.ndarray  # (C1 + C2, 3, 3)
    da: np.ndarray  # (C1, 3, 3)
    db: np.ndarray  # (C2, 3, 3)


def normalization_controls() -> NormParams:
    """Draw the batch-norm controls (sizes, seeds, γ and β per channel); return the settings."""
    d = NormParams()
    sizes = {"N": (d.N, MAX_BATCH_NORM), "C": (d.C, MAX_CHANNELS), "H": (d.H, MAX_SIDE), "W": (d.W, MAX_SIDE)}
    cols = st.columns(6, gap="medium")
    chosen = {}
    for column, (name, (default, top)) in zip(cols, sizes.items()):
        _start(f"normalization.{name}", default)
        chosen[name] = int(column.slider(t(f"normalization.{name}"), 1, top, key=f"normalization.{name}"))
    _start("normalization.seed", d.seed)
    _start("normalization.upstream", d.upstream_seed)
    seed = cols[4].number_input(t("normalization.seed"), 0, 9999, step=1, key="normalization.seed")
    help_text = t("normalization.upstream_help")
    upstream = cols[5].number_input(
        t("normalization.upstream"), 0, 9999, step=1, key="normalization.upstream", help=help_text
    )
    gammas, betas = _scale_shift_controls(chosen["C"], d)
    return d._replace(**chosen, seed=int(seed), upstream_seed=int(upstream), gammas=gammas, betas=betas)


def _scale_shift_controls(C: int, d: NormParams) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """γ and β of each channel, side by side; returns (γ per channel, β per channel)."""
    values: dict[str, list[float]] = {"gamma": [], "beta": []}
    columns = st.columns(2 * MAX_CHANNELS, gap="medium")
    for c in range(C):
        for k, (name, default) in enumerate((("gamma", d.gammas), ("beta", d.betas))):
            key = f"normalization.{name}.{c}"
            _start(key, default[c] if c < len(default) else float(name == "gamma"))
            label = t(f"normalization.{name}", c=c + 1)
            values[name].append(float(columns[2 * c + k].number_input(label, step=0.1, format="%g", key=key)))
    return tuple(values["gamma"]), tuple(values["beta"])


def concat_controls() -> tuple[int, int, int]:
    """Sliders for the channels of the two concatenated arrays, and their seed; returns (C1, C2, seed)."""
    _start("normalization.C1", 2)
    _start("normalization.C2", 1)
    _start("normalization.concat_seed", 3)
    a, b, c = st.columns(3, gap="large")
    C1 = a.slider(t("normalization.C1"), 1, MAX_CHANNELS, key="normalization.C1")
    C2 = b.slider(t("normalization.C2"), 1, MAX_CHANNELS, key="normalization.C2")
    seed = c.number_input(t("normalization.seed"), 0, 9999, step=1, key="normalization.concat_seed")
    return int(C1), int(C2), int(seed)


def _readable(
    rng: np.random.Generator, shape: tuple[int, ...], loc: float = 0.0, scale: float = 1.0
) -> np.ndarray:
    """Random normal numbers rounded to two decimals: easy to read, still exact inputs for the engine."""
    return np.round(rng.normal(loc, scale, size=shape), 2)


def run_normalization(p: NormParams) -> NormRun:
    """Run batch norm and a split of engine.norm on seeded random arrays, and check batch norm.

    Each channel of x gets its own mean and spread, so normalizing visibly changes it.

    Raises:
        ValueError: from the engine, for settings it refuses.
    """
    rng = np.random.default_rng(p.seed)
    loc, scale = rng.uniform(-2.0, 2.0, size=p.C), rng.uniform(0.5, 2.0, size=p.C)
    x = np.stack([_readable(rng, (p.N, p.H, p.W), loc[c], scale[c]) for c in range(p.C)], axis=1)
    gamma, beta = np.array(p.gammas[: p.C]), np.array(p.betas[: p.C])
    dy = _readable(np.random.default_rng(p.upstream_seed), x.shape)
    y, cache = batchnorm_forward(x, gamma, beta, EPS)
    dx, dgamma, dbeta = batchnorm_backward(dy, cache)
    errors = _batchnorm_errors(x, gamma, beta, dy, (dx, dgamma, dbeta))
    split_x = _readable(rng, (p.split_rows, p.split_cols))
    _, split_cache = split_forward(split_x, 2)  # the copies are split_x itself, drawn twice
    grads = (_readable(rng, split_x.shape), _readable(rng, split_x.shape))
    return NormRun(
        x,
        y,
        cache.x_hat,
        cache.mean,
        cache.var,
        gamma,
        beta,
        dy,
        dx,
        dgamma,
        dbeta,
        errors,
        split_x,
        grads,
        split_backward(list(grads), split_cache),
    )


def run_concat(C1: int, C2: int, seed: int) -> ConcatRun:
    """Join a (C1, 3, 3) and a (C2, 3, 3) array along the channels, and cut a random gradient back.

    Raises:
        ValueError: from the engine, for arrays it cannot join.
    """
    rng = np.random.default_rng(seed)
    a, b = _readable(rng, (C1, 3, 3)), _readable(rng, (C2, 3, 3))
    y, cache = concat_forward([a, b], axis=0)  # one example (C, H, W): the channels are axis 0
    dy = _readable(rng, y.shape)
    da, db = concat_backward(dy, cache)
    return ConcatRun(a, b, y, dy, da, db)


def _batchnorm_errors(x, gamma, beta, dy, grads) -> tuple[float, float, float]:
    """Relative errors of dx, dγ, dβ against Richardson-extrapolated central differences of Σ dy ⊙ y."""
    x, gamma, beta = x.copy(), gamma.copy(), beta.copy()  # changed in place, entry by entry, by the check

    def loss(_: np.ndarray) -> float:
        return float(np.sum(dy * batchnorm_forward(x, gamma, beta, EPS)[0]))

    numerical = [richardson_gradient(loss, p) for p in (x, gamma, beta)]
    # dx sums to 0 over each channel, so some entries sit near 0: measure them against the largest entry.
    floor = 1e-4 * float(np.max(np.abs(grads[0]))) if grads[0].size else 0.0
    dx_error = float(
        np.max(
            np.abs(grads[0] - numerical[0])
            / np.maximum(np.abs(grads[0]) + np.abs(numerical[0]), max(floor, 1e-12))
        )
    )
    return dx_error, relative_error(grads[1], numerical[1]), relative_error(grads[2], numerical[2])


def check_metrics(errors: Sequence[float]) -> None:
    """The relative errors of ∂L/∂x, ∂L/∂γ and ∂L/∂β against central differences, with their verdicts."""
    for column, name, error in zip(st.columns(3), ("dx", "dgamma", "dbeta"), errors):
        verdict = f"{error:.1e} {check_verdict(error)}"
        column.metric(t(f"normalization.check.{name}"), verdict, help=t("normalization.check_help"))


def entry_picker(shape: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Four number inputs (1-based) choosing the entry x(n, c, i, j) the formulas show; returns it 0-based."""
    labels = (
        "normalization.entry_n",
        "normalization.entry_c",
        "normalization.entry_i",
        "normalization.entry_j",
    )
    chosen = []
    for axis, column in enumerate(st.columns(4)):
        key = f"normalization.entry.{axis}"
        _clamp(key, 1, shape[axis])
        _start(key, 1)
        chosen.append(int(column.number_input(t(labels[axis]), 1, shape[axis], step=1, key=key)) - 1)
    return chosen[0], chosen[1], chosen[2], chosen[3]


def batchnorm_entry(run: NormRun, n: int, c: int, i: int, j: int) -> BatchNormEntry:
    """The numbers the formulas show for entry (n, c, i, j): the entry's own and its channel's sums.

    Σ ĝ and Σ ĝ·x̂ (ĝ = γ · ∂L/∂y) are the two sums of the compact backward formula, taken over the channel.
    """
    g_hat = run.dy[:, c] * run.gamma[c]
    return BatchNormEntry(
        n=n,
        c=c,
        i=i,
        j=j,
        m=run.x[:, c].size,
        x=run.x[n, c, i, j],
        mean=run.mean[c],
        var=run.var[c],
        eps=EPS,
        x_hat=run.x_hat[n, c, i, j],
        gamma=run.gamma[c],
        beta=run.beta[c],
        y=run.y[n, c, i, j],
        dy=run.dy[n, c, i, j],
        dx_hat=g_hat[n, i, j],
        sum_dx_hat=float(g_hat.sum()),
        sum_dx_hat_x_hat=float((g_hat * run.x_hat[:, c]).sum()),
        dx=run.dx[n, c, i, j],
        dgamma=run.dgamma[c],
        dbeta=run.dbeta[c],
    )


def stats_table(run: NormRun) -> pd.DataFrame:
    """Per channel: the batch statistics, γ and β, and their gradients."""
    return pd.DataFrame(
        {
            t("normalization.table.channel"): [str(c + 1) for c in range(run.mean.size)],
            "μ": run.mean,
            "σ²": run.var,
            "γ": run.gamma,
            "β": run.beta,
            "∂L/∂γ": run.dgamma,
            "∂L/∂β": run.dbeta,
        }
    )
