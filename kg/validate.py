"""`kg validate`: the store's union graph checked against the SHACL shapes (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, Namespace

from kg.resources import ontology_file

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: int
    report: str


def union_graph(store: Store) -> Graph:
    """All triples of all graphs as one rdflib graph."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    graph = Graph()
    graph.parse(data=triples.serialize(format=RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_graph(data: Graph) -> ValidationResult:
    """Validate a graph against `ontology/shapes.ttl`; warnings do not break conformance."""
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    violations = sum(1 for _ in report_graph.triples((None, SH.resultSeverity, SH.Violation)))
    return ValidationResult(bool(conforms), violations, text)
