"""Per-page string tables, merged into `ui.i18n.STRINGS`.

Each module here defines `STRINGS: dict[str, dict[str, str]]` (string id → language code → text), with
ids prefixed by its page ("forward.kernel", "pooling.mode", ...), so pages can grow their strings without
touching one shared file. `all_strings()` merges them; a duplicate id is an error.
"""

from __future__ import annotations

import importlib
import pkgutil


def all_strings() -> dict[str, dict[str, str]]:
    """Every module's STRINGS, merged. Raises ValueError when two modules define the same id."""
    merged: dict[str, dict[str, str]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for key, entry in getattr(module, "STRINGS", {}).items():
            if key in merged:
                where = f"ui/strings/{module_info.name}.py"
                raise ValueError(f"String id {key!r} is defined twice (again in {where}).")
            merged[key] = entry
    return merged
