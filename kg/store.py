"""The only module that opens the Oxigraph store.

A store directory holds numbered generations (`gen-000001/`, ...) of a pyoxigraph database and
a `CURRENT` file naming the live one. A build never writes to the live generation: it copies it
(a RocksDB checkpoint, made of hard links, so cheap), writes the copy, and then switches
`CURRENT` with an atomic rename; the copy is fully compacted first once much of it is new (see
`uncompacted_share`). `STORE-ID` holds a random id that, with a generation's name, identifies
what a dump was written from (`generation_id`). A build that fails or is killed leaves `CURRENT`, and so the
store, exactly as it was; readers (the server) keep reading a consistent generation meanwhile.
Each generation carries the text index of its own texts (`kg.search.index`), written before it
goes live.

Each source's triples live in a named graph of their own; the default graph holds the merge of
all named graphs (see `with_default_copies`), and queries read it as their default graph.
"""

from __future__ import annotations

import fcntl
import os
import re
import resource
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

from kg.errors import StoreError
from kg.search.index import index_path, update_index

CURRENT = "CURRENT"
STORE_ID = "STORE-ID"  # a random id, written with the first generation: see `generation_id`
LOCK = "LOCK"
_GENERATION = re.compile(r"^gen-(\d{6})$")
KEEP_GENERATIONS = 2
OPTIMIZE_SHARE = 0.1  # compact a generation fully once this share of its table bytes is new
COMPACTED = "evalkg-compacted"  # in a generation: the number of its last table file when last compacted
OXIGRAPH_SPARE_FILES = 48  # Oxigraph lets RocksDB keep open all the files the process may open but these


def generation_id(database: str | os.PathLike[str]) -> str | None:
    """What names one generation of one store, `STORE-ID/gen-000007`: dumps written from it carry
    it, so a server can tell whether they describe the store it serves. None for a database
    outside a store directory, or of a store made before stores had an id."""
    database = Path(database)
    try:
        store_id = (database.parent / STORE_ID).read_text(encoding="ascii").strip()
    except OSError:
        return None
    return f"{store_id}/{database.name}" if _GENERATION.match(database.name) else None


class StoreDirectory:
    """An evalkg store directory and its generations."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._marker = str(self.path / CURRENT)

    def current_name(self) -> str | None:
        """The name `CURRENT` gives the live generation, read in one call (servers ask before each
        request); None when it cannot be read."""
        try:
            descriptor = os.open(self._marker, os.O_RDONLY)
            try:
                return os.read(descriptor, 4096).decode("utf-8").strip()
            finally:
                os.close(descriptor)
        except (OSError, UnicodeDecodeError):
            return None

    @property
    def exists(self) -> bool:
        return (self.path / CURRENT).is_file()

    def current_generation(self) -> Path | None:
        """The live database directory, or None for a store never built."""
        marker = self.path / CURRENT
        if not marker.is_file():
            return None
        live = self.path / marker.read_text(encoding="utf-8").strip()
        if not live.is_dir():
            raise StoreError(f"{self.path}: CURRENT names {live.name}, which is missing; rebuild the store")
        return live

    def live_generation(self) -> Path:
        """The live database directory; raises `StoreError` with the fix when there is none."""
        live = self.current_generation()
        if live is None:
            raise StoreError(f"{self.path}: no evalkg store here; create it with `kg build --store {self.path}`")
        return live

    def open_read_only(self) -> Store:
        """The live generation for reading; raises `StoreError` with the fix when there is none."""
        live = self.live_generation()
        try:
            return Store.read_only(str(live))
        except OSError as error:
            raise StoreError(f"{self.path}: cannot open the store ({error})") from error

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's writer lock: one build or update at a time, across processes."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def new_generation(
        self, open_tables: int | None = None, on_phase: Callable[[str], None] | None = None,
        index_inputs: Callable[[], Path] | None = None,
    ) -> Iterator[Store]:
        """A writable copy of the live generation that becomes live only if the block succeeds.

        Writers are serialised by a file lock, so concurrent builds and updates queue up.
        `open_tables` bounds the table files kept open, and so the memory of their indexes, to
        that many more than the files the process has open already (see `_open_writable`); None
        keeps Oxigraph's own bound. `on_phase` is told of the long steps: copying, indexing texts
        (and compacting, alongside). `index_inputs`, called once the block is done, gives an
        N-Quads file of every quad the block wrote that the text index reads
        (`kg.search.index.is_input`): for a generation that starts empty, the index reads those
        from it rather than from the freshly written store.
        """
        with self.writing():
            yield from self._new_generation(open_tables, on_phase or (lambda phase: None), index_inputs)

    def _new_generation(
        self, open_tables: int | None, on_phase: Callable[[str], None], index_inputs: Callable[[], Path] | None,
    ) -> Iterator[Store]:
        self._remove_stale_staging()
        if not (self.path / STORE_ID).is_file():
            (self.path / STORE_ID).write_text(uuid.uuid4().hex + "\n", encoding="ascii")
        live = self.current_generation()
        number = int(_GENERATION.match(live.name).group(1)) + 1 if live else 1  # type: ignore[union-attr]
        staging = self.path / f"gen-{number:06d}.staging"
        if live is not None:
            on_phase("copying the live store")
            Store.read_only(str(live)).backup(str(staging))
            if (live / COMPACTED).is_file():
                shutil.copyfile(live / COMPACTED, staging / COMPACTED)
        store = _open_writable(staging, open_tables)
        try:
            yield store
            store.flush()
            compacting = uncompacted_share(staging) >= OPTIMIZE_SHARE
            on_phase("indexing texts and compacting" if compacting else "indexing texts")
            with _alongside(store.optimize if compacting else None):
                inputs = index_inputs() if index_inputs is not None and live is None else None
                update_index(store, index_path(staging), index_path(live) if live else None, inputs)
            if not compacting and uncompacted_share(staging) >= OPTIMIZE_SHARE:
                # the share read just after the last load can be low while RocksDB's own
                # compactions are rewriting files: read again once they have had the index's time
                compacting = True
                on_phase("compacting")
                store.optimize()
        except BaseException:
            del store
            shutil.rmtree(staging, ignore_errors=True)
            raise
        del store  # closes the database before its directory is renamed
        if compacting:
            _mark_compacted(staging)
        final = self.path / f"gen-{number:06d}"
        os.rename(staging, final)
        self._switch_to(final.name)
        self._remove_old_generations(keep=final.name)

    def _switch_to(self, name: str) -> None:
        marker = self.path / f"{CURRENT}.tmp"
        with open(marker, "w", encoding="utf-8") as f:
            f.write(name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(marker, self.path / CURRENT)
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.path.iterdir() if _GENERATION.match(p.name) and p.is_dir())

    def _remove_stale_staging(self) -> None:
        """Clear what a killed build left: its staging copy, or a generation it never switched to."""
        for leftover in self.path.glob("gen-*.staging"):
            shutil.rmtree(leftover, ignore_errors=True)
        live = self.current_generation()
        for generation in self._generations():
            if live is None or generation.name > live.name:
                shutil.rmtree(generation, ignore_errors=True)

    def _remove_old_generations(self, keep: str) -> None:
        """Keep the live generation and the one before it, which running servers may still read."""
        generations = self._generations()
        for old in generations[:-KEEP_GENERATIONS]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _alongside(work: Callable[[], None] | None) -> Iterator[None]:
    """Run `work` in a thread of its own while the block runs, then wait for it and raise what it
    raised. The store's compaction is native code that releases the GIL, so it runs on the other
    core while the text index is written: at 100k records each took minutes, one after the other."""
    if work is None:
        yield
        return
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as failure:  # handed to the waiting thread
            failures.append(failure)

    thread = threading.Thread(target=run, name="evalkg-compaction", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failures:
        raise failures[0]


def _open_writable(database: Path, open_tables: int | None) -> Store:
    """The database opened for writing, its table files kept open bounded by `open_tables`.

    RocksDB holds the index of every open table file in memory, so a long build into a store of
    thousands of files grows by ~10 MiB per GB of store. Oxigraph exposes no option for it, but
    sizes RocksDB's table cache from the process's open-file limit when it opens a database
    (the limit minus `OXIGRAPH_SPARE_FILES`); that limit is lowered for the moment of opening,
    leaving room for the files the process has open already, which the table cache may then
    use too: at most `open_tables` more table files than those are kept open.

    Afterwards the process's soft limit is raised to its hard limit: compactions and bulk loads
    open table files outside that cache, over a thousand at once in a 60 GB store, and a build
    must not fail for a soft limit of 1,024.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        if open_tables is None:
            return Store(str(database))
        wanted = len(os.listdir("/dev/fd")) + open_tables + OXIGRAPH_SPARE_FILES
        if soft != resource.RLIM_INFINITY and soft <= wanted:
            return Store(str(database))
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        return Store(str(database))
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft if hard == resource.RLIM_INFINITY else hard, hard))


