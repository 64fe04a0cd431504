"""`kg dump`: the store as reproducible files, written in one streaming pass.

- `evalkg.ttl.gz`: the union of the graphs as Turtle, in canonical order (`kg.turtle`);
- `evalkg.nq.gz`: the named graphs as N-Quads, sorted by graph, then subject, predicate, object
  (the store's default graph is their merge; only what no named graph states is dumped from it);
- `ontology.ttl`, `shapes.ttl`: the bundled ontology and SHACL shapes;
- `void.ttl`: the VoID/DCAT description, its figures counted from the Turtle dump;
- `SHA256SUMS`: the checksums of the above, as `sha256sum -c` reads them.

Same data, same bytes: statements are sorted by code point with an external merge sort (memory
stays flat however large the store), blank nodes get RDFC-1.0 canonical labels, gzip headers
carry no file name and no time, and the ingest times of the metadata graph, which change with
every build and not with the data, are left out (see docs/linked-data.md).
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from pyoxigraph import BlankNode, CanonicalizationAlgorithm, Dataset, DefaultGraph, Quad, Store

from kg.iris import Iris
from kg.namespaces import PREFIXES, PROV
from kg.resources import ontology_file
from kg.turtle import TurtleWriter, split_statement_key, statement_key, term_text
from kg.void import (
    Distribution,
    Site,
    StatisticsCounter,
    describe,
    example_resources,
    void_turtle,
)

TURTLE_DUMP = "evalkg.ttl.gz"
NQUADS_DUMP = "evalkg.nq.gz"
ONTOLOGY = "ontology.ttl"
SHAPES = "shapes.ttl"
VOID_FILE = "void.ttl"
CHECKSUMS = "SHA256SUMS"
GZIP = "application/gzip"
DEFAULT_SORT_BUFFER = 100_000
_READ_CHUNK = 1 << 20

MEDIA_TYPES: dict[str, tuple[str, str | None]] = {
    TURTLE_DUMP: ("text/turtle", GZIP),
    NQUADS_DUMP: ("application/n-quads", GZIP),
    ONTOLOGY: ("text/turtle", None),
    SHAPES: ("text/turtle", None),
    VOID_FILE: ("text/turtle", None),
    CHECKSUMS: ("text/plain", None),
}
DATA_DUMPS = (TURTLE_DUMP, NQUADS_DUMP)


def media_type(name: str) -> tuple[str, str | None]:
    """The media type of a dump file's content, and its compression format if compressed."""
    if name in MEDIA_TYPES:
        return MEDIA_TYPES[name]
    stem, compressed = (name[:-3], GZIP) if name.endswith(".gz") else (name, None)
    by_suffix = {".ttl": "text/turtle", ".nq": "application/n-quads", ".nt": "application/n-triples"}
    return by_suffix.get(Path(stem).suffix, "application/octet-stream"), compressed


