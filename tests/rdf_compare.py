"""Graph comparison for tests: isomorphism, with a readable diff when it fails."""

from __future__ import annotations

from pyoxigraph import Quad, RdfFormat, Store
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic


def graph_of(quads: list[Quad]) -> Graph:
    """An rdflib graph of the triples of `quads`, whatever graph they are in."""
    store = Store()
    store.extend(quads)
    data = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return Graph().parse(data=data.serialize(format=RdfFormat.N_TRIPLES), format="nt")


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    left, right = to_isomorphic(actual), to_isomorphic(expected)
    if left == right:
        return
    _, only_actual, only_expected = graph_diff(left, right)
    lines = ["graphs differ"]
    lines += [f"+ {t}" for t in sorted(only_actual.serialize(format="nt").splitlines()) if t]
    lines += [f"- {t}" for t in sorted(only_expected.serialize(format="nt").splitlines()) if t]
    raise AssertionError("\n".join(lines))
