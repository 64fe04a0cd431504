"""`kg dump`: the store as reproducible files.

- `evalkg.ttl.gz`: the store's default graph, the merge of its named graphs (see `kg.store`), as
  Turtle;
- `evalkg.nq.gz`: the named graphs as N-Quads;
- `ontology.ttl`, `shapes.ttl`: the bundled ontology and SHACL shapes;
- `void.ttl`: the VoID/DCAT description, its figures counted while the Turtle is written;
- `SHA256SUMS`: the checksums of the above, as `sha256sum -c` reads them;
- `GENERATION`: the store generation they were written from, not a dump itself: a server
  publishes the dumps of a folder only while it serves that generation.

Same data, same bytes. Statements come in the store's index order (graph, subject, predicate,
object, as Oxigraph orders its encoded terms), which depends on the statements alone, not on
which build or update wrote them: a store built again dumps identically, and two releases'
dumps differ line by line only where their data does. Blank nodes, whose stored identifiers
change from one load to the next, are the exception: the statements that hold one (in Turtle,
every statement of a subject that has one) follow the others, relabelled canonically
(RDFC-1.0) and sorted; evalkg data has only the ontology's few. The ingest times of the
metadata graph, which change with every build and not with the data, are left out (see
docs/linked-data.md); gzip headers carry no file name and no time.

Oxigraph writes the text. The two data files are written at the same time, the Turtle by a
child process (`python -m kg.dump`), and each is compressed on a thread of its own (zlib
releases the GIL). Memory stays flat: one named graph at a time is held, besides the
statements with blank nodes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import asdict
from itertools import groupby
from pathlib import Path
from typing import IO

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Quad,
    RdfFormat,
    Store,
    Triple,
    serialize,
)

from kg.errors import DumpError
from kg.iris import Iris
from kg.namespaces import PREFIXES, PROV
from kg.resources import ontology_file
from kg.store import generation_id
from kg.turtle import statement_key
from kg.void import (
    Distribution,
    Site,
    Statistics,
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
GENERATION = "GENERATION"  # the store generation the dumps were written from; not a dump itself
GZIP = "application/gzip"
STAGED_SUFFIX = ".new"  # a dump file until the whole dump is written
_READ_CHUNK = 1 << 20
_SERIALIZE_BATCH = 10_000
_COMPRESS_CHUNK = 1 << 20
_GENERATED_AT = PROV.generatedAtTime

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


def is_volatile(quad: Quad, iris: Iris) -> bool:
    """Whether a quad records when a store ingested a source: true of one build, not of the data."""
    return quad.predicate == _GENERATED_AT and quad.graph_name == iris.metadata_graph


def _has_blank_node(quad: Quad) -> bool:
    return any(isinstance(term, BlankNode) for term in (quad.subject, quad.object, quad.graph_name))


def _canonical(quads: Iterable[Quad]) -> list[Quad]:
    """Quads with their blank nodes relabelled by RDFC-1.0, sorted by graph, then statement."""
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)

    def key(quad: Quad) -> tuple[str, str]:
        graph = "" if isinstance(quad.graph_name, DefaultGraph) else str(quad.graph_name)
        return graph, statement_key(str(quad.subject), str(quad.predicate), str(quad.object))

    return sorted(dataset, key=key)


def write_nquads(store: Store, iris: Iris, out: IO[bytes]) -> None:
    """The named graphs as N-Quads, in store order (see the module's docstring).

    Oxigraph writes each graph as N-Triples and the graph's name goes into every line: a line
    ends with " .\\n" and no statement holds that text, N-Triples escaping line breaks. Graphs
    with blank nodes, and the metadata graph (for its ingest times), go quad by quad.
    """
    with_blank_nodes: list[Quad] = []
    for graph in store.named_graphs():
        if not isinstance(graph, BlankNode) and graph != iris.metadata_graph:
            text = store.dump(None, RdfFormat.N_TRIPLES, from_graph=graph) or b""
            if b"_:" not in text:
                out.write(text.replace(b" .\n", f" {graph} .\n".encode()))
                continue
        kept: list[Quad] = []
        for quad in store.quads_for_pattern(None, None, None, graph):
            if _has_blank_node(quad):
                with_blank_nodes.append(quad)
            elif not is_volatile(quad, iris):
                kept.append(quad)
                if len(kept) == _SERIALIZE_BATCH:
                    serialize(kept, out, RdfFormat.N_QUADS)
                    kept = []
        serialize(kept, out, RdfFormat.N_QUADS)
    serialize(_canonical(with_blank_nodes), out, RdfFormat.N_QUADS)


def turtle_statements(store: Store, iris: Iris, counter: StatisticsCounter) -> Iterator[Triple]:
    """The default graph's statements, less the ingest times, each counted into `counter`: in
    store order, then the subjects with a blank node, canonically relabelled and sorted."""
    statements = (quad.triple for quad in store.quads_for_pattern(None, None, None, DefaultGraph())
                  if quad.predicate != _GENERATED_AT or Quad(*quad.triple, iris.metadata_graph) not in store)
    with_blank_nodes: list[Triple] = []
    for _, group in groupby(statements, key=lambda triple: triple.subject):
        triples = list(group)
        if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
            with_blank_nodes += triples
            continue
        for triple in triples:
            counter.add(triple)
            yield triple
    for quad in _canonical(Quad(*triple) for triple in with_blank_nodes):
        counter.add(quad.triple)
        yield quad.triple


def write_turtle(database: str, path: str, base_iri: str) -> Statistics:
    """Write the Turtle dump of a store database (a generation's directory) to `path`; return
    the figures of what it holds. `write_dumps` runs it in a process of its own."""
    store = Store.read_only(database)
    counter = StatisticsCounter()
    statements = turtle_statements(store, Iris(base_iri), counter)
    _write(Path(path), lambda f: serialize(statements, f, RdfFormat.TURTLE, prefixes=PREFIXES), compress=True)
    return counter.result()


class _CompressingWriter:
    """A binary file object that gzips what it is given into `raw` on a thread of its own, with
    no file name and no time in the gzip header. zlib releases the GIL, so compression runs
    beside the writer's own work."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._zipped = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0)
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._pending = bytearray()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._compress, name="gzip", daemon=True)
        self._thread.start()

    def _compress(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            if self._error is None:
                try:
                    self._zipped.write(chunk)
                except BaseException as error:  # re-raised in the writer's thread
                    self._error = error

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        self._pending += data
        if len(self._pending) >= _COMPRESS_CHUNK:  # few large hand-overs: each costs a GIL switch
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self._chunks.put(bytes(self._pending))
            self._pending.clear()

    def close(self) -> None:
        """Compress what is queued and end the gzip stream; `raw` stays open."""
        self.flush()
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self._zipped.close()


def _write(path: Path, write: Callable[[IO[bytes]], object], compress: bool = False) -> None:
    """Write a file, gzipped if asked."""
    with open(path, "wb") as raw:
        if compress:
            zipped = _CompressingWriter(raw)
            try:
                write(zipped)  # type: ignore[arg-type]
            finally:
                zipped.close()
        else:
            write(raw)


class _StagedFiles:
    """Files of a folder written under temporary names, and renamed into place together once
    every one is written: a dump that fails leaves the folder's previous dump as it was."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: list[str] = []

    def path(self, name: str) -> Path:
        """Where the file `name` is written until `commit`; it is removed by `discard`."""
        if name not in self._names:
            self._names.append(name)
        return self.folder / f"{name}{STAGED_SUFFIX}"

    def write(self, name: str, write: Callable[[IO[bytes]], object], compress: bool = False) -> None:
        _write(self.path(name), write, compress)

    def commit(self) -> None:
        for name in self._names:
            os.replace(self.path(name), self.folder / name)

    def discard(self) -> None:
        for name in self._names:
            with suppress(OSError):  # not to hide the error that made the dump fail
                self.path(name).unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_dumps(database: str | os.PathLike[str], out: str | os.PathLike[str], iris: Iris) -> list[Distribution]:
    """Write every dump file of a store database (a generation's directory, see
    `kg.store.StoreDirectory.live_generation`) into `out`; return them in the order of SHA256SUMS.

    The files replace the previous dump together, once all are written (see `_StagedFiles`)."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    staged = _StagedFiles(folder)
    site = Site.published(iris.base)
    try:
        sums = _write_staged(str(database), staged, iris, site)
        if (generation := generation_id(database)) is not None:
            staged.write(GENERATION, lambda f: f.write(f"{generation}\n".encode("ascii")))
    except BaseException:
        staged.discard()
        raise
    staged.commit()
    return [distribution(folder, name, site.dumps + name, sums.get(name)) for name in [*sums, CHECKSUMS]]


def _write_staged(database: str, staged: _StagedFiles, iris: Iris, site: Site) -> dict[str, str]:
    """Write the dump files as staged; return name → SHA-256 as listed in SHA256SUMS."""
    store = Store.read_only(database)
    turtle_path = staged.path(TURTLE_DUMP)
    turtle = subprocess.Popen([sys.executable, "-m", "kg.dump", database, str(turtle_path), iris.base],
                              stdout=subprocess.PIPE)
    try:
        staged.write(NQUADS_DUMP, lambda f: write_nquads(store, iris, f), compress=True)
        figures = turtle.communicate()[0]
    finally:
        if turtle.poll() is None:  # this process failed first
            turtle.kill()
            turtle.wait()
    if turtle.returncode != 0:
        raise DumpError(f"{staged.folder / TURTLE_DUMP}: not written, its process failed"
                        f" (exit {turtle.returncode}, see above)")
    statistics = Statistics(**json.loads(figures))
    for name, source in ((ONTOLOGY, "evalkg.ttl"), (SHAPES, "shapes.ttl")):
        staged.write(name, lambda f, s=source: f.write(ontology_file(s).read_bytes()))
    data = [distribution(staged.folder, name, site.dumps + name, path=staged.path(name)) for name in DATA_DUMPS]
    void = void_turtle(describe(iris, statistics, site, data, example_resources(store)), iris.dataset)
    staged.write(VOID_FILE, lambda f: f.write(void))
    names = sorted((TURTLE_DUMP, NQUADS_DUMP, ONTOLOGY, SHAPES, VOID_FILE))
    known = {file.name: file.sha256 for file in data}
    sums = {name: known.get(name) or _sha256(staged.path(name)) for name in names}
    staged.write(CHECKSUMS, lambda f: f.write("".join(f"{sums[name]}  {name}\n" for name in names).encode("ascii")))
    return sums


def distribution(folder: Path, name: str, url: str, sha256: str | None = None, path: Path | None = None) -> Distribution:
    """A dump file as a DCAT distribution: size from the file (`folder/name` unless another
    `path` holds it), checksum given or computed."""
    path = path or folder / name
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


def written_from(folder: Path) -> str | None:
    """The store generation the dumps of a folder were written from (`kg.store.generation_id`)."""
    try:
        return (folder / GENERATION).read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def written_for(folder: Path, generation: str | None) -> bool:
    """Whether a folder holds the dumps of the store `generation` (`kg.store.generation_id`)."""
    return generation is not None and written_from(folder) == generation


def published_files(folder: Path, url_of: Callable[[str], str], generation: str | None) -> list[Distribution]:
    """The dump files in a folder, as listed by its SHA256SUMS (and SHA256SUMS itself), if they
    were written from the store `generation`; none otherwise: they would describe other data."""
    if not written_for(folder, generation):
        return []
    sums = read_checksums(folder)
    names = [name for name in sorted(sums) if (folder / name).is_file()]
    if (folder / CHECKSUMS).is_file():
        names.append(CHECKSUMS)
    return [distribution(folder, name, url_of(name), sums.get(name)) for name in names]


if __name__ == "__main__":  # write_dumps's Turtle process: python -m kg.dump DATABASE PATH BASE_IRI
    print(json.dumps(asdict(write_turtle(*sys.argv[1:4]))))