class ExternalSort:
    """Sorts lines with bounded memory: sorted runs spill to disk and are merged lazily.

    Iterating yields each distinct line once, in code-point order. Lines hold no newline.
    """

    MAX_RUNS = 128  # merged into one run when reached, to keep open files few

    def __init__(self, directory: Path, name: str, buffer_lines: int = DEFAULT_SORT_BUFFER) -> None:
        self._directory = directory
        self._name = name
        self._limit = buffer_lines
        self._buffer: list[str] = []
        self._runs: list[Path] = []
        self._written = 0

    def add(self, line: str) -> None:
        self._buffer.append(line)
        if len(self._buffer) >= self._limit:
            self._spill()

    def _new_run(self, lines: Iterable[str]) -> Path:
        run = self._directory / f"{self._name}-{self._written:06d}"
        self._written += 1
        with open(run, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(line + "\n" for line in lines)
        return run

    def _spill(self) -> None:
        self._buffer.sort()
        self._runs.append(self._new_run(self._buffer))
        self._buffer = []
        if len(self._runs) >= self.MAX_RUNS:
            runs, self._runs = self._runs, []
            self._runs = [self._new_run(self._merge(runs))]
            for run in runs:
                run.unlink()

    def __iter__(self) -> Iterator[str]:
        if not self._runs:
            return _distinct(iter(sorted(self._buffer)))
        if self._buffer:
            self._spill()
        return self._merge(self._runs)

    @staticmethod
    def _merge(runs: list[Path]) -> Iterator[str]:
        with ExitStack() as stack:
            files = [stack.enter_context(open(run, encoding="utf-8", newline="\n")) for run in runs]
            yield from _distinct(heapq.merge(*((line[:-1] for line in f) for f in files)))


def _distinct(lines: Iterator[str]) -> Iterator[str]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def is_volatile(quad: Quad, iris: Iris) -> bool:
    """Whether a quad records when a store ingested a source: true of one build, not of the data."""
    return quad.predicate == PROV.generatedAtTime and quad.graph_name == iris.metadata_graph


_DEFAULT_GRAPH_ONLY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"


def dumped_statements(store: Store, iris: Iris) -> Iterator[tuple[str, str, str, str]]:
    """The dump's quads as (graph, subject, predicate, object) in N-Quads form, graph "" for
    the default graph: the named graphs' quads, and the default graph's that no named graph
    states (the store keeps the merge of the named graphs there, see `kg.store`).

    Volatile quads are left out; quads with blank nodes are held in memory and relabelled
    canonically (RDFC-1.0): evalkg data has only the ontology's few.
    """
    with_blank_nodes: list[Quad] = []
    for graph in store.named_graphs():
        name, metadata = term_text(graph), graph == iris.metadata_graph
        for quad in store.quads_for_pattern(None, None, None, graph):
            if _has_blank_node(quad):
                with_blank_nodes.append(quad)
            elif not (metadata and quad.predicate == PROV.generatedAtTime):
                yield name, term_text(quad.subject), term_text(quad.predicate), term_text(quad.object)
    for row in store.query(_DEFAULT_GRAPH_ONLY):
        quad = Quad(row[0], row[1], row[2], DefaultGraph())
        if _has_blank_node(quad):
            with_blank_nodes.append(quad)
        else:
            yield "", term_text(quad.subject), term_text(quad.predicate), term_text(quad.object)
    if with_blank_nodes:
        dataset = Dataset(q for q in with_blank_nodes if not is_volatile(q, iris))
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        for quad in dataset:
            graph_name = "" if isinstance(quad.graph_name, DefaultGraph) else term_text(quad.graph_name)
            yield graph_name, term_text(quad.subject), term_text(quad.predicate), term_text(quad.object)


def _has_blank_node(quad: Quad) -> bool:
    return any(isinstance(term, BlankNode) for term in (quad.subject, quad.object, quad.graph_name))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_atomically(path: Path, write: Callable[[IO[bytes]], None], compress: bool = False) -> None:
    """Write through a temporary file renamed into place; gzip with no name and no time in its header."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            if compress:
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as zipped:
                    write(zipped)  # type: ignore[arg-type]
            else:
                write(raw)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write_turtle(statements: ExternalSort, out: IO[bytes], counter: StatisticsCounter) -> None:
    writer = TurtleWriter(out, PREFIXES)
    for key in statements:
        subject, predicate, obj = split_statement_key(key)
        counter.add(subject, predicate, obj)
        writer.write(subject, predicate, obj)
    writer.close()


def _write_nquads(quads: ExternalSort, out: IO[bytes]) -> None:
    buffer: list[str] = []
    for key in quads:
        graph, subject, predicate, obj = key.split(" ", 3)
        buffer.append(f"{subject} {predicate} {obj} {graph} .\n" if graph else f"{subject} {predicate} {obj} .\n")
        if len(buffer) >= 4096:
            out.write("".join(buffer).encode("utf-8"))
            buffer = []
    out.write("".join(buffer).encode("utf-8"))


def write_dumps(
    store: Store, out: str | os.PathLike[str], iris: Iris, sort_buffer: int = DEFAULT_SORT_BUFFER
) -> list[Distribution]:
    """Write every dump file into `out`; return them in the order of SHA256SUMS."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    site = Site.published(iris.base)
    counter = StatisticsCounter()
    with tempfile.TemporaryDirectory(prefix="evalkg-dump-") as work:
        statements = ExternalSort(Path(work), "statements", sort_buffer)
        quads = ExternalSort(Path(work), "quads", sort_buffer)
        for graph, subject, predicate, obj in dumped_statements(store, iris):
            statements.add(statement_key(subject, predicate, obj))
            quads.add(f"{graph} {subject} {predicate} {obj}")
        _write_atomically(folder / TURTLE_DUMP, lambda f: _write_turtle(statements, f, counter), compress=True)
        _write_atomically(folder / NQUADS_DUMP, lambda f: _write_nquads(quads, f), compress=True)
    for name, source in ((ONTOLOGY, "evalkg.ttl"), (SHAPES, "shapes.ttl")):
        _write_atomically(folder / name, lambda f, s=source: f.write(ontology_file(s).read_bytes()))
    data = [distribution(folder, name, site.dumps + name) for name in DATA_DUMPS]
    void = void_turtle(describe(iris, counter.result(), site, data, example_resources(store)), iris.dataset)
    _write_atomically(folder / VOID_FILE, lambda f: f.write(void))
    names = sorted((TURTLE_DUMP, NQUADS_DUMP, ONTOLOGY, SHAPES, VOID_FILE))
    sums = {name: _sha256(folder / name) for name in names}
    _write_atomically(folder / CHECKSUMS, lambda f: f.write(
        "".join(f"{sums[name]}  {name}\n" for name in names).encode("ascii")))
    return [distribution(folder, name, site.dumps + name, sums.get(name)) for name in [*names, CHECKSUMS]]


def distribution(folder: Path, name: str, url: str, sha256: str | None = None) -> Distribution:
    """A dump file as a DCAT distribution: size from the file, checksum given or computed."""
    path = folder / name
    kind, compression = media_type(name)
    return Distribution(name, url, kind, compression, path.stat().st_size, sha256 or _sha256(path))


def read_checksums(folder: Path) -> dict[str, str]:
    """File name → SHA-256 as listed in the folder's SHA256SUMS (empty when there is none)."""
    try:
        text = (folder / CHECKSUMS).read_text("ascii")
    except (OSError, UnicodeDecodeError):
        return {}
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name and "/" not in name:
            sums[name] = digest
    return sums


def published_files(folder: Path, url_of: Callable[[str], str]) -> list[Distribution]:
    """The dump files in a folder, as listed by its SHA256SUMS (and SHA256SUMS itself)."""
    sums = read_checksums(folder)
    names = [name for name in sorted(sums) if (folder / name).is_file()]
    if (folder / CHECKSUMS).is_file():
        names.append(CHECKSUMS)
    return [distribution(folder, name, url_of(name), sums.get(name)) for name in names]