def uncompacted_share(database: Path) -> float:
    """The share of a database's table bytes written since its last full compaction.

    Table files (`NNNNNN.sst`) are numbered in the order written, and a generation copies its
    predecessor's files as hard links under the same numbers, so the number of the last table
    file after a compaction (kept in `COMPACTED`) tells which tables came later. Without a
    record of it, every table counts as new.
    """
    tables = _table_sizes(database)
    total = sum(tables.values())
    if not total:
        return 0.0
    try:
        last_compacted = int((database / COMPACTED).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        last_compacted = -1
    return sum(size for number, size in tables.items() if number > last_compacted) / total


def _table_sizes(database: Path) -> dict[int, int]:
    """Number → size of each table file of a database; files compacted away meanwhile are skipped."""
    sizes = {}
    for path in database.glob("*.sst"):
        try:
            sizes[int(path.stem)] = path.stat().st_size
        except (FileNotFoundError, ValueError):
            continue
    return sizes


def _mark_compacted(database: Path) -> None:
    (database / COMPACTED).write_text(str(max(_table_sizes(database), default=-1)), encoding="utf-8")


def with_default_copies(quads: Iterable[Quad]) -> Iterator[Quad]:
    """Each quad of a named graph, and its triple in the default graph.

    The store's default graph is kept as the merge (set union) of all named graphs, so that a
    query over the default graph sees every statement once, however many sources made it, while
    the named graphs keep exact provenance. Writers add quads through this function.
    """
    default = DefaultGraph()
    for quad in quads:
        yield quad
        if quad.graph_name != default:
            yield Quad(quad.subject, quad.predicate, quad.object, default)


def remove_quads(store: Store, quads: list[Quad]) -> None:
    """Remove quads of named graphs, and their default-graph triples that no other graph states."""
    for quad in quads:
        store.remove(quad)
    default = DefaultGraph()
    for quad in quads:
        triple = (quad.subject, quad.predicate, quad.object)
        if not any(q.graph_name != default for q in store.quads_for_pattern(*triple, None)):
            store.remove(Quad(*triple, default))


def remove_named_graph(store: Store, graph: NamedNode) -> None:
    """Remove a named graph and what only it contributed to the default graph."""
    if store.contains_named_graph(graph):
        remove_quads(store, list(store.quads_for_pattern(None, None, None, graph)))
        store.remove_graph(graph)
