"""Streamlit's caches, called the cheap way: every argument passed by keyword.

On each call of a cached function Streamlit looks up the name of every positional argument (to skip
the ones starting with "_"), and that runs `inspect.signature` on the function once per positional
argument: about 0.1 ms each, ~1 ms a rerun on the backward page whose figure caches take up to eleven
arguments (py-spy on the real server, benchmarks/bench_hall.py). Keyword arguments skip the look-up. These
decorators read the signature once, when the function is defined, and pass every argument by its name;
the cache itself (its keys, its "_" rule, `max_entries`) is Streamlit's, unchanged.

Use `cached_resource` for results every session shares read-only (arrays, figure specs); `cached_data`
only where a session may change what it gets back (it gets a pickled copy).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])


def _by_keyword(cached: Callable[..., Any], func: Callable[..., Any]) -> Callable[..., Any]:
    """`cached` called with every positional argument given by its name in `func`'s signature."""
    names = tuple(inspect.signature(func).parameters)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        return cached(**dict(zip(names, args)), **kwargs)

    call.clear = cached.clear  # type: ignore[attr-defined]
    return call


def cached_resource(**options: Any) -> Callable[[F], F]:
    """`st.cache_resource(**options)`, arguments passed by keyword (one shared, read-only result)."""
    options.setdefault("show_spinner", False)

    def decorate(func: F) -> F:
        return _by_keyword(st.cache_resource(**options)(func), func)  # type: ignore[return-value]

    return decorate


def cached_data(**options: Any) -> Callable[[F], F]:
    """`st.cache_data(**options)`, arguments passed by keyword (each caller gets its own copy)."""
    options.setdefault("show_spinner", False)

    def decorate(func: F) -> F:
        return _by_keyword(st.cache_data(**options)(func), func)  # type: ignore[return-value]

    return decorate
