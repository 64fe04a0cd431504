"""The canonical Turtle writer of the linked-data pages and the VoID: exact, whatever the text."""

from __future__ import annotations

import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from kg.namespaces import PREFIXES
from kg.turtle import turtle_bytes

EK = PREFIXES["ek"]
XSD = PREFIXES["xsd"]
subjects = st.sampled_from([NamedNode("https://w3id.org/evalkg/id/evaluation/1"),
                            NamedNode("https://w3id.org/evalkg/id/project/A%2FB-C"),
                            NamedNode(EK + "Evaluation"), NamedNode(EK + "odd.name"),
                            NamedNode("http://example.org/a-b"), NamedNode("http://example.org/a")])
predicates = st.sampled_from([NamedNode(PREFIXES["rdf"] + "type"), NamedNode(EK + "text"),
                              NamedNode(PREFIXES["rdfs"] + "label"), NamedNode("http://example.org/p#1")])
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30) | st.sampled_from(
    ['"^^<x>', 'a "quoted" \\ back\\slash', "line\nbreak\r\ttab", "@en", "<script>", "\u2028", " . ;"])
literals = st.one_of(
    texts.map(Literal),
    st.tuples(texts, st.sampled_from(["en", "es", "fr-CA"])).map(lambda t: Literal(t[0], language=t[1])),
    st.tuples(texts, st.sampled_from([XSD + "string", XSD + "token", "http://example.org/dt#x"])).map(
        lambda t: Literal(t[0], datatype=NamedNode(t[1]))),
    st.integers().map(lambda n: Literal(str(n), datatype=NamedNode(XSD + "integer"))),
)
objects = st.one_of(subjects, literals)
triples = st.lists(st.builds(Triple, subjects, predicates, objects), max_size=25)


def _as_rdflib(data: bytes, fmt: str) -> set:
    return set(rdflib.Graph().parse(data=data, format=fmt))


@settings(max_examples=150, deadline=None)
@given(triples)
def test_turtle_round_trips_through_oxigraph_and_rdflib(graph):
    text = turtle_bytes(graph, PREFIXES)
    assert {q.triple for q in parse(text, format=RdfFormat.TURTLE)} == set(graph)
    expected = "".join(f"{t} .\n" for t in set(graph)).encode()
    assert _as_rdflib(text, "turtle") == _as_rdflib(expected, "nt")
    assert turtle_bytes(reversed(graph), PREFIXES) == text
