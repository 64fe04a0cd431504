"""Figures that cost a scan of the store, computed once per store generation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from server.store import EXTENSION as STORE

T = TypeVar("T")
_lock = threading.Lock()


def per_generation(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, reused until `kg build` publishes a new generation of the store."""
    generation = current_app.extensions[STORE].directory.current_generation()
    cache: dict[str, tuple[object, T]] = current_app.extensions.setdefault("evalkg.figures", {})
    with _lock:
        hit = cache.get(name)
    if hit is not None and hit[0] == generation:
        return hit[1]
    value = compute()
    with _lock:
        cache[name] = (generation, value)
    return value
