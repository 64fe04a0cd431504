"""The update dataset of the protocol (using-graph-uri, using-named-graph-uri) as USING clauses."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad, Store

from server.dataset import Dataset, apply_update_dataset
from server.errors import BadRequest

A, B = "http://example.org/a", "http://example.org/b"


@pytest.mark.parametrize(("update", "expected"), [
    ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     f"INSERT {{ ?s ?p ?o }} USING <{A}> USING NAMED <{B}> WHERE {{ ?s ?p ?o }}"),
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { { SELECT * WHERE { ?s ?p ?o } } }",
     f"DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} USING <{A}> USING NAMED <{B}> WHERE "
     "{ { SELECT * WHERE { ?s ?p ?o } } }"),
    ("DELETE WHERE { ?s ?p ?o }",
     f"DELETE {{ ?s ?p ?o }} USING <{A}> USING NAMED <{B}> WHERE {{ ?s ?p ?o }}"),
    ("INSERT DATA { <http://s> <http://p> 'WHERE' } ; CLEAR ALL",
     "INSERT DATA { <http://s> <http://p> 'WHERE' } ; CLEAR ALL"),
    ("PREFIX ex: <http://ex/> INSERT { ex:s ex:p ?o } WHERE { ?o ?p ?x } ; INSERT { ?a ?a ?a } WHERE { ?a ?b ?c }",
     f"PREFIX ex: <http://ex/> INSERT {{ ex:s ex:p ?o }} USING <{A}> USING NAMED <{B}> WHERE {{ ?o ?p ?x }} ; "
     f"INSERT {{ ?a ?a ?a }} USING <{A}> USING NAMED <{B}> WHERE {{ ?a ?b ?c }}"),
])
def test_using_clauses_go_before_each_where(update: str, expected: str) -> None:
    assert apply_update_dataset(update, Dataset((A,), (B,))) == expected


@pytest.mark.parametrize("update", [
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }",
])
def test_own_using_or_with_conflicts_with_the_protocol_dataset(update: str) -> None:
    with pytest.raises(BadRequest, match="cannot be given for an update that has its own USING or WITH"):
        apply_update_dataset(update, Dataset((A,)))


def test_the_rewritten_update_reads_only_the_named_dataset() -> None:
    store = Store()
    for graph in (A, B):
        store.add(Quad(NamedNode(graph + "/s"), NamedNode("http://p"), NamedNode(graph), NamedNode(graph)))
    update = apply_update_dataset("INSERT { GRAPH <http://out> { ?s ?p ?o } } WHERE { ?s ?p ?o }", Dataset((A,)))
    store.update(update)
    assert [q.object.value for q in store.quads_for_pattern(None, None, None, NamedNode("http://out"))] == [A]
