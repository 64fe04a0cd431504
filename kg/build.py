"""`kg build`: sources → records → quads → a new store generation, one named graph per source.

Unchanged sources (same SHA-256 as recorded in the metadata graph) are skipped; a changed
source's graph is replaced; everything is written to a staging copy of the store that becomes
live only when the whole build succeeds (see `kg.store`).
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, serialize

from kg.errors import MappingError, ReadError
from kg.iris import Iris
from kg.mapping import Linkers, Mapper, TextAnalysis
from kg.namespaces import DCTERMS, EK, PROV, RDF, VOID, XSD
from kg.readers import read_records
from kg.records import EvaluationRecord
from kg.reference import reference_fingerprint, reference_quads
from kg.search.index import index_is_current, write_inputs
from kg.sources import Source
from kg.store import StoreDirectory, remove_named_graph, remove_quads, with_default_copies

DEFAULT_MAX_SOURCE_BYTES = 20_000_000
BULK_BYTES = 16 << 20  # N-Quads bytes loaded into the store at once
OPEN_TABLES = 208  # store table files a build keeps open (beyond its other open files): each holds an index in memory
SPOOL_COPY_BYTES = 1 << 20
BATCH_SOURCES = 16  # most sources mapped by one task of a worker process
BATCH_BYTES = 256 << 10  # or fewer, up to about this much input
PENDING_PER_WORKER = 16  # tasks queued per worker; their quads wait on disk, not in memory
ANALYSIS_RECORDS = 32  # records of one source whose texts one task of a worker analyses
COPIES_REMEMBERED = 50_000  # default-graph copies a mapping process remembers, not to write them twice
REFERENCE_KEY = "evalkg:reference"
PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal a process gets when its parent thread ends


@dataclass
class BuildReport:
    """What a build did: counts for the summary, and every problem with its source."""

    sources: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    records: int = 0
    recommendations: int = 0
    lessons: int = 0
    good_practices: int = 0
    quads_written: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_keys: Counter[str] = field(default_factory=Counter)
    pruned: list[str] = field(default_factory=list)
    store_changed: bool = False


@dataclass(frozen=True)
class _Recorded:
    key: str
    sha256: str
    had_errors: bool


def recorded_sources(store: StoreDirectory, iris: Iris) -> dict[str, _Recorded]:
    """Graph IRI → key, content hash, and whether it had errors, as recorded by earlier builds,
    for the graphs the store still holds (one dropped by other means is built again)."""
    if not store.exists:
        return {}
    opened = store.open_read_only()
    present = {graph.value for graph in opened.named_graphs() if isinstance(graph, NamedNode)}
    keys: dict[str, str] = {}
    hashes: dict[str, str] = {}
    with_errors: set[str] = set()
    for quad in opened.quads_for_pattern(None, None, None, iris.metadata_graph):
        if quad.predicate == EK.sha256:
            hashes[quad.subject.value] = quad.object.value
        elif quad.predicate == DCTERMS.source:
            keys[quad.subject.value] = quad.object.value
        elif quad.predicate == EK.errorCount and quad.object.value != "0":
            with_errors.add(quad.subject.value)
    return {g: _Recorded(keys.get(g, ""), sha, g in with_errors) for g, sha in hashes.items() if g in present}


class _Writer:
    """Writes into a new store generation, opened only once something has changed.

    Quads are spooled as N-Quads (named-graph quads and their default-graph copies) to a
    temporary file, bulk-loaded whenever it holds `BULK_BYTES` or more, so memory stays flat
    however big the sources. A source's graph is dropped before its quads are added to the spool.
    Those the text index reads are written to a second file as well (`index_inputs`), which
    spares the index reading them back when the generation was built from nothing.
    """

    def __init__(
        self, store: StoreDirectory, stack: ExitStack, spool_dir: str, on_phase: Callable[[str], None] | None = None
    ) -> None:
        self._on_phase = on_phase
        self._directory = store
        self._stack = stack
        self._store: Store | None = None
        self._graphs_before: set[str] | None = None
        self.spool: BinaryIO = stack.enter_context(open(Path(spool_dir) / "spool.nq", "w+b"))
        self.index_inputs: BinaryIO = stack.enter_context(open(Path(spool_dir) / "index-inputs.nq", "wb"))
        self.written = 0
        self._loader: ThreadPoolExecutor | None = None
        self._loading: Future[None] | None = None

    @property
    def opened(self) -> bool:
        return self._store is not None

    def open(self) -> None:
        """Start the new generation now (else the first write starts it)."""
        _ = self.store

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self._stack.enter_context(
                self._directory.new_generation(OPEN_TABLES, self._on_phase, self._written_index_inputs))
        return self._store

    def _written_index_inputs(self) -> Path:
        self.index_inputs.flush()
        return Path(self.index_inputs.name)

    def add(self, quads: Iterable[Quad]) -> None:
        quads = list(quads)
        serialize(with_default_copies(quads), self.spool, RdfFormat.N_QUADS)
        write_inputs(quads, self.index_inputs)
        self.added(len(quads))

    def add_file(self, path: Path, quads: int, index_inputs: Path) -> None:
        """Queue the content of an N-Quads file of `quads` quads and their default-graph copies,
        and of the file of those quads the text index reads."""
        for source, target in ((path, self.spool), (index_inputs, self.index_inputs)):
            with open(source, "rb") as f:
                shutil.copyfileobj(f, target, SPOOL_COPY_BYTES)
        self.added(quads)

    def added(self, quads: int) -> None:
        """Count `quads` just written to the spool; load the spool once it is big enough."""
        self.written += quads
        if self.spool.tell() >= BULK_BYTES:
            self.flush()

    def load_behind(self, graph: NamedNode) -> None:
        """Load the spool, once it is big enough, in a thread while the caller goes on writing to
        it (one load at a time), if it holds quads of a graph the store did not have: one to drop
        first waits for the whole source and `flush`. The load releases the interpreter's lock."""
        if self.spool.tell() < BULK_BYTES or self.has_graph(graph):
            return
        self._wait()
        self.spool.seek(0)
        data = self.spool.read()
        self.spool.seek(0)
        self.spool.truncate()
        if self._loader is None:
            self._loader = self._stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="evalkg-load"))
        self._loading = self._loader.submit(self.store.bulk_load, data, format=RdfFormat.N_QUADS, lenient=True)

    def _wait(self) -> None:
        """Wait for the load `load_behind` started, if any (its error is raised here)."""
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.result()

    def has_graph(self, graph: NamedNode) -> bool:
        """Whether the store had this named graph when the build began, from a list read once:
        asking the store for each of thousands of sources, while bulk loads pile up files in
        it, is slow. Each source's graph is dropped at most once, before its quads are added."""
        if self._graphs_before is None:
            self._graphs_before = {g.value for g in self.store.named_graphs() if isinstance(g, NamedNode)}
        return graph.value in self._graphs_before

    def drop_graph(self, graph: NamedNode, metadata_graph: NamedNode | None) -> None:
        self._wait()
        store = self.store
        remove_named_graph(store, graph)
        if metadata_graph is not None:
            remove_quads(store, list(store.quads_for_pattern(graph, None, None, metadata_graph)))

    def flush(self) -> None:
        """Load the spool into the store in pieces of about `BULK_BYTES`, cut at line ends.

        The bulk loader's memory grows with what it is given at once; each load adds a file per
        index to the store, which compactions later merge, so the pieces are even: no small rest.
        The lines were all written by `serialize`, so the loader need not validate them again.
        """
        self._wait()
        size = self.spool.tell()
        if not size:
            return
        pieces = max(1, round(size / BULK_BYTES))
        self.spool.seek(0)
        rest = b""
        while chunk := self.spool.read(-(-size // pieces)):
            data = rest + chunk
            end = data.rfind(b"\n") + 1
            data, rest = data[:end], data[end:]
            if data:
                self.store.bulk_load(data, format=RdfFormat.N_QUADS, lenient=True)
        if rest:
            self.store.bulk_load(rest, format=RdfFormat.N_QUADS, lenient=True)
        self.spool.seek(0)
        self.spool.truncate()


@dataclass
class _MappedSource:
    """What reading and mapping one source gave: its counts and problems (its quads went to a file)."""

    status: str  # "failed", "unchanged" or "mapped"
    sha256: str = ""
    quads: int = 0
    records: int = 0
    recommendations: int = 0
    lessons: int = 0
    good_practices: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_keys: Counter[str] = field(default_factory=Counter)


Read = Iterator[EvaluationRecord | ReadError]
Analysed = Iterator[tuple[EvaluationRecord | ReadError, TextAnalysis | None]]


def _unanalysed(items: Read) -> Analysed:
    return ((item, None) for item in items)


def map_source(
    mapper: Mapper, source: Source, previous: _Recorded | None, max_source_bytes: int, out: BinaryIO,
    index_inputs: BinaryIO, copies: DefaultCopies, analysed: Callable[[Read], Analysed] = _unanalysed,
    written: Callable[[], None] = lambda: None,
) -> _MappedSource:
    """Read and map one source, writing its quads and their default-graph `copies` to `out` as
    N-Quads, and those the text index reads to `index_inputs`; touches no store, so it can run in
    a worker process. `analysed` pairs each record with its texts' analysis if worked out
    elsewhere (`_analysed_in_workers`); `written` is called after each record's quads are written."""
    try:
        size = source.size
        if size > max_source_bytes:
            raise ReadError(
                source.key,
                f"{size / 1e6:.1f} MB is over the {max_source_bytes / 1e6:g} MB limit per source"
                " (raise it with --max-source-mb)",
            )
        content = source.read()
    except OSError as error:
        return _MappedSource("failed", errors=[f"{source.key}: cannot read ({error.strerror or error})"])
    except ReadError as error:
        return _MappedSource("failed", errors=[str(error)])
    sha256 = hashlib.sha256(content).hexdigest()
    if previous is not None and previous.sha256 == sha256 and not previous.had_errors:
        return _MappedSource("unchanged", sha256)
    result = _MappedSource("failed", sha256)
    graph = mapper.iris.source_graph(source.key)
    graph_end = f" <{graph.value}> .\n".encode()
    described: set[NamedNode] = set()
    for item, analysis in analysed(read_records(source.key, content, source.form)):
        if isinstance(item, ReadError):
            result.errors.append(str(item))
            continue
        result.unknown_keys.update(item.unknown_keys)
        try:
            mapped = mapper.map(item, graph, described, analysis)
        except MappingError as error:
            result.errors.append(str(error))
            continue
        result.status = "mapped"
        result.records += 1
        result.recommendations += mapped.recommendations
        result.lessons += mapped.lessons
        result.good_practices += mapped.good_practices
        result.errors.extend(f"{item.source}: {message}" for message in mapped.errors)
        result.warnings.extend(f"{item.source}: {message}" for message in mapped.warnings)
        result.quads += len(mapped.quads)
        out.write(copies.with_copies(serialize(mapped.quads, format=RdfFormat.N_QUADS), graph_end))
        write_inputs(mapped.quads, index_inputs)
        written()
    return result


class DefaultCopies:
    """Adds to N-Quads lines their default-graph copies, leaving out those it added lately.

    Sources restate the resources they share (countries, agencies, projects, themes), so the
    same copies recur from source to source, about one line in six: loading each once spares the
    bulk loader and the store's compactions. The memory of copies is cleared when full, so it
    stays bounded; a copy loaded twice is harmless. One instance serves one build, whose
    every line is loaded.
    """

    def __init__(self, remembered: int = COPIES_REMEMBERED) -> None:
        self._added: set[bytes] = set()
        self._remembered = remembered

    def with_copies(self, nquads: bytes, graph_end: bytes) -> bytes:
        """N-Quads lines all ending in `graph_end` (" <graph> .\n"), then their new copies.

        A copy is the line without its graph term: N-Quads escapes line breaks inside literals,
        so `graph_end` occurs only where a line ends. Much faster than copying `Quad` objects.
        """
        copies = nquads.replace(graph_end, b" .\n").splitlines(keepends=True)
        new = [line for line in copies if line not in self._added]
        if len(self._added) + len(new) > self._remembered:
            self._added.clear()
        self._added.update(new)
        return nquads + b"".join(new)


_worker_mapper: Mapper | None = None
_worker_copies: DefaultCopies | None = None


def _end_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the build that started it (process `parent`) dies,
    even by SIGKILL (Linux's PR_SET_PDEATHSIG); elsewhere a worker ends when its task queue closes."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _start_worker(mapper: Mapper | None, iris: Iris, parent: int) -> None:
    global _worker_mapper, _worker_copies
    _end_with_parent(parent)
    _worker_mapper = mapper if mapper is not None else Mapper(iris, Linkers.load(iris))
    _worker_copies = DefaultCopies()


def _map_batch(
    batch: list[tuple[Source, _Recorded | None]], max_source_bytes: int, out: str
) -> list[_MappedSource]:
    """Map a few sources in a worker process, their quads into the file `out`, those the text
    index reads into `index_inputs_of(out)`."""
    assert _worker_mapper is not None and _worker_copies is not None
    with open(out, "wb") as quads, open(index_inputs_of(Path(out)), "wb") as index_inputs:
        return [map_source(_worker_mapper, source, previous, max_source_bytes, quads, index_inputs, _worker_copies)
                for source, previous in batch]


def index_inputs_of(quads_file: Path) -> Path:
    """The file of the quads the text index reads, beside a worker's file of quads."""
    return quads_file.with_suffix(".index.nq")


def _analyse(records: list[EvaluationRecord]) -> list[TextAnalysis]:
    """The analysis of a few records' texts, in a worker process."""
    assert _worker_mapper is not None
    return [_worker_mapper.analyse(record) for record in records]


def _analysed_in_workers(pool: ProcessPoolExecutor, workers: int, items: Read) -> Analysed:
    """A source's records in order, each with its texts' analysis worked out by the workers, a
    few tasks ahead of the process that maps them (which holds only those tasks' records)."""
    pending: deque[tuple[list[EvaluationRecord | ReadError], Future[list[TextAnalysis]]]] = deque()

    def finished() -> Analysed:
        batch, future = pending.popleft()
        analyses = iter(future.result())
        return ((item, next(analyses) if isinstance(item, EvaluationRecord) else None) for item in batch)

    while batch := list(islice(items, ANALYSIS_RECORDS)):
        records = [item for item in batch if isinstance(item, EvaluationRecord)]
        pending.append((batch, pool.submit(_analyse, records)))
        if len(pending) >= workers * PENDING_PER_WORKER:
            yield from finished()
    while pending:
        yield from finished()


def _batches(
    sources: Collection[Source], recorded: dict[str, _Recorded], iris: Iris
) -> Iterator[list[tuple[Source, _Recorded | None]]]:
    """Sources in order, grouped into tasks of a few files (a big file is a task of its own)."""
    batch: list[tuple[Source, _Recorded | None]] = []
    size = 0
    for source in sources:
        batch.append((source, recorded.get(iris.source_graph(source.key).value)))
        size += _size(source)
        if len(batch) >= BATCH_SOURCES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(source: Source) -> int:
    """A source's size, 0 if it cannot be read (its mapping reports why)."""
    try:
        return source.size
    except OSError:
        return 0


def _metadata(
    iris: Iris, graph: NamedNode, key: str, sha256: str, errors: int, records: int = 0, triples: int = 0
) -> list[Quad]:
    meta = iris.metadata_graph
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    origin = NamedNode(key) if key.startswith(("http://", "https://")) else None
    quads = [
        Quad(graph, RDF.type, EK.SourceDocument, meta),
        Quad(graph, DCTERMS.source, Literal(key), meta),
        Quad(graph, EK.sha256, Literal(sha256), meta),
        Quad(graph, EK.errorCount, Literal(str(errors), datatype=XSD.integer), meta),
        Quad(graph, EK.recordCount, Literal(str(records), datatype=XSD.integer), meta),
        Quad(graph, VOID.triples, Literal(str(triples), datatype=XSD.integer), meta),
        Quad(graph, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime), meta),
    ]
    if origin is not None:
        quads.append(Quad(graph, PROV.wasDerivedFrom, origin, meta))
    return quads


def _gone(key: str, folders: Iterable[tuple[str, Path]]) -> bool:
    """Whether a source key lies under one of the (key prefix, folder) pairs, its file gone."""
    return any(key.startswith(prefix) and not (folder / key[len(prefix):]).is_file() for prefix, folder in folders)


class Builder:
    """Ingests sources into a store directory.

    With `workers` above 1, sources are read and mapped in that many worker processes while
    this process loads their quads, in the order of the sources: the store gets the same
    content whatever the number of workers. A build of one big source (the export workbook)
    reads and maps it here, in order, while the workers analyse its texts (`Mapper.analyse`),
    which is most of the mapping's time, and a thread loads its first quads (`load_behind`).
    """

    def __init__(
        self,
        store: StoreDirectory,
        iris: Iris,
        max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
        workers: int = 1,
    ) -> None:
        self.store = store
        self.iris = iris
        self.max_source_bytes = max_source_bytes
        self.workers = max(1, workers)
        self.mapper = Mapper(iris, Linkers.load(iris))

    def build(
        self, sources: Collection[Source], on_source: Callable[[Source], None] | None = None,
        force: bool = False, prune: Iterable[tuple[str, Path]] = (), on_phase: Callable[[str], None] | None = None,
    ) -> BuildReport:
        """Ingest `sources`; the store changes only if the whole build succeeds.

        `force` reads every source again, changed or not. `prune` names folders by their key
        prefix (`records/`): the graphs of sources under such a prefix whose file is gone from
        the folder are dropped. `on_phase` is told of each phase as it starts: reading and
        mapping, copying the live store, loading, compacting.
        """
        phase = on_phase or (lambda name: None)
        report = BuildReport(sources=len(sources))
        with ExitStack() as stack:
            spool_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="evalkg-build-"))
            # Worker processes are forked before this process opens any store.
            one_big = len(sources) == 1 and _size(next(iter(sources))) >= BATCH_BYTES
            pool = self._start_pool(stack) if self.workers > 1 and (len(sources) > 1 or one_big) else None
            known = recorded_sources(self.store, self.iris)
            recorded = {} if force else known
            writer = _Writer(self.store, stack, spool_dir, phase)
            phase("reading and mapping")
            self._refresh_reference(writer, recorded)
            if pool is None:
                batches = self._mapped_here(sources, recorded, writer)
            elif one_big:
                analysed = partial(_analysed_in_workers, pool, self.workers)
                behind = partial(writer.load_behind, self.iris.source_graph(next(iter(sources)).key))
                batches = self._mapped_here(sources, recorded, writer, analysed, behind)
            else:
                batches = self._mapped_in_workers(pool, sources, recorded, spool_dir)
            for batch, quads_file in batches:
                for source, result in batch:
                    self._load(source, result, writer, report, recorded)
                    if quads_file is None:
                        writer.added(result.quads)
                    if on_source:
                        on_source(source)
                if quads_file is not None:
                    writer.add_file(quads_file, sum(result.quads for _, result in batch), index_inputs_of(quads_file))
                    quads_file.unlink()
                    index_inputs_of(quads_file).unlink()
            if pool is not None:
                pool.shutdown()  # idle from here: not kept through the last load and the compaction
            for graph, entry in known.items():
                if _gone(entry.key, prune):
                    writer.drop_graph(NamedNode(graph), self.iris.metadata_graph)
                    report.pruned.append(entry.key)
            live = self.store.current_generation()
            if not writer.opened and live is not None and not index_is_current(live):
                writer.open()  # nothing changed, but the live generation lacks a text index of this version
            if writer.opened:
                phase("loading")
            writer.flush()
            report.quads_written = writer.written
            report.store_changed = writer.opened
        return report

    def drop(self, keys: Iterable[str]) -> list[str]:
        """Remove the graphs of the sources with these keys; return the keys that were present."""
        recorded = recorded_sources(self.store, self.iris)
        present = [k for k in keys if self.iris.source_graph(k).value in recorded]
        if present:
            with ExitStack() as stack:
                writer = _Writer(self.store, stack, stack.enter_context(tempfile.TemporaryDirectory()))
                for key in present:
                    writer.drop_graph(self.iris.source_graph(key), self.iris.metadata_graph)
        return present

    def _mapped_here(
        self, sources: Collection[Source], recorded: dict[str, _Recorded], writer: _Writer,
        analysed: Callable[[Read], Analysed] = _unanalysed, written: Callable[[], None] = lambda: None,
    ) -> Iterator[tuple[list[tuple[Source, _MappedSource]], None]]:
        """Each source mapped in this process, its quads written straight to the writer's spool."""
        copies = DefaultCopies()
        for source in sources:
            previous = recorded.get(self.iris.source_graph(source.key).value)
            mapped = map_source(self.mapper, source, previous, self.max_source_bytes, writer.spool,
                                writer.index_inputs, copies, analysed, written)
            yield [(source, mapped)], None

    def _mapped_in_workers(
        self, pool: ProcessPoolExecutor, sources: Collection[Source], recorded: dict[str, _Recorded], spool_dir: str
    ) -> Iterator[tuple[list[tuple[Source, _MappedSource]], Path]]:
        """Batches of sources mapped by the workers, in order, each with the file of its quads.

        At most `PENDING_PER_WORKER` batches per worker are queued, so disk use stays bounded
        and the workers keep busy while this process bulk-loads.
        """
        pending: deque[tuple[list[Source], Path, Future[list[_MappedSource]]]] = deque()

        def finished() -> tuple[list[tuple[Source, _MappedSource]], Path]:
            done, path, future = pending.popleft()
            return list(zip(done, future.result())), path

        for number, batch in enumerate(_batches(sources, recorded, self.iris)):
            path = Path(spool_dir) / f"batch-{number:08d}.nq"
            future = pool.submit(_map_batch, batch, self.max_source_bytes, str(path))
            pending.append(([source for source, _ in batch], path, future))
            if len(pending) >= self.workers * PENDING_PER_WORKER:
                yield finished()
        while pending:
            yield finished()

    def _start_pool(self, stack: ExitStack) -> ProcessPoolExecutor:
        """Worker processes, forked (sharing this process's loaded gazetteers) where possible."""
        forking = "fork" in multiprocessing.get_all_start_methods()
        if forking:
            self.mapper.load_models()
            # Forked workers share this process's memory until either side writes to a page. A
            # collection in a worker writes to every object it visits: frozen, they are not visited.
            gc.collect()
            gc.freeze()
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork" if forking else "spawn"),
            initializer=_start_worker,
            initargs=(self.mapper if forking else None, self.iris, os.getpid()),
        )
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        for _ in range(self.workers):
            pool.submit(int)  # the first submission forks every worker
        if forking:
            gc.unfreeze()  # forked by now; this process collects its own objects again
        return pool

    def _refresh_reference(self, writer: _Writer, recorded: dict[str, _Recorded]) -> None:
        graph = self.iris.reference_graph
        fingerprint = reference_fingerprint(self.iris)
        previous = recorded.get(graph.value)
        if previous is None or previous.sha256 != fingerprint:
            writer.drop_graph(graph, self.iris.metadata_graph)
            writer.add(reference_quads(self.mapper))
            writer.add(_metadata(self.iris, graph, REFERENCE_KEY, fingerprint, 0))

    def _load(
        self, source: Source, result: _MappedSource, writer: _Writer, report: BuildReport,
        recorded: dict[str, _Recorded],
    ) -> None:
        report.errors.extend(result.errors)
        report.warnings.extend(result.warnings)
        report.unknown_keys.update(result.unknown_keys)
        report.records += result.records
        report.recommendations += result.recommendations
        report.lessons += result.lessons
        report.good_practices += result.good_practices
        if result.status == "unchanged":
            report.unchanged += 1
            return
        if result.status == "failed":
            report.failed += 1
            return
        graph = self.iris.source_graph(source.key)
        if graph.value in recorded or writer.has_graph(graph):
            writer.drop_graph(graph, self.iris.metadata_graph)
        report.ingested += 1
        writer.add(_metadata(self.iris, graph, source.key, result.sha256, len(result.errors), result.records,
                             result.quads))
