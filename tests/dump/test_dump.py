"""`kg dump`: reproducible bytes, complete content, checksums, VoID figures, flat memory, fresh dumps/."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tracemalloc
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, Literal, Quad, RdfFormat, Store, parse, serialize
from rdflib.compare import isomorphic

from kg.cli import main
from kg.dump import (
    CHECKSUMS,
    GENERATION,
    NQUADS_DUMP,
    STAGED_SUFFIX,
    TURTLE_DUMP,
    VOID_FILE,
    is_volatile,
    write_dumps,
    write_nquads,
    write_turtle,
)
from kg.errors import DumpError
from kg.iris import Iris
from kg.namespaces import EK, PROV, RDF, RDFS, XSD
from kg.sources import sample_sources
from kg.store import StoreDirectory
from tests.conftest import corpus_sources

REPOSITORY_DUMPS = Path(__file__).resolve().parents[2] / "dumps"
REGENERATE = "kg build --store /tmp/evalkg-sample && kg dump --store /tmp/evalkg-sample --out dumps"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _files(folder: Path) -> dict[str, bytes]:
    """The dump files of a folder (not GENERATION, which names the store they came from)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name != GENERATION}


def _rdflib_graph(store: Store, graph=None) -> rdflib.Graph:
    """A store graph (default: the default graph, the merge of all) as rdflib, ingest times left out."""
    triples = [q for q in store.quads_for_pattern(None, None, None, graph or DefaultGraph())
               if q.predicate != PROV.generatedAtTime]
    data = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in triples)
    return rdflib.Graph().parse(data=data, format="nt")


def test_dumping_twice_gives_the_same_bytes(sample_store, tmp_path):
    write_dumps(sample_store.live_generation(), tmp_path / "one", Iris())
    write_dumps(sample_store.live_generation(), tmp_path / "two", Iris())
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_the_order_and_blank_nodes_of_loading_do_not_change_the_bytes(sample_store, tmp_path):
    """Same quads loaded in the opposite order, blank nodes getting other stored identifiers."""
    quads = list(sample_store.open_read_only())
    for name, order in (("forward", quads), ("backward", quads[::-1])):
        store = Store(str(tmp_path / name))
        store.bulk_load(serialize(order, format=RdfFormat.N_QUADS), RdfFormat.N_QUADS)
        store.flush()
        del store
        write_dumps(tmp_path / name, tmp_path / f"dumps-{name}", Iris())
    forward, backward = _files(tmp_path / "dumps-forward"), _files(tmp_path / "dumps-backward")
    assert forward == backward
    lines = gzip.decompress(forward[NQUADS_DUMP]).decode().splitlines()
    blank = [line for line in lines if "_:" in line]
    assert len(blank) == 40 and blank == lines[-40:], "the ontology's 40 statements with blank nodes, last"
    assert blank[0].startswith("<https://w3id.org/evalkg/ontology#adminUnit> ")


def test_a_store_built_again_later_dumps_the_same_bytes(sample_store, sample_dumps, tmp_path, builder_factory):
    again = StoreDirectory(tmp_path / "again")
    builder_factory(again.path).build(corpus_sources())
    with again.new_generation() as store:  # as if built a day later: every ingest time differs
        metadata = Iris().metadata_graph
        for quad in list(store.quads_for_pattern(None, PROV.generatedAtTime, None, None)):
            store.remove(quad)
            store.add(Quad(quad.subject, quad.predicate,
                           Literal("2031-01-02T03:04:05Z", datatype=XSD.dateTime), quad.graph_name))
    before = {q.object.value for q in sample_store.open_read_only().quads_for_pattern(
        None, PROV.generatedAtTime, None, metadata)}
    assert "2031-01-02T03:04:05Z" not in before
    write_dumps(again.live_generation(), tmp_path / "out", Iris())
    assert _files(tmp_path / "out") == _files(sample_dumps)


