"""Real SPARQL clients against the running server: SPARQLWrapper in every return format, rdflib's
SPARQLStore and SPARQLUpdateStore, and a Dataset over a SPARQLStore."""

from __future__ import annotations

import csv
import io
import uuid
import warnings

import pytest
from pyoxigraph import DefaultGraph, QueryResultsFormat, RdfFormat, parse_query_results
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kg.query import run_query
from kg.search.functions import SearchFunctions
from server.examples import examples
from tests.server.conftest import TOKEN, live_store

pytestmark = [pytest.mark.slow,  # rdflib's own parsers, called by SPARQLWrapper, warn of ConjunctiveGraph
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

EK = "https://w3id.org/evalkg/ontology#"
EVALUATIONS = f"SELECT ?evaluation ?number WHERE {{ ?evaluation <{EK}evaluationNumber> ?number }} ORDER BY ?number"


def expected_evaluations(served_store) -> list[tuple[str, int]]:
    rows = live_store(served_store).query(EVALUATIONS)
    return [(row["evaluation"].value, int(row["number"].value)) for row in rows]


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_select(server, served_store, method: str, return_format: str) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(EVALUATIONS)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    results = client.query().convert()
    if return_format == JSON:
        rows = [(b["evaluation"]["value"], int(b["number"]["value"])) for b in results["results"]["bindings"]]
    else:
        rows = [(r.getElementsByTagName("uri")[0].firstChild.data,
                 int(r.getElementsByTagName("literal")[0].firstChild.data))
                for r in results.getElementsByTagName("result")]
    assert rows == expected_evaluations(served_store)
    assert len(rows) > 10


def test_sparqlwrapper_ask_and_construct(server) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(f"ASK {{ ?e a <{EK}Evaluation> }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?e a <{EK}Evaluation> }} WHERE {{ ?e a <{EK}Evaluation> }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) > 10


def test_sparqlwrapper_runs_every_example_query(server, served_store) -> None:
    """Every example gives SPARQLWrapper what the store gives (that each gives rows on the real
    sample is tests/linked_data/test_examples.py's; the served test corpus has no lessons)."""
    answered = 0
    for example in examples():
        client = SPARQLWrapper(server.endpoint)
        client.setQuery(example.query)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        search = SearchFunctions.of_generation(served_store.live_generation())  # for ek:score and its kin
        assert len(rows) == len(list(run_query(live_store(served_store), example.query, search=search))), example.title
        answered += bool(rows)
    assert answered >= 5  # the examples on recommendations


def test_rdflib_sparqlstore(server, served_store) -> None:
    graph = Graph(store=SPARQLStore(server.endpoint, returnFormat="json"))
    rows = [(str(row.evaluation), int(row.number)) for row in graph.query(EVALUATIONS)]
    assert rows == expected_evaluations(served_store)
    evaluation = URIRef(rows[0][0])
    assert (evaluation, URIRef(f"{EK}evaluationNumber"), None) in graph
    assert graph.query(f"ASK {{ ?e a <{EK}Evaluation> }}").askAnswer is True


def _wrapper(server, query: str, return_format: str, method: str) -> object:
    """What SPARQLWrapper's convert() gives for `query` (it warns where it sends Accept: */*, as for RDF)."""
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return client.query().convert()


def _rows(converted: object, return_format: str) -> list[tuple[str, int]]:
    """(evaluation, number) rows from SPARQLWrapper's converted SELECT results, whatever the format."""
    if return_format == JSON:
        bindings = converted["results"]["bindings"]  # type: ignore[index]
        return [(b["evaluation"]["value"], int(b["number"]["value"])) for b in bindings]
    if return_format == XML:
        return [(r.getElementsByTagName("uri")[0].firstChild.data,
                 int(r.getElementsByTagName("literal")[0].firstChild.data))
                for r in converted.getElementsByTagName("result")]  # type: ignore[attr-defined]
    if return_format == CSV:
        return [(row["evaluation"], int(row["number"])) for row in csv.DictReader(io.StringIO(converted.decode()))]
    solutions = parse_query_results(converted, format=QueryResultsFormat.TSV)  # type: ignore[arg-type]
    return [(row["evaluation"].value, int(row["number"].value)) for row in solutions]


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_and_ask_in_every_results_format(server, served_store, method: str,
                                                               return_format: str) -> None:
    rows = _rows(_wrapper(server, EVALUATIONS, return_format, method), return_format)
    assert rows == expected_evaluations(served_store) and len(rows) > 10
    for query, expected in ((f"ASK {{ ?e a <{EK}Evaluation> }}", True), (f"ASK {{ ?e a <{EK}Nothing> }}", False)):
        answer = _wrapper(server, query, return_format, method)
        if return_format == JSON:
            assert answer["boolean"] is expected  # type: ignore[index]
        elif return_format == XML:
            boolean = answer.getElementsByTagName("boolean")[0]  # type: ignore[attr-defined]
            assert boolean.firstChild.data == str(expected).lower()
        else:  # the one word, as Oxigraph and `kg query --format csv` write it
            assert answer.decode().strip() == str(expected).lower()  # type: ignore[attr-defined]


CONSTRUCT = f"CONSTRUCT {{ ?e <{EK}evaluationNumber> ?n }} WHERE {{ ?e <{EK}evaluationNumber> ?n }}"
DESCRIBE = f"DESCRIBE ?e WHERE {{ ?e <{EK}evaluationNumber> 3471 }}"


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("return_format", [TURTLE, N3, XML, RDFXML, RDF, JSONLD, JSON])
def test_sparqlwrapper_construct_and_describe_in_every_rdf_format(server, served_store, method: str,
                                                                   return_format: str) -> None:
    """SPARQLWrapper sends `format=json-ld&format=application/ld+json,application/x-json+ld` for JSONLD,
    `format=n3` for N3 and `format=rdf` with `Accept: */*` for RDF: each gets the graph."""
    for query in (CONSTRUCT, DESCRIBE):
        converted = _wrapper(server, query, return_format, method)
        graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="n3")
        expected = Graph().parse(data=live_store(served_store).query(query).serialize(format=RdfFormat.TURTLE),
                                 format="turtle")
        assert len(graph) > 0 and isomorphic(graph, expected), (query, return_format)


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_in_each_results_format(server, served_store, return_format: str) -> None:
    """Only with `xml` does rdflib's Accept name an RDF format (application/rdf+xml), which a CONSTRUCT needs:
    with the others it asks for results formats alone, and a CONSTRUCT gets 406."""
    graph = Graph(store=SPARQLStore(server.endpoint, returnFormat=return_format))
    rows = [(str(row.evaluation), int(row.number)) for row in graph.query(EVALUATIONS)]
    assert rows == expected_evaluations(served_store)
    if return_format in ("json", "xml"):  # rdflib reads no ASK result in CSV or TSV, from any server
        assert graph.query(f"ASK {{ ?e a <{EK}Evaluation> }}").askAnswer is True
    if return_format == "xml":
        assert len(graph.query(CONSTRUCT).graph) == len(rows)


@pytest.mark.parametrize("default_union", [False, True])
def test_a_dataset_over_a_sparqlstore_sees_the_named_graphs(server, served_store, default_union: bool) -> None:
    """rdflib's Dataset queries with default-graph-uri=urn:x-rdflib:default unless default_union: the
    server reads it as its own default graph. (Dataset.contexts() and .graph() end in add_graph, which
    a read-only SPARQLStore refuses, and .quads() fails in rdflib itself: the store's methods are used.)"""
    dataset = Dataset(store=SPARQLStore(server.endpoint, returnFormat="json"), default_union=default_union)
    store = live_store(served_store)
    names = {name.value for name in store.named_graphs()}
    assert {str(graph) for graph in dataset.store.contexts()} == names
    rows = dataset.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counted = {name.value: len(list(store.quads_for_pattern(None, None, None, name))) for name in store.named_graphs()}
    assert {str(row.g): int(row.n) for row in rows} == counted
    assert dataset.query(f"ASK {{ ?e a <{EK}Evaluation> }}").askAnswer is True
    assert len(dataset) == len(list(store.quads_for_pattern(None, None, None, DefaultGraph())))
    name = sorted(names)[0]
    assert len(Graph(store=dataset.store, identifier=URIRef(name))) == counted[name]


def test_rdflib_sparqlupdatestore_writes_a_named_graph_and_reads_it_back(server) -> None:
    store = SPARQLUpdateStore(server.endpoint, server.endpoint, returnFormat="json",
                              headers={"Authorization": f"Bearer {TOKEN}"})
    name = URIRef(f"https://example.org/test-clients/{uuid.uuid4()}")
    graph = Graph(store=store, identifier=name)
    subject = URIRef(f"{name}#thing")
    try:
        graph.add((subject, URIRef(f"{EK}title"), Literal("written by rdflib", lang="en")))
        graph.add((subject, URIRef(f"{EK}evaluationNumber"), Literal(99999)))
        assert len(graph) == 2
        assert graph.value(subject, URIRef(f"{EK}evaluationNumber")) == Literal(99999)
        union = Graph(store=SPARQLStore(server.endpoint, returnFormat="json"))
        assert (subject, URIRef(f"{EK}title"), Literal("written by rdflib", lang="en")) in union
        graph.remove((subject, URIRef(f"{EK}evaluationNumber"), None))
        assert len(graph) == 1
    finally:
        store.update(f"DROP SILENT GRAPH <{name}>")
    assert len(Graph(store=SPARQLStore(server.endpoint, returnFormat="json"), identifier=name)) == 0
