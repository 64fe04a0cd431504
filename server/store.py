"""The store, wired into the app once per process (`init_app`), reopened when a build switches generation."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from pyoxigraph import Store

from kg.store import StoreDirectory

EXTENSION = "evalkg.store"


class StoreHandle:
    """A read-only view of the live store generation, swapped when `kg build` publishes a new one."""

    def __init__(self, path: str) -> None:
        self.directory = StoreDirectory(path)
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._store: Store | None = None

    def get(self) -> Store:
        """The store of the current generation (raises `StoreError` when there is none)."""
        live = self.directory.current_generation()
        with self._lock:
            if self._store is None or live != self._generation:
                self._store = self.directory.open_read_only()
                self._generation = live
            return self._store


def init_app(app: Flask, path: str) -> None:
    app.extensions[EXTENSION] = StoreHandle(path)


def get_store() -> Store:
    """The store of the app handling the current request."""
    handle: StoreHandle = current_app.extensions[EXTENSION]
    return handle.get()