def test_a_dump_that_fails_is_reported_and_leaves_the_previous_dump(sample_store, sample_dumps, tmp_path, capfd):
    out = tmp_path / "out"
    shutil.copytree(sample_dumps, out)
    for path in out.iterdir():  # a previous dump, unlike the one about to be written
        path.write_bytes(b"previous " + path.name.encode())
    before = _files(out)
    (out / f"{TURTLE_DUMP}{STAGED_SUFFIX}").mkdir()  # the Turtle process cannot open its file
    with pytest.raises(DumpError, match=f"{TURTLE_DUMP}: not written, its process failed"):
        write_dumps(sample_store.live_generation(), out, Iris())
    assert "IsADirectoryError" in capfd.readouterr().err
    (out / f"{TURTLE_DUMP}{STAGED_SUFFIX}").rmdir()
    assert _files(out) == before  # the N-Quads dump, written meanwhile, replaced nothing


def test_the_gzip_headers_carry_no_name_and_no_time(sample_dumps):
    for name in (TURTLE_DUMP, NQUADS_DUMP):
        header = (sample_dumps / name).read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08"
        assert header[3] == 0, "no FNAME or other optional fields"
        assert header[4:8] == b"\0\0\0\0", "mtime 0"


def test_the_turtle_dump_is_the_whole_graph(sample_store, sample_dumps):
    store = sample_store.open_read_only()
    text = gzip.decompress((sample_dumps / TURTLE_DUMP).read_bytes())
    assert text.startswith(b"@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
    assert b"@prefix ek: <https://w3id.org/evalkg/ontology#> ." in text
    expected = _rdflib_graph(store)
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), expected)
    oxigraph = list(parse(text, format=RdfFormat.TURTLE))
    assert len(oxigraph) == len(expected)
    oxigraph_as_rdflib = rdflib.Graph().parse(data="".join(f"{t} .\n" for t in oxigraph), format="nt")
    assert isomorphic(oxigraph_as_rdflib, expected)


def test_the_turtle_dump_groups_each_subject_once(sample_dumps):
    lines = gzip.decompress((sample_dumps / TURTLE_DUMP).read_bytes()).decode().splitlines()
    subjects = [line.split(" ", 1)[0] for line in lines if not line.startswith(("\t", "@prefix "))]
    assert len(subjects) == len(set(subjects))
    start = lines.index(next(line for line in lines if line.startswith("<https://w3id.org/evalkg/id/evaluation/3471> ")))
    block = lines[start:start + next(i for i, line in enumerate(lines[start:]) if line.endswith(" ."))]
    assert "\ta ek:Evaluation ;" in block or " a ek:Evaluation ;" in block[0]
    assert lines[-12:] == [line for line in lines[-12:] if "_:c14n" in line or line.startswith("\t")]


def test_the_nquads_dump_keeps_every_named_graph(sample_store, sample_dumps):
    store = sample_store.open_read_only()
    dataset = rdflib.Dataset()
    dataset.parse(data=gzip.decompress((sample_dumps / NQUADS_DUMP).read_bytes()), format="nquads")
    named = {g.value for g in store.named_graphs()}
    dumped = {str(c.identifier) for c in dataset.graphs() if len(c)}
    assert dumped == named
    for graph in store.named_graphs():
        assert isomorphic(dataset.graph(rdflib.URIRef(graph.value)), _rdflib_graph(store, graph)), graph
    lines = gzip.decompress((sample_dumps / NQUADS_DUMP).read_bytes()).decode().splitlines()
    graphs = [line.rsplit(" ", 2)[1] for line in lines if not line.startswith("_:") and " _:" not in line]
    runs = [graph for i, graph in enumerate(graphs) if i == 0 or graphs[i - 1] != graph]
    assert len(runs) == len(set(runs)), "each graph's statements together"
    blank = [line for line in lines if "_:" in line]
    assert blank == lines[-len(blank):] == sorted(blank), "statements with blank nodes last, sorted"


def test_ingest_times_are_left_out_and_nothing_else(sample_store, sample_dumps):
    store = sample_store.open_read_only()
    kept = [q for g in store.named_graphs() for q in store.quads_for_pattern(None, None, None, g)
            if not is_volatile(q, Iris())]
    lines = gzip.decompress((sample_dumps / NQUADS_DUMP).read_bytes()).splitlines()
    assert len(lines) == len(kept)
    assert b"generatedAtTime" not in b"\n".join(lines)


def test_the_checksums_match(sample_dumps):
    listed = dict(reversed(line.split("  ")) for line in (sample_dumps / CHECKSUMS).read_text().splitlines())
    assert set(listed) == {p.name for p in sample_dumps.iterdir()} - {CHECKSUMS, GENERATION}
    for name, digest in listed.items():
        assert hashlib.sha256((sample_dumps / name).read_bytes()).hexdigest() == digest


