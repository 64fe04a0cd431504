"""The store, wired into the app once per process (`init_app`), reopened when a build switches generation."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from pyoxigraph import Store

from kg.search.index import index_path
from kg.search.searching import SearchError, SearchIndex
from kg.store import StoreDirectory

EXTENSION = "evalkg.store"


class StoreHandle:
    """A read-only view of the live store generation, swapped when `kg build` publishes a new one."""

    def __init__(self, path: str) -> None:
        self.directory = StoreDirectory(path)
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._name: str | None = None  # what CURRENT said when the open store was opened
        self._store: Store | None = None
        self._index: SearchIndex | None = None

    def get(self) -> Store:
        """The store of the current generation (raises `StoreError` when there is none).

        `CURRENT` is read each time, in one read; the generation it names is looked for only when that changes.
        """
        name = self.directory.current_name()
        with self._lock:
            if self._store is not None and name is not None and name == self._name:
                return self._store
            live = self.directory.current_generation()
            if self._store is None or live != self._generation:
                self._store = self.directory.open_read_only()
                self._generation = live
                if self._index is not None:
                    self._index.close()
                    self._index = None
            self._name = live.name if live is not None and live.parent == self.directory.path else None
            return self._store

    def search_index(self) -> SearchIndex:
        """The text index of the generation `get` last gave (raises `SearchError` when it has none)."""
        with self._lock:
            if self._generation is None:
                raise SearchError(f"{self.directory.path}: no store generation is open")
            if self._index is None:
                self._index = SearchIndex(index_path(self._generation))
            return self._index


def init_app(app: Flask, path: str) -> None:
    app.extensions[EXTENSION] = StoreHandle(path)


def get_store() -> Store:
    """The store of the app handling the current request."""
    handle: StoreHandle = current_app.extensions[EXTENSION]
    return handle.get()
