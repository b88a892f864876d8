"""The layers import only what DESIGN.md allows, pages start with the frame, and no code calls eval/exec.

Data flows one way: pages -> ui -> viz -> engine. The rules are read from the source with `ast`, so they
hold for every file anyone adds later.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

APP_ROOT = Path(__file__).resolve().parents[1]
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}

# Layer -> the top-level packages it may import besides the standard library.
ALLOWED = {
    "engine": {"engine", "numpy", "PIL"},
    # viz draws: Plotly figures, and with Pillow the GIFs of an animation (viz/gif.py).
    "viz": {"viz", "engine", "plotly", "numpy", "PIL"},
    # ui hands arrays between widgets and the engine (numpy; pandas for st.data_editor's tables);
    # figures are built in viz, never with plotly here.
    "ui": {"ui", "engine", "viz", "streamlit", "numpy", "pandas"},
    # Pages are thin: widgets and layout, no maths (numpy) and no figure building (plotly).
    "pages": {"pages", "ui", "engine", "viz", "streamlit"},
    "app.py": {"ui", "streamlit"},
}
# Folders that are not shipped code.
NOT_SHIPPED = {"tests", ".venv", "venv", ".git", "node_modules", "screenshots"}


def _layer_files(layer: str) -> list[Path]:
    if layer.endswith(".py"):
        return [APP_ROOT / layer]
    return sorted((APP_ROOT / layer).rglob("*.py"))


def _shipped_files() -> list[Path]:
    return sorted(
        path
        for path in APP_ROOT.rglob("*.py")
        if not NOT_SHIPPED & set(path.relative_to(APP_ROOT).parts[:-1])
    )


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """Return the nodes inside `if TYPE_CHECKING:` blocks: imports for annotations only, never run."""
    inside: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                inside |= set(ast.walk(statement))
    return inside


def imported_packages(tree: ast.Module) -> set[str]:
    """Return the top-level package of every absolute import a module runs (relative imports stay inside).

    Imports under `if TYPE_CHECKING:` are left out: they name types for annotations and never run.
    """
    packages = set()
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


def _cases() -> list[tuple[str, Path]]:
    return [(layer, path) for layer in ALLOWED for path in _layer_files(layer) if path.is_file()]


def _id(case: tuple[str, Path]) -> str:
    return case[1].relative_to(APP_ROOT).as_posix()


@pytest.mark.parametrize("case", _cases(), ids=_id)
def test_layer_imports_only_what_it_may(case: tuple[str, Path]) -> None:
    layer, path = case
    forbidden = imported_packages(_parse(path)) - ALLOWED[layer] - STDLIB
    assert not forbidden, f"{_id(case)} ({layer}) imports {sorted(forbidden)}; allowed: {ALLOWED[layer]}"


def _calls_eval_or_exec(tree: ast.Module) -> list[int]:
    """Return the line numbers of calls to eval/exec (by name or as builtins.eval/exec)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        by_name = isinstance(func, ast.Name) and func.id in {"eval", "exec"}
        by_builtins = (
            isinstance(func, ast.Attribute)
            and func.attr in {"eval", "exec"}
            and isinstance(func.value, ast.Name)
            and func.value.id in {"builtins", "__builtins__"}
        )
        if by_name or by_builtins:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda path: path.relative_to(APP_ROOT).as_posix())
def test_no_eval_or_exec(path: Path) -> None:
    assert not _calls_eval_or_exec(_parse(path)), "parse typed input with ast and a whitelist instead"


def test_the_checks_see_what_they_should() -> None:
    source = [
        "import numpy.linalg",
        "from PIL import Image",
        "from . import x",
        "exec('1')",
        "builtins.eval('2')",
        "if TYPE_CHECKING:",
        "    import plotly.graph_objects as go",
    ]
    tree = ast.parse("\n".join(source))
    assert imported_packages(tree) == {"numpy", "PIL"}
    assert _calls_eval_or_exec(tree) == [4, 5]
    assert any(layer == "app.py" for layer, _ in _cases())


def _first_call(tree: ast.Module) -> ast.Call | None:
    """The first module-level statement that is a bare call (what a page script draws first)."""
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            return node.value
    return None


@pytest.mark.parametrize("path", _layer_files("pages"), ids=lambda path: path.name)
def test_every_page_starts_with_its_frame(path: Path) -> None:
    call = _first_call(_parse(path))
    assert call is not None and isinstance(call.func, ast.Name) and call.func.id == "frame"
    assert [arg.value for arg in call.args if isinstance(arg, ast.Constant)] == [path.stem]


# --- ui/, one package per topic -------------------------------------------------------------------------

UI_SHARED = "common"
# Topic -> the other topics it may use besides the shared part: the backward page builds on the
# convolution settings of the forward page.
UI_TOPIC_USES = {"backward": {"conv"}}


def _ui_topics() -> list[str]:
    return sorted(p.name for p in (APP_ROOT / "ui").iterdir() if (p / "__init__.py").is_file())


def ui_packages_imported(tree: ast.Module) -> set[str]:
    """The `ui.<package>` a module imports (absolute imports; `from ui import x` counts as `ui.x`)."""
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "ui" else [f"ui.{a.name}" for a in node.names]
        found |= {name.split(".")[1] for name in names if name.startswith("ui.")}
    return found


