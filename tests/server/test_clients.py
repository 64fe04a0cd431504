"""Real SPARQL clients against the running server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from server.examples import examples
from tests.server.conftest import live_store

pytestmark = pytest.mark.slow

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
        assert len(rows) == len(list(live_store(served_store).query(example.query))), example.title
        answered += bool(rows)
    assert answered >= 5  # the examples on recommendations


def test_rdflib_sparqlstore(server, served_store) -> None:
    graph = Graph(store=SPARQLStore(server.endpoint, returnFormat="json"))
    rows = [(str(row.evaluation), int(row.number)) for row in graph.query(EVALUATIONS)]
    assert rows == expected_evaluations(served_store)
    evaluation = URIRef(rows[0][0])
    assert (evaluation, URIRef(f"{EK}evaluationNumber"), None) in graph
    assert graph.query(f"ASK {{ ?e a <{EK}Evaluation> }}").askAnswer is True
