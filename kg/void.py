"""The dataset's description in VoID and DCAT: figures, endpoint, dumps, sources and terms.

One description serves both the server (`/.well-known/void`, figures from the live store) and
`kg dump` (`void.ttl`, figures counted while the dump is written, so they describe the files
exactly). Partitions and distributions get fragment IRIs of the dataset IRI, never blank
nodes, so the Turtle is the same on every run.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple

from kg.iris import Iris
from kg.namespaces import DCAT, DCTERMS, EK, PREFIXES, RDF, VOID, XSD, Namespace
from kg.turtle import turtle_bytes

SPDX = Namespace("http://spdx.org/rdf/terms#")
IEVAL_DISCOVERY = NamedNode("https://webapps.ilo.org/ievaldiscovery/")
ILO = NamedNode("https://www.ilo.org/")
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = NamedNode("https://www.w3.org/TR/sparql11-protocol/")
VOID_PREFIXES = {**PREFIXES, "spdx": SPDX.iri}
TITLE = "evalkg: ILO i-eval Discovery evaluations, recommendations, lessons learned and good practices"
DESCRIPTION = (
    "Evaluations recorded in the ILO i-eval Discovery database, with their recommendations "
    "(management responses and progress), lessons learned and good practices, the countries, "
    "regions, projects, funders, partner agencies, managers and ILO units they concern, as linked "
    "data. Each source document is kept in its own named graph with its provenance."
)
# No licence is stated for the data: they are the ILO's, and the ILO publishes them under its own
# terms, which evalkg can neither change nor show as an open licence. The ontology states its own
# licence in its file.
RIGHTS = {
    "en": "The data are the ILO's: records of its public i-eval Discovery database "
          "(https://webapps.ilo.org/ievaldiscovery/), published by the International Labour Organization "
          "under its own terms. evalkg republishes them as linked data and claims no licence for them.",
    "es": "Los datos son de la OIT: registros de su base pública i-eval Discovery "
          "(https://webapps.ilo.org/ievaldiscovery/), publicados por la Organización Internacional del "
          "Trabajo en sus propias condiciones. evalkg los republica como datos enlazados y no reivindica "
          "ninguna licencia sobre ellos.",
    "fr": "Les données sont celles de l'OIT : des notices de sa base publique i-eval Discovery "
          "(https://webapps.ilo.org/ievaldiscovery/), publiées par l'Organisation internationale du Travail "
          "selon ses propres conditions. evalkg les republie en données liées et ne revendique aucune "
          "licence sur elles.",
}
SOURCE_TITLE = "ILO i-eval Discovery"


@dataclass(frozen=True)
class Statistics:
    """The dataset's figures over its distinct statements (the merge of its graphs)."""

    triples: int
    distinct_subjects: int
    entities: int
    classes: Mapping[str, int] = field(default_factory=dict)
    properties: Mapping[str, int] = field(default_factory=dict)


_RDF_TYPE = RDF.type


class StatisticsCounter:
    """Counts figures from distinct statements that come grouped by subject."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects = 0
        self.entities = 0
        self.classes: Counter[NamedNode] = Counter()
        self.properties: Counter[NamedNode] = Counter()
        self._subject: NamedNode | BlankNode | None = None
        self._typed = False

    def add(self, statement: Triple) -> None:
        subject, predicate = statement.subject, statement.predicate
        self.triples += 1
        if subject != self._subject:
            self.subjects += 1
            self._subject, self._typed = subject, False
        self.properties[predicate] += 1
        if predicate == _RDF_TYPE:
            if isinstance(statement.object, NamedNode):
                self.classes[statement.object] += 1
            if not self._typed:
                self.entities += 1
                self._typed = True

    def result(self) -> Statistics:
        return Statistics(self.triples, self.subjects, self.entities,
                          {c.value: n for c, n in self.classes.items()},
                          {p.value: n for p, n in self.properties.items()})


def store_statistics(store: Store) -> Statistics:
    """The figures of the live store, counted by SPARQL over its default graph, which holds each
    statement of its named graphs once (see `kg.store`)."""

    def rows(query: str) -> list[tuple[str, int]]:
        return [(r[0].value, int(r[1].value)) for r in store.query(query)]

    def number(query: str) -> int:
        return int(next(iter(store.query(query)))[0].value)

    return Statistics(
        triples=number("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        distinct_subjects=number("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        entities=number(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type.value}> ?c }}"),
        classes=dict(rows(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type.value}> ?c "
                          "FILTER(isIRI(?c)) } GROUP BY ?c")),
        properties=dict(rows("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")),
    )


def example_resources(store: Store) -> list[str]:
    """The lowest-numbered evaluation and recommendation: stable examples for void:exampleResource."""
    examples = []
    for cls, number in ((EK.Evaluation, EK.evaluationNumber), (EK.Recommendation, EK.recommendationNumber)):
        lowest = f"SELECT (MIN(?n) AS ?m) WHERE {{ ?s a <{cls.value}> ; <{number.value}> ?n }}"
        rows = [row[0] for row in store.query(lowest) if row[0] is not None]
        if rows:
            query = f"SELECT (MIN(STR(?s)) AS ?e) WHERE {{ ?s a <{cls.value}> ; <{number.value}> {rows[0]} }}"
            examples += [row[0].value for row in store.query(query)]
    return examples


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of the dataset."""

    name: str
    url: str
    media_type: str
    compress_format: str | None
    byte_size: int
    sha256: str