@pytest.mark.parametrize("topic", _ui_topics())
def test_a_ui_topic_imports_only_the_shared_part_and_itself(topic: str) -> None:
    allowed = {topic} if topic == UI_SHARED else {UI_SHARED, topic, *UI_TOPIC_USES.get(topic, set())}
    for path in sorted((APP_ROOT / "ui" / topic).rglob("*.py")):
        other = ui_packages_imported(_parse(path)) - allowed
        assert not other, (
            f"{path.relative_to(APP_ROOT)} imports ui.{sorted(other)}; allowed: {sorted(allowed)}"
        )


def test_ui_has_no_loose_modules() -> None:
    loose = sorted(p.name for p in (APP_ROOT / "ui").glob("*.py") if p.name != "__init__.py")
    assert not loose, f"put {loose} in ui/common/ or in its topic's package"


def test_the_topic_rule_sees_imports() -> None:
    tree = ast.parse(
        "import ui.conv.state\nfrom ui.common import tour\nfrom ui import backward\nimport numpy"
    )
    assert ui_packages_imported(tree) == {"conv", "common", "backward"}
    assert "conv" in _ui_topics() and UI_SHARED in _ui_topics()


# --- viz computes no layer; pages hold no maths -------------------------------------------------------
# An engine function that runs a layer (or a gradient check, a trace, a training step): viz draws the
# numbers it is given, so it imports none of these. The names follow the engine's own conventions.
LAYER_RUNNERS = re.compile(
    r"(_forward|_backward)$|^conv2d|^run_|_trace$|^gather_dx|^scatter_|^descen|^numerical_gradient"
    r"|^gradient_check$|^layer_gradients$|^train|^richardson_gradient$|^evaluate"
)


def engine_names_imported(tree: ast.Module) -> set[str]:
    """The names a module imports from the engine (`from engine.x import name`, `import engine.x`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("engine"):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("engine")}
    return found


@pytest.mark.parametrize("path", _layer_files("viz"), ids=lambda p: str(p.relative_to(APP_ROOT)))
def test_viz_runs_no_layer(path: Path) -> None:
    names = engine_names_imported(_parse(path))
    modules = sorted(name for name in names if name.startswith("engine"))
    runners = sorted(name for name in names if LAYER_RUNNERS.search(name))
    assert not modules, (
        f"{path.relative_to(APP_ROOT)} imports whole engine modules {modules}: name what it draws"
    )
    assert not runners, (
        f"{path.relative_to(APP_ROOT)} runs the engine's {runners}: compute in engine/, draw here"
    )


def test_the_layer_rule_sees_imports() -> None:
    tree = ast.parse(
        "from engine.conv import conv2d_forward\nfrom engine.trace import ForwardTrace, backward_trace\n"
        "from engine.pool_trace import run_pooling, PoolingRun\nimport engine.network"
    )
    names = engine_names_imported(tree)
    assert {n for n in names if LAYER_RUNNERS.search(n)} == {
        "conv2d_forward",
        "backward_trace",
        "run_pooling",
    }
    assert "engine.network" in names and "PoolingRun" not in {n for n in names if LAYER_RUNNERS.search(n)}


# --- one way to start a widget -------------------------------------------------------------------------
# A widget with a key is started by writing its key (ui.common.controls.start_value, or ui.common.state.bind
# for the settings the forward and backward pages share), never by `value=`/`index=` beside `key=`: with
# both, a value set by code (a link, a preset, a test) would lose to the widget's own state, and Streamlit
# warns.
VALUE_WIDGETS = {"number_input": 4, "slider": 4, "select_slider": 3, "selectbox": 3, "radio": 3, "toggle": 2}


def widgets_started_twice(tree: ast.Module) -> list[int]:
    """Lines of widget calls that pass a key and also a starting value (by keyword or by position)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        positional_value = VALUE_WIDGETS.get(node.func.attr)
        if positional_value is None and node.func.attr not in ("checkbox", "text_input", "text_area"):
            continue
        keywords = {k.arg for k in node.keywords}
        has_key = "key" in keywords or None in keywords  # **bind(...) passes key
        has_value = bool(keywords & {"value", "index"}) or (
            positional_value is not None and len(node.args) >= positional_value
        )
        if has_key and has_value:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path", _layer_files("ui") + _layer_files("pages"), ids=lambda p: str(p.relative_to(APP_ROOT))
)
def test_a_widget_is_started_one_way(path: Path) -> None:
    lines = widgets_started_twice(_parse(path))
    assert not lines, (
        f"{path.relative_to(APP_ROOT)}:{lines} start the widget with start_value, not value=/index="
    )


def test_the_widget_rule_sees_both_ways() -> None:
    tree = ast.parse(
        "st.number_input('n', 0, 9, 3, key='a')\nst.selectbox('s', xs, index=1, key='b')\n"
        "st.slider('s', 0, 9, key='c')\nst.radio('r', xs, **bind('d'))\nst.toggle('t', value=True)"
    )
    assert widgets_started_twice(tree) == [1, 2]
