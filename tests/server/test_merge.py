"""The default graph stays the merge of the named graphs through SPARQL Update."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

from server.merge import DefaultGraphWrite, reconcile_default_graph, refuse_default_graph_writes

G = "http://example.org/g"


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://s> <http://p> 1 }",
    "DELETE DATA { GRAPH <http://g> { <http://s> <http://p> 1 } <http://s> <http://p> 2 }",
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { [] ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR DEFAULT", "DROP SILENT DEFAULT", "LOAD <http://x/d.ttl>", "LOAD SILENT <http://x/d.ttl>",
    "ADD <http://g> TO DEFAULT", "COPY GRAPH <http://g> TO DEFAULT", "MOVE DEFAULT TO <http://g>",
    "CLEAR ALL ; INSERT DATA { <http://s> <http://p> 1 }",
])
def test_writes_of_the_default_graph_are_refused(update: str) -> None:
    with pytest.raises(DefaultGraphWrite, match="write into a named graph"):
        refuse_default_graph_writes(update)


@pytest.mark.parametrize("update", [
    f"INSERT DATA {{ GRAPH <{G}> {{ <http://s> <http://p> 1 . <http://s> <http://p> 2 }} }}",
    f"DELETE WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}",
    f"INSERT {{ GRAPH <{G}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o OPTIONAL {{ ?s ?q ?r }} }}",
    f"WITH <{G}> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}",
    f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} USING NAMED <{G}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "CLEAR ALL", "DROP NAMED", f"CLEAR SILENT GRAPH <{G}>", f"LOAD <http://x/d.ttl> INTO GRAPH <{G}>",
    f"COPY DEFAULT TO <{G}>", f"ADD <{G}> TO <http://other>", f"CREATE GRAPH <{G}>",
    'INSERT DATA { GRAPH <http://g> { <http://s> <http://p> "DEFAULT" } }',
    "INSERT DATA { <broken",  # the parser reports what is wrong with this one
])
def test_writes_of_named_graphs_pass(update: str) -> None:
    refuse_default_graph_writes(update)


def test_reconcile_makes_the_default_graph_the_merge() -> None:
    s, p = NamedNode("http://s"), NamedNode("http://p")
    one, two, three = (NamedNode(f"http://o/{n}") for n in (1, 2, 3))
    store = Store()
    store.extend([Quad(s, p, one, NamedNode(G)), Quad(s, p, one, NamedNode("http://h")),
                  Quad(s, p, two, NamedNode(G)), Quad(s, p, three, DefaultGraph())])
    reconcile_default_graph(store)
    default = sorted(q.object.value for q in store.quads_for_pattern(None, None, None, DefaultGraph()))
    assert default == ["http://o/1", "http://o/2"]
