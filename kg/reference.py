"""The reference graph: the ontology, the organization gazetteer (with its own scheme of
organization types), the countries and regions of the gazetteers, and the concept schemes of
the record vocabularies."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pycountry
from pyoxigraph import Literal, Quad, RdfFormat, parse

from kg.iris import Iris
from kg.mapping import Mapper
from kg.linking.organizations import gazetteer_quads
from kg.namespaces import RDF, RDFS, SKOS
from kg.resources import ontology_file

REFERENCE_FILES = ("evalkg.ttl", "organizations.ttl", "regions.csv", "country-aliases.csv")
CONCEPT_SCHEMES = {
    "region": ("ILO regions", "Regiones de la OIT", "Régions de l'OIT"),
    "theme": ("Evaluation themes", "Temas de evaluación", "Thèmes d'évaluation"),
    "category": ("Theme categories", "Categorías temáticas", "Catégories thématiques"),
    "response-status": ("Management response statuses", "Estados de la respuesta de la dirección", "États de la réponse de la direction"),
    "progress-status": ("Progress statuses", "Estados de avance", "États d'avancement"),
}


def reference_fingerprint(iris: Iris) -> str:
    """SHA-256 over the reference files, the base IRI and pycountry's version (its countries'
    names): changes when any does."""
    digest = hashlib.sha256(iris.base.encode() + pycountry.__version__.encode())
    for name in REFERENCE_FILES:
        digest.update(ontology_file(name).read_bytes())
    return digest.hexdigest()


def reference_quads(mapper: Mapper) -> Iterator[Quad]:
    iris = mapper.iris
    graph = iris.reference_graph
    for triple in parse(path=ontology_file("evalkg.ttl"), format=RdfFormat.TURTLE):
        yield Quad(triple.subject, triple.predicate, triple.object, graph)
    for triple in gazetteer_quads(iris.base):
        yield Quad(triple.subject, triple.predicate, triple.object, graph)
    for name, labels in CONCEPT_SCHEMES.items():
        scheme = iris.scheme(name)
        yield Quad(scheme, RDF.type, SKOS.ConceptScheme, graph)
        for language, label in zip(("en", "es", "fr"), labels):
            yield Quad(scheme, SKOS.prefLabel, Literal(label, language=language), graph)
            yield Quad(scheme, RDFS.label, Literal(label, language=language), graph)
    yield from mapper.reference_descriptions(graph)
