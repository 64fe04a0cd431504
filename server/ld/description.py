"""What the server says about one resource: its statements, the labels of what they link to, and
the statements that point at it where few do (a bounded, symmetric description).

Reads the store's default graph, which holds the merge of all named graphs (see `kg.store`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store, Triple, Variable

from kg.namespaces import EK, RDFS, SKOS

INCOMING_LIMIT = 100
# Names in order of preference; a mention's name is the text that was found.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, EK.surfaceForm)
_DEFAULT = DefaultGraph()
_BLANK_NODE_DEPTH = 8

Resource = NamedNode | BlankNode


@dataclass
class Incoming:
    """The statements with one predicate that point at the resource."""

    predicate: NamedNode
    count: int
    subjects: list[Resource]

    @property
    def complete(self) -> bool:
        return len(self.subjects) >= self.count


@dataclass
class Description:
    """A resource's statements and their immediate surroundings."""

    subject: NamedNode
    statements: list[Triple] = field(default_factory=list)
    incoming: list[Incoming] = field(default_factory=list)
    label_statements: list[Triple] = field(default_factory=list)
    graph_size: int | None = None

    @property
    def exists(self) -> bool:
        return bool(self.statements or self.incoming or self.graph_size is not None)

    def linked(self) -> list[Resource]:
        """The resources its statements link to and those that link to it, each once."""
        seen: dict[Resource, None] = {}
        for triple in self.statements:
            if isinstance(triple.object, (NamedNode, BlankNode)):
                seen.setdefault(triple.object)
        for group in self.incoming:
            for subject in group.subjects:
                seen.setdefault(subject)
        return list(seen)

    def triples(self) -> list[Triple]:
        """The RDF view: its statements, the incoming ones of small fan-in, the labels of its links."""
        result = list(self.statements)
        for group in self.incoming:
            if group.complete:
                result += [Triple(subject, group.predicate, self.subject) for subject in group.subjects]
        result += self.label_statements
        return sorted(set(result), key=str)

    def names(self) -> dict[Resource, list[Literal]]:
        """The names of the linked resources, by the first of `LABEL_PROPERTIES` each has."""
        found: dict[Resource, dict[NamedNode, list[Literal]]] = {}
        for triple in self.label_statements:
            found.setdefault(triple.subject, {}).setdefault(triple.predicate, []).append(triple.object)
        return {resource: next(by[p] for p in LABEL_PROPERTIES if p in by) for resource, by in found.items()}


def exists(store: Store, iri: NamedNode) -> bool:
    """Whether the dataset says anything about, or with, this IRI."""
    return (
        next(store.quads_for_pattern(iri, None, None, _DEFAULT), None) is not None
        or next(store.quads_for_pattern(None, None, iri, _DEFAULT), None) is not None
        or store.contains_named_graph(iri)
    )


def describe(store: Store, iri: NamedNode, incoming_limit: int | None = None) -> Description:
    """The description of `iri`; an empty one (`exists` false) when the store knows nothing of it.

    Statements pointing at it are included per predicate when at most `incoming_limit`
    (default `INCOMING_LIMIT`) do; beyond that only their count and the first ones are kept.
    """
    incoming_limit = incoming_limit or INCOMING_LIMIT
    description = Description(iri, statements=_outgoing(store, iri))
    counts = store.query(
        "SELECT ?o ?p (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ?p ORDER BY ?p",
        substitutions={Variable("o"): iri},
    )
    for row in counts:
        predicate, count = row["p"], int(row["n"].value)
        subjects = []
        for quad in store.quads_for_pattern(None, predicate, iri, _DEFAULT):
            subjects.append(quad.subject)
            if len(subjects) >= incoming_limit:
                break
        description.incoming.append(Incoming(predicate, count, subjects))
    description.label_statements = label_statements(
        store, [r for r in description.linked() if r != iri and isinstance(r, NamedNode)])
    if store.contains_named_graph(iri):
        description.graph_size = int(next(iter(store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", substitutions={Variable("g"): iri}
        )))["n"].value)
    return description


def _outgoing(store: Store, iri: NamedNode) -> list[Triple]:
    """Its statements, and those of the blank nodes they lead to (a concise bounded description)."""
    statements: list[Triple] = []
    frontier: list[Resource] = [iri]
    seen: set[Resource] = {iri}
    for _ in range(_BLANK_NODE_DEPTH):
        following: list[Resource] = []
        for subject in frontier:
            for quad in store.quads_for_pattern(subject, None, None, _DEFAULT):
                statements.append(Triple(quad.subject, quad.predicate, quad.object))
                if isinstance(quad.object, BlankNode) and quad.object not in seen:
                    seen.add(quad.object)
                    following.append(quad.object)
        if not following:
            break
        frontier = following
    return statements


def label_statements(store: Store, resources: Iterable[Resource]) -> list[Triple]:
    """The naming statements (`LABEL_PROPERTIES`) of resources, in every language."""
    return [
        Triple(quad.subject, quad.predicate, quad.object)
        for resource in resources
        for predicate in LABEL_PROPERTIES
        for quad in store.quads_for_pattern(resource, predicate, None, _DEFAULT)
    ]


def names(store: Store, resources: Iterable[Resource]) -> dict[Resource, list[Literal]]:
    """Each resource's names: by the first of `LABEL_PROPERTIES` it has."""
    found: dict[Resource, list[Literal]] = {}
    for resource in resources:
        for predicate in LABEL_PROPERTIES:
            literals = [q.object for q in store.quads_for_pattern(resource, predicate, None, _DEFAULT)
                        if isinstance(q.object, Literal)]
            if literals:
                found[resource] = literals
                break
    return found