@dataclass(frozen=True)
class Site:
    """Where the dataset is served: its home page, SPARQL endpoint and dump folder."""

    home: str
    sparql: str
    dumps: str

    @classmethod
    def published(cls, base_iri: str) -> "Site":
        """The site a dataset base maps onto: `{root}id/` is the base, so `{root}sparql` the endpoint."""
        root = base_iri[: -len("id/")] if base_iri.endswith("/id/") else base_iri
        return cls(home=root, sparql=root + "sparql", dumps=root + "dumps/")


def _fragment(prefix: str, iri: str) -> str:
    for name, namespace in sorted(VOID_PREFIXES.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local.replace("_", "").replace("-", "").isalnum():
            return f"{prefix}-{name}-{local}"
    return f"{prefix}-{hashlib.sha256(iri.encode()).hexdigest()[:16]}"


def describe(
    iris: Iris,
    statistics: Statistics,
    site: Site,
    distributions: Sequence[Distribution] = (),
    examples: Iterable[str] = (),
) -> list[Triple]:
    """The VoID/DCAT description of the dataset as triples."""
    dataset = iris.dataset

    def part(fragment: str) -> NamedNode:
        return NamedNode(f"{dataset.value}#{fragment}")

    def integer(n: int) -> Literal:
        return Literal(str(n), datatype=XSD.integer)

    triples = [
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, DCTERMS.title, Literal(TITLE, language="en")),
        Triple(dataset, DCTERMS.description, Literal(DESCRIPTION, language="en")),
        Triple(dataset, DCTERMS.source, IEVAL_DISCOVERY),
        Triple(IEVAL_DISCOVERY, DCTERMS.title, Literal(SOURCE_TITLE)),
        Triple(IEVAL_DISCOVERY, DCTERMS.publisher, ILO),
        *(Triple(dataset, DCTERMS.rights, Literal(text, language=tag)) for tag, text in RIGHTS.items()),
        Triple(dataset, DCAT.landingPage, NamedNode(site.home)),
        Triple(dataset, VOID.uriSpace, Literal(iris.base)),
        Triple(dataset, VOID.sparqlEndpoint, NamedNode(site.sparql)),
        Triple(dataset, VOID.triples, integer(statistics.triples)),
        Triple(dataset, VOID.distinctSubjects, integer(statistics.distinct_subjects)),
        Triple(dataset, VOID.entities, integer(statistics.entities)),
        Triple(dataset, VOID.classes, integer(len(statistics.classes))),
        Triple(dataset, VOID.properties, integer(len(statistics.properties))),
    ]
    used = [*statistics.classes, *statistics.properties]
    for namespace in sorted(set(PREFIXES.values())):
        if any(term.startswith(namespace) for term in used):
            triples.append(Triple(dataset, VOID.vocabulary, NamedNode(namespace)))
    triples += [Triple(dataset, VOID.exampleResource, NamedNode(iri)) for iri in examples]
    for cls, count in statistics.classes.items():
        node = part(_fragment("class", cls))
        triples += [Triple(dataset, VOID.classPartition, node), Triple(node, VOID["class"], NamedNode(cls)),
                    Triple(node, VOID.entities, integer(count))]
    for prop, count in statistics.properties.items():
        node = part(_fragment("property", prop))
        triples += [Triple(dataset, VOID.propertyPartition, node), Triple(node, VOID.property, NamedNode(prop)),
                    Triple(node, VOID.triples, integer(count))]
    service = part("sparql")
    triples += [
        Triple(service, RDF.type, DCAT.DataService),
        Triple(service, DCAT.endpointURL, NamedNode(site.sparql)),
        Triple(service, DCAT.servesDataset, dataset),
        Triple(service, DCTERMS.conformsTo, SPARQL_PROTOCOL),
    ]
    for distribution in distributions:
        triples += _distribution(dataset, part(f"dump-{distribution.name}"), distribution, site)
    return triples


def _distribution(dataset: NamedNode, node: NamedNode, file: Distribution, site: Site) -> list[Triple]:
    checksum = NamedNode(node.value + "-sha256")
    url = NamedNode(file.url)
    triples = [
        Triple(dataset, VOID.dataDump, url),
        Triple(dataset, DCAT.distribution, node),
        Triple(node, RDF.type, DCAT.Distribution),
        Triple(node, DCTERMS.title, Literal(file.name)),
        Triple(node, DCAT.downloadURL, url),
        Triple(node, DCAT.accessURL, NamedNode(site.dumps)),
        Triple(node, DCAT.mediaType, NamedNode(MEDIA_TYPES + file.media_type)),
        Triple(node, DCAT.byteSize, Literal(str(file.byte_size), datatype=XSD.nonNegativeInteger)),
        *(Triple(node, DCTERMS.rights, Literal(text, language=tag)) for tag, text in RIGHTS.items()),
        Triple(node, SPDX.checksum, checksum),
        Triple(checksum, RDF.type, SPDX.Checksum),
        Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        Triple(checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)),
    ]
    if file.compress_format:
        triples.append(Triple(node, DCAT.compressFormat, NamedNode(MEDIA_TYPES + file.compress_format)))
    return triples


def void_turtle(triples: Iterable[Triple], dataset: NamedNode) -> bytes:
    """The description as canonical Turtle, the dataset's own statements first."""
    return turtle_bytes(triples, VOID_PREFIXES, first=str(dataset))
