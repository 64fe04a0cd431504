"""The work that touches the store, run inside a query process (`python -m server.engine`).

Each job is a small picklable value whose `run` does one thing against the store and returns a
`Reply`: bytes ready to send, or an error status and message. Only bytes cross back to the web
worker, so serialization happens here too, and a process stuck in a long pyoxigraph call can be
killed without touching the web worker. Reads use the live generation read-only (reopened when
it changes); writes go through `StoreDirectory.new_generation()`, one generation per request.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Protocol

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from kg.errors import StoreError
from kg.namespaces import PREFIXES
from kg.query import check_nesting
from kg.rdfxml import unwritable_property
from kg.search.expression import SearchSyntaxError
from kg.search.functions import SearchFunctions
from kg.search.output import as_csv, as_json
from kg.search.searching import SearchError, SearchRequest
from kg.syntax import explain
from kg.store import StoreDirectory, remove_named_graph, with_default_copies
from server import formats
from server.dataset import Dataset, apply_update_dataset
from server.errors import BadRequest, HTTPError, NotAcceptable
from server.merge import reconcile_default_graph, refuse_default_graph_writes
from server.outbound import check_outbound
from server.results import row_of, write_boolean, write_solutions_within
from server.store import StoreHandle

log = logging.getLogger(__name__)

TRUNCATED_HEADER = "X-Evalkg-Truncated"
MEMORY_EXIT = 3  # the exit status of a query process that ran out of memory
_PREFIXED_FORMATS = (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML)


@dataclass(frozen=True)
class Reply:
    """What a job answers: a body and its media type, or an error message with its status."""

    status: int
    body: bytes = b""
    media_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None


class Context:
    """What a query process keeps between jobs: the store, opened once per generation."""

    def __init__(self, store_path: str) -> None:
        self.directory = StoreDirectory(store_path)
        self.reader = StoreHandle(store_path)


class Job(Protocol):
    def run(self, context: Context) -> Reply: ...


@dataclass(frozen=True)
class RunQuery:
    """Evaluate a query and write its results in the negotiated format, cut at `max_rows` and `max_bytes`.

    Its SERVICE calls are checked against `allowlist` here, under the query's time limit.
    """

    text: str
    base_iri: str
    dataset: Dataset | None  # the protocol's dataset; None: the store's (default graph = merge of all)
    media: dict[str, str | None]
    accept: str | None
    format_name: str | None
    max_rows: int
    max_bytes: int | None = None
    allowlist: tuple[str, ...] = ()
    max_nesting: int = 0

    def run(self, context: Context) -> Reply:
        refuse_deep_nesting(self.text, self.max_nesting)
        check_outbound(self.text, self.allowlist, self.base_iri, PREFIXES)
        store = context.reader.get()
        dataset = {}
        if self.dataset:
            dataset = {"default_graph": [NamedNode(g) for g in self.dataset.default],
                       "named_graphs": [NamedNode(g) for g in self.dataset.named]}
        search = SearchFunctions(context.reader.search_index)
        try:
            results = store.query(self.text, base_iri=self.base_iri, prefixes=PREFIXES,
                                  custom_functions=search.as_custom_functions(), **dataset)
            reply = self._write(results)
        except SyntaxError as error:
            return Reply(400, error=f"query syntax error: {in_words(self.text, error)}")
        except OSError as error:
            return Reply(500, error=f"the query failed: {error}")
        if search.error is not None:
            return Reply(400, error=f"a search in the query failed: {search.error}")
        return reply

    def _write(self, results: QuerySolutions | QueryBoolean | object) -> Reply:
        kind = (formats.BOOLEAN if isinstance(results, QueryBoolean)
                else formats.SOLUTIONS if isinstance(results, QuerySolutions) else formats.GRAPH)
        media_type = self.media[kind]
        if media_type is None:
            return Reply(406, error=formats.unmet(kind, self.accept, self.format_name))
        if isinstance(results, QueryBoolean):
            return Reply(200, write_boolean(bool(results), formats.RESULT_WRITERS[media_type]), media_type)
        first = itertools.islice(results, self.max_rows)  # type: ignore[call-overload]
        if isinstance(results, QuerySolutions):
            variables = [v.value for v in results.variables]
            rows = (row_of(solution, variables) for solution in first)
            body, cut = write_solutions_within(variables, rows, formats.RESULT_WRITERS[media_type], self.max_bytes)
        else:
            body, cut = write_graph_within(first, formats.RDF_WRITERS[media_type], self.max_bytes)
        truncated = cut or next(results, None) is not None  # type: ignore[call-overload]
        return Reply(200, body, media_type, {TRUNCATED_HEADER: "true"} if truncated else {})


@dataclass(frozen=True)
class RunSearch:
    """Search the text index of the live generation: the page of results as JSON (facet labels in
    `language`; the search page is rendered from it) or CSV, as `kg search` writes them."""

    request: SearchRequest
    media_type: str  # application/json or text/csv
    language: str = "en"

    def run(self, context: Context) -> Reply:
        context.reader.get()  # the live generation, whose index is searched
        try:
            result = context.reader.search_index().search(self.request)
        except SearchSyntaxError as error:
            return Reply(400, error=f"search syntax error: {error}")
        except SearchError as error:
            return Reply(503, error=str(error))
        if self.media_type == formats.CSV:
            return Reply(200, as_csv(self.request, result).encode("utf-8"), formats.CSV)
        document = as_json(self.request, result, self.language)
        return Reply(200, json.dumps(document, ensure_ascii=False).encode("utf-8"), self.media_type)


def in_words(text: str, error: SyntaxError) -> str:
    """Oxigraph's syntax error in words, with line and column (kg.syntax.explain), as `kg query` says it."""
    return explain(text, str(error), PREFIXES)


