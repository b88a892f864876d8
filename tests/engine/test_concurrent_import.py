"""Pages opened together on a fresh server import the engine from several threads at once: no import may
deadlock or see a half-initialised module (CI once saw "_DeadlockError: deadlock detected by
_ModuleLock('engine.conv')" when the package's __init__ imported its submodules eagerly)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each round forgets the engine, then imports one submodule per thread, all released at once.
_SCRIPT = textwrap.dedent(
    """
    import importlib, sys, threading
    import numpy, PIL.Image  # third-party modules stay loaded: only the engine's own imports race
    MODULES = ["engine.pool", "engine.model", "engine.activations", "engine.conv", "engine.trace",
               "engine.backward_views", "engine.graph", "engine.images", "engine.norm", "engine.errors",
               "engine.geometry", "engine"]
    errors = []
    for round_ in range(40):
        for name in [m for m in sys.modules if m == "engine" or m.startswith("engine.")]:
            del sys.modules[name]
        gate = threading.Barrier(len(MODULES))

        def load(name):
            gate.wait()
            try:
                module = importlib.import_module(name)
                if name == "engine":
                    module.conv2d_forward, module.pool2d_forward, module.EngineError
            except Exception as err:  # noqa: BLE001 (reported below)
                errors.append(f"{name}: {type(err).__name__}: {err}")

        threads = [threading.Thread(target=load, args=(m,)) for m in MODULES]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    print("\\n".join(errors) or "ok")
    """
)


def test_engine_submodules_import_from_many_threads_at_once() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok", result.stdout[-3000:]
