"""`kg build`: sources → records → quads → a new store generation, one named graph per source.

Unchanged sources (same SHA-256 as recorded in the metadata graph) are skipped; a changed
source's graph is replaced; everything is written to a staging copy of the store that becomes
live only when the whole build succeeds (see `kg.store`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.errors import MappingError, ReadError
from kg.iris import Iris
from kg.mapping import Linkers, Mapper
from kg.namespaces import DCTERMS, EK, PROV, RDF, XSD
from kg.readers import read_records
from kg.reference import reference_fingerprint, reference_quads
from kg.sources import Source
from kg.store import StoreDirectory, remove_named_graph, remove_quads, with_default_copies

DEFAULT_MAX_SOURCE_BYTES = 20_000_000
BULK_BATCH = 100_000
REFERENCE_KEY = "evalkg:reference"


@dataclass
class BuildReport:
    """What a build did: counts for the summary, and every problem with its source."""

    sources: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    records: int = 0
    recommendations: int = 0
    quads_written: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_keys: Counter[str] = field(default_factory=Counter)
    store_changed: bool = False


@dataclass(frozen=True)
class _Recorded:
    sha256: str
    had_errors: bool


def recorded_sources(store: StoreDirectory, iris: Iris) -> dict[str, _Recorded]:
    """Graph IRI → content hash, and whether it had errors, as recorded by earlier builds."""
    if not store.exists:
        return {}
    hashes: dict[str, str] = {}
    with_errors: set[str] = set()
    for quad in store.open_read_only().quads_for_pattern(None, None, None, iris.metadata_graph):
        if quad.predicate == EK.sha256:
            hashes[quad.subject.value] = quad.object.value
        elif quad.predicate == EK.errorCount and quad.object.value != "0":
            with_errors.add(quad.subject.value)
    return {g: _Recorded(sha, g in with_errors) for g, sha in hashes.items()}


class _Writer:
    """Writes into a new store generation, opened only once something has changed."""

    def __init__(self, store: StoreDirectory, stack: ExitStack) -> None:
        self._directory = store
        self._stack = stack
        self._store: Store | None = None
        self._buffer: list[Quad] = []
        self.written = 0

    @property
    def opened(self) -> bool:
        return self._store is not None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self._stack.enter_context(self._directory.new_generation())
        return self._store

    def add(self, quads: Iterable[Quad]) -> None:
        self._buffer.extend(quads)
        if len(self._buffer) >= BULK_BATCH:
            self.flush()

    def drop_graph(self, graph: NamedNode, metadata_graph: NamedNode | None) -> None:
        store = self.store
        remove_named_graph(store, graph)
        if metadata_graph is not None:
            remove_quads(store, list(store.quads_for_pattern(graph, None, None, metadata_graph)))

    def flush(self) -> None:
        if self._buffer:
            self.store.bulk_extend(with_default_copies(self._buffer))
            self.written += len(self._buffer)
            self._buffer = []


def _metadata(iris: Iris, graph: NamedNode, key: str, sha256: str, errors: int) -> list[Quad]:
    meta = iris.metadata_graph
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    origin = NamedNode(key) if key.startswith(("http://", "https://")) else None
    quads = [
        Quad(graph, RDF.type, EK.SourceDocument, meta),
        Quad(graph, DCTERMS.source, Literal(key), meta),
        Quad(graph, EK.sha256, Literal(sha256), meta),
        Quad(graph, EK.errorCount, Literal(str(errors), datatype=XSD.integer), meta),
        Quad(graph, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime), meta),
    ]
    if origin is not None:
        quads.append(Quad(graph, PROV.wasDerivedFrom, origin, meta))
    return quads


class Builder:
    """Ingests sources into a store directory."""

    def __init__(
        self, store: StoreDirectory, iris: Iris, max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES
    ) -> None:
        self.store = store
        self.iris = iris
        self.max_source_bytes = max_source_bytes
        self.mapper = Mapper(iris, Linkers.load(iris))

    def build(
        self, sources: Sequence[Source], on_source: Callable[[Source], None] | None = None
    ) -> BuildReport:
        """Ingest `sources`; the store changes only if the whole build succeeds."""
        report = BuildReport(sources=len(sources))
        recorded = recorded_sources(self.store, self.iris)
        with ExitStack() as stack:
            writer = _Writer(self.store, stack)
            self._refresh_reference(writer, recorded)
            for source in sources:
                self._ingest(source, writer, recorded, report)
                if on_source:
                    on_source(source)
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
                writer = _Writer(self.store, stack)
                for key in present:
                    writer.drop_graph(self.iris.source_graph(key), self.iris.metadata_graph)
        return present

    def _refresh_reference(self, writer: _Writer, recorded: dict[str, _Recorded]) -> None:
        graph = self.iris.reference_graph
        fingerprint = reference_fingerprint(self.iris)
        previous = recorded.get(graph.value)
        if previous is None or previous.sha256 != fingerprint:
            writer.drop_graph(graph, self.iris.metadata_graph)
            writer.add(reference_quads(self.iris))
            writer.add(_metadata(self.iris, graph, REFERENCE_KEY, fingerprint, 0))

    def _ingest(
        self, source: Source, writer: _Writer, recorded: dict[str, _Recorded], report: BuildReport
    ) -> None:
        try:
            size = source.size
            if size > self.max_source_bytes:
                raise ReadError(
                    source.key,
                    f"{size / 1e6:.1f} MB is over the {self.max_source_bytes / 1e6:g} MB limit per source"
                    " (raise it with --max-source-mb)",
                )
            content = source.read()
        except OSError as error:
            report.failed += 1
            report.errors.append(f"{source.key}: cannot read ({error.strerror or error})")
            return
        except ReadError as error:
            report.failed += 1
            report.errors.append(str(error))
            return
        graph = self.iris.source_graph(source.key)
        sha256 = hashlib.sha256(content).hexdigest()
        previous = recorded.get(graph.value)
        if previous is not None and previous.sha256 == sha256 and not previous.had_errors:
            report.unchanged += 1
            return
        errors_before = len(report.errors)
        replacing = False
        described: set[NamedNode] = set()
        for item in read_records(source.key, content, source.form):
            if isinstance(item, ReadError):
                report.errors.append(str(item))
                continue
            report.unknown_keys.update(item.unknown_keys)
            try:
                mapped = self.mapper.map(item, graph, described)
            except MappingError as error:
                report.errors.append(str(error))
                continue
            report.records += 1
            report.recommendations += mapped.recommendations
            report.errors.extend(f"{item.source}: {message}" for message in mapped.errors)
            report.warnings.extend(f"{item.source}: {message}" for message in mapped.warnings)
            if not replacing:
                writer.drop_graph(graph, self.iris.metadata_graph)
                replacing = True
            writer.add(mapped.quads)
        if not replacing:
            report.failed += 1
            return
        report.ingested += 1
        errors = len(report.errors) - errors_before
        writer.add(_metadata(self.iris, graph, source.key, sha256, errors))