def refuse_deep_nesting(text: str, max_nesting: int) -> None:
    """400 for a text nested past `max_nesting`, before the engine's recursive parser sees it."""
    try:
        check_nesting(text, max_nesting)
    except SyntaxError as error:
        raise BadRequest(str(error)) from None


def write_graph(triples: list, rdf_format: RdfFormat, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Triples in an RDF format, with `prefixes` (evalkg's) where the format has prefixes.

    406 for RDF/XML of a property it has no element name for: Oxigraph would write XML that is not
    well-formed (kg.rdfxml).
    """
    if rdf_format == RdfFormat.RDF_XML and (unwritable := unwritable_property(triples)) is not None:
        raise NotAcceptable(f"RDF/XML cannot write the property <{unwritable}> (its IRI does not end in an XML "
                            "name); ask for Turtle, JSON-LD or N-Triples")
    if rdf_format.supports_datasets:
        triples = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    used = dict(prefixes) if rdf_format in _PREFIXED_FORMATS else None
    return serialize(triples, format=rdf_format, prefixes=used) or b""


def write_graph_within(triples: Iterable[Triple], rdf_format: RdfFormat, max_bytes: int | None,
                       prefixes: Mapping[str, str] = PREFIXES) -> tuple[bytes, bool]:
    """Triples in an RDF format in at most `max_bytes` bytes (None: any): the body, and whether triples were left out.

    Triples are taken while their N-Triples lines fit, so memory stays near the cap; a format
    that writes them longer than N-Triples is cut further until it fits.
    """
    kept: list[Triple] = []
    size, cut = 0, False
    for triple in triples:
        size += len(str(triple).encode("utf-8")) + 3  # its N-Triples line: " .\n" after the terms
        if max_bytes is not None and size > max_bytes:
            cut = True
            break
        kept.append(triple)
    body = write_graph(kept, rdf_format, prefixes)
    while max_bytes is not None and len(body) > max_bytes and kept:
        kept = kept[: min(len(kept) - 1, len(kept) * max_bytes // len(body))]
        body, cut = write_graph(kept, rdf_format, prefixes), True
    return body, cut


@dataclass(frozen=True)
class RunUpdate:
    """Apply a SPARQL Update to a new generation of the store, which goes live only if it succeeds.

    The protocol's dataset is written into it as USING clauses, and its LOAD and SERVICE calls
    are checked against `allowlist`, here under the update's time limit. The default graph is
    then made the merge of the named graphs again (server.merge).
    """

    text: str
    base_iri: str
    dataset: Dataset | None = None
    allowlist: tuple[str, ...] = ()
    max_nesting: int = 0

    def run(self, context: Context) -> Reply:
        refuse_deep_nesting(self.text, self.max_nesting)
        text = apply_update_dataset(self.text, self.dataset) if self.dataset else self.text
        check_outbound(text, self.allowlist, self.base_iri, PREFIXES)
        refuse_default_graph_writes(text)
        try:
            with context.directory.new_generation() as store:
                store.update(text, base_iri=self.base_iri, prefixes=PREFIXES)
                reconcile_default_graph(store)
        except SyntaxError as error:
            return Reply(400, error=f"update syntax error: {in_words(text, error)}")
        except OSError as error:
            return Reply(500, error=f"the update failed and changed nothing: {error}")
        return Reply(204)


@dataclass(frozen=True)
class ReadGraph:
    """One graph of the store in an RDF format, cut at `max_bytes`; `graph` None: the default graph (the merge of all)."""

    graph: str | None
    media_type: str
    max_bytes: int | None = None

    def run(self, context: Context) -> Reply:
        store = context.reader.get()
        name = NamedNode(self.graph) if self.graph else DefaultGraph()
        if self.graph and not store.contains_named_graph(name):
            return Reply(404, error=f"no graph <{self.graph}> in the store")
        triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, name))
        body, cut = write_graph_within(triples, formats.RDF_WRITERS[self.media_type], self.max_bytes)
        return Reply(200, body, self.media_type, {TRUNCATED_HEADER: "true"} if cut else {})


class _NothingToDo(Exception):
    pass


@dataclass(frozen=True)
class WriteGraph:
    """PUT (replace), POST (add to) or DELETE one named graph, in a new generation of the store.

    The default graph follows (kg.store keeps it the merge of the named graphs).
    """

    method: str
    graph: str
    data: bytes = b""
    media_type: str | None = None
    base_iri: str | None = None

    def run(self, context: Context) -> Reply:
        name = NamedNode(self.graph)
        try:
            with context.directory.new_generation() as store:
                existed = store.contains_named_graph(name)
                self._apply(store, name, existed)
        except _NothingToDo:
            return Reply(404, error=f"no graph <{self.graph}> in the store")
        except SyntaxError as error:
            return Reply(400, error=f"the {self.media_type} body does not parse: {error}")
        except OSError as error:
            return Reply(500, error=f"the write failed and changed nothing: {error}")
        return Reply(204 if existed else 201)

    def _apply(self, store: Store, name: NamedNode, existed: bool) -> None:
        if self.method == "DELETE" and not existed:
            raise _NothingToDo
        quads = []
        if self.method != "DELETE":
            parsed = parse(self.data, formats.UPLOAD_FORMATS[self.media_type or ""], base_iri=self.base_iri,
                           without_named_graphs=True, rename_blank_nodes=True)
            quads = [Quad(t.subject, t.predicate, t.object, name) for t in parsed]
        if self.method in ("PUT", "DELETE"):
            remove_named_graph(store, name)
        if self.method != "DELETE":
            store.add_graph(name)
            store.extend(with_default_copies(quads))


def serve(connection: Connection, store_path: str) -> None:
    """Answer jobs from the web worker until it closes the connection.

    A job that runs out of memory ends the process with `MEMORY_EXIT`: the web worker answers for
    it, naming the limit, and starts a fresh process.
    """
    context = Context(store_path)
    while True:
        try:
            job: Job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = job.run(context)
        except MemoryError:
            os._exit(MEMORY_EXIT)
        except HTTPError as error:  # the request is refused, with its status
            reply = Reply(error.status, error=error.message)
        except StoreError as error:
            reply = Reply(503, error=str(error))
        except Exception as error:  # a bug, not a bad request: keep the process serving
            log.exception("query process: %s failed", type(job).__name__)
            reply = Reply(500, error=f"internal error in the query process: {error}")
        try:
            connection.send(reply)
        except OSError:  # the web worker is gone (it stopped, or gave up on this job)
            return


def exit_when_orphaned(parent: int, interval: float = 0.5) -> None:
    """End this process soon after web worker `parent` has died, even in the middle of a query.

    A closed connection ends `serve` only between jobs: an orphan would otherwise run its query
    to the end, unseen. pyoxigraph lets other threads run while it evaluates, so a thread can watch.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def limit_memory(memory_mb: int) -> None:
    """Cap this process's data (heap and private mappings, not the store's mapped files) at `memory_mb`.

    Past it an allocation fails: Python raises MemoryError, Oxigraph aborts the process.
    """
    if memory_mb > 0:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def main(argv: list[str]) -> None:
    """`python -m server.engine FD STORE PARENT MEMORY_MB`: serve jobs on the inherited socket FD for
    process PARENT, within MEMORY_MB of data (0: no cap)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server; it ends us by closing FD
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [query process %(process)d] %(message)s")
    limit_memory(int(argv[3]))
    exit_when_orphaned(int(argv[2]))
    serve(Connection(int(argv[0])), argv[1])


if __name__ == "__main__":
    # Run the module's own copy, not this `__main__` one: a Reply made here would be pickled as
    # `__main__.Reply`, which the web worker cannot unpickle.
    from server.engine import main as engine_main

    engine_main(sys.argv[1:])