def test_the_dump_void_figures_are_the_dumps(sample_dumps):
    store = Store()
    store.bulk_load(gzip.decompress((sample_dumps / TURTLE_DUMP).read_bytes()), RdfFormat.TURTLE)
    void = rdflib.Graph().parse(sample_dumps / VOID_FILE)
    dataset = rdflib.URIRef(Iris().dataset.value)

    def count(query: str) -> int:
        return int(next(iter(store.query(query)))[0].value)

    assert void.value(dataset, VOID.triples).toPython() == count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert void.value(dataset, VOID.distinctSubjects).toPython() == count(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    for partition in void.objects(dataset, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        assert void.value(partition, VOID.entities).toPython() == count(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}"), cls
    for partition in void.objects(dataset, VOID.propertyPartition):
        prop = void.value(partition, VOID.property)
        assert void.value(partition, VOID.triples).toPython() == count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{prop}> ?o }}"), prop
    sizes = {str(void.value(d, rdflib.URIRef("http://www.w3.org/ns/dcat#downloadURL"))).rsplit("/", 1)[1]:
             void.value(d, rdflib.URIRef("http://www.w3.org/ns/dcat#byteSize")).toPython()
             for d in void.objects(dataset, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution"))}
    assert sizes == {name: (sample_dumps / name).stat().st_size for name in (TURTLE_DUMP, NQUADS_DUMP)}
    assert void.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("https://w3id.org/evalkg/sparql")


def test_dumping_streams_in_flat_memory(tmp_path):
    """~200k quads (100k in 500 named graphs, and their default-graph merge): Python's peak
    stays a few MB, below the size of either text written, for both files."""
    store = Store(str(tmp_path / "big"))
    base, lines = Iris().base, []
    for i in range(50_000):
        subject, graph = f"<{base}evaluation/{i}>", f"<{base}source/file-{i % 500}.json>"
        for statement in (f"{subject} <{RDF.type.value}> <{EK.Evaluation.value}>",
                          f'{subject} <{RDFS.label.value}> "Evaluation number {i} of a generated corpus"@en'):
            lines += [f"{statement} {graph} .\n", f"{statement} .\n"]
    store.bulk_load("".join(lines).encode(), RdfFormat.N_QUADS)
    del lines
    nquads = io.BytesIO()
    tracemalloc.start()
    try:
        write_turtle(str(tmp_path / "big"), str(tmp_path / "big.ttl.gz"), Iris().base)
        write_nquads(store, Iris(), nquads)
        peak = tracemalloc.get_traced_memory()[1] - len(nquads.getvalue())
    finally:
        tracemalloc.stop()
    turtle = gzip.decompress((tmp_path / "big.ttl.gz").read_bytes())
    assert turtle.count(b"a ek:Evaluation") == 50_000
    assert nquads.getvalue().count(b"\n") == 100_000
    assert peak < 12_000_000 and peak < len(turtle), f"peak {peak / 1e6:.1f} MB"


def test_kg_dump_writes_the_files(sample_store, sample_dumps, tmp_path):
    result = CliRunner().invoke(main, ["dump", "--store", str(sample_store.path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "d") == _files(sample_dumps)
    assert f"{TURTLE_DUMP}" in result.output and CHECKSUMS in result.output


def test_the_repository_dumps_are_those_of_the_bundled_sample(tmp_path, builder_factory):
    """dumps/ must be regenerated whenever the sample corpus, the gazetteers or the mapping change."""
    builder_factory(tmp_path / "store").build(sample_sources())
    write_dumps(StoreDirectory(tmp_path / "store").live_generation(), tmp_path / "dumps", Iris())
    committed = _files(REPOSITORY_DUMPS) if REPOSITORY_DUMPS.is_dir() else {}
    fresh = _files(tmp_path / "dumps")
    assert sorted(committed) == sorted(fresh), f"dumps/ lacks or has extra files; regenerate: {REGENERATE}"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    for name in stale:
        if name.endswith(".gz") and gzip.decompress(committed[name]) == gzip.decompress(fresh[name]):
            pytest.fail(f"dumps/{name} holds the right data but this zlib compresses it to other bytes")
    assert not stale, f"dumps/ is stale ({', '.join(stale)}); regenerate: {REGENERATE}"
