"""A description made readable: statements grouped into sections, properties in a sensible order
and named in the reader's language, values labelled and linked (only http(s) links are links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from kg.namespaces import DCTERMS, EK, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from server.ld.description import Description, Resource
from server.ld.language import pick, rank, speaks

SECTIONS: tuple[tuple[str, tuple[NamedNode, ...]], ...] = (
    ("identification", (
        EK.evaluationNumber, EK.recommendationNumber, EK.lessonNumber, EK.goodPracticeNumber, EK.ordinal,
        EK.acronym, EK.altAcronym, EK.isoAlpha3, EK.isoAlpha2, EK.projectSymbol, EK.areaCode, EK.symbolYear,
        EK.serialNumber, EK.donorCode, DCTERMS.date, EK.completionDate, EK.plannedCompletionDate,
        EK.documentType)),
    ("content", (
        DCTERMS.title, EK.text, EK.context, EK.causeEffect, EK.indicators, EK.replication, EK.challenges,
        EK.success, EK.administrativeIssues, EK.actionPlan, EK.comments, EK.links, EK.relatedConclusion,
        EK.informationSource, DCTERMS.description, RDFS.comment)),
    ("classification", (
        EK.evaluationType, EK.evaluationTiming, EK.evaluationNature, EK.theme, EK.category,
        EK.managementResponse, EK.progress)),
    ("responsibility", (
        EK.manager, EK.adminUnit, EK.technicalUnit, EK.fundedBy, EK.donor, EK.donorCountry)),
    ("links", (
        EK.ofEvaluation, EK.project, EK.evaluatesProject, EK.coversCountry, EK.coversRegion, EK.inRegion,
        DCTERMS.spatial, EK.mentions, ORG.unitOf, ORG.subOrganizationOf, SKOS.broader, EK.parentOrganization,
        EK.organizationType, EK.mentionOf, SKOS.inScheme)),
    ("items", (EK.hasRecommendation, EK.hasLesson, EK.hasGoodPractice)),
    ("names", (
        SKOS.prefLabel, RDFS.label, SCHEMA.name, SKOS.altLabel, SKOS.hiddenLabel, EK.surfaceForm,
        EK.sourceField)),
    ("provenance", (
        SCHEMA.url, OWL.sameAs, PROV.wasDerivedFrom, DCTERMS.source, EK.sha256, EK.errorCount,
        PROV.generatedAtTime)),
)
LAST = (EK.hasMention,)
TITLE_PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title, EK.surfaceForm)
LONG_TEXT = {EK.text, EK.context, EK.causeEffect, EK.indicators, EK.replication, EK.challenges, EK.success,
             EK.administrativeIssues, EK.actionPlan, EK.comments, DCTERMS.description, RDFS.comment}
# Incoming links that repeat what the page already shows, or that lead to bookkeeping nodes.
HIDDEN_INCOMING = {EK.ofEvaluation, EK.hasRecommendation, EK.hasLesson, EK.hasGoodPractice, EK.mentionOf}
_PLAIN_DATATYPES = {XSD.string.value, XSD.integer.value, XSD.date.value, XSD.gYear.value,
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_DIGITS = re.compile(r"(\d+)")


@dataclass
class Value:
    """One value as shown: text, where it links (if anywhere), its language and a note.

    `tag` is the language shown next to a text that is not in the reader's language.
    """

    text: str
    href: str | None = None
    language: str | None = None
    note: str | None = None
    long: bool = False
    tag: str | None = None


@dataclass
class Row:
    """A property and its values; `more` links to the full list when only some are shown."""

    property: str
    label: str
    values: list[Value]
    count: int = 0
    more: str | None = None


@dataclass
class Section:
    key: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class ResourcePage:
    iri: str
    title: Value
    types: list[Value]
    sections: list[Section]
    incoming: list[Row]
    source_pages: list[Value]
    graph_size: int | None


def natural_key(text: str) -> tuple:
    """Sort key that puts "2." before "10." and ignores case."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(text))


class PageBuilder:
    """Turns descriptions into pages for one reader (languages) on one site (links)."""

    def __init__(
        self,
        languages: Sequence[str],
        link: Callable[[str], str | None],
        fallback_name: Callable[[str], str],
        property_names: Mapping[Resource, list[Literal]],
        term_label: Callable[[str], str | None],
        class_link: Callable[[str], str | None],
    ) -> None:
        self.languages = languages
        self.primary_language = next(iter(languages), "en").split("-")[0]
        self.link = link
        self.fallback_name = fallback_name
        self.property_names = property_names
        self.term_label = term_label
        self.class_link = class_link

    def label_of_property(self, predicate: NamedNode) -> str:
        chosen = pick(self.property_names.get(predicate, ()), self.languages)
        if chosen is not None:
            return chosen.value
        return self.term_label(predicate.value) or _local_name(predicate.value)

    def resource_value(self, resource: Resource, names: Mapping[Resource, list[Literal]]) -> Value:
        if isinstance(resource, BlankNode):
            return Value(f"_:{resource.value}")
        chosen = pick(names.get(resource, ()), self.languages)
        text = chosen.value if chosen is not None else self.fallback_name(resource.value)
        href = self.link(resource.value)
        note = resource.value if href == resource.value and chosen is not None else None
        return Value(text, href, chosen.language if chosen is not None else None, note)

    def literal_value(self, literal: Literal, predicate: NamedNode) -> Value:
        datatype = literal.datatype.value
        note = None if datatype in _PLAIN_DATATYPES else _local_name(datatype)
        foreign = literal.language and not speaks(literal.language, self.primary_language)
        return Value(literal.value, None, literal.language, note,
                     predicate in LONG_TEXT or len(literal.value) > 200, literal.language if foreign else None)

    def type_value(self, cls: Resource, names: Mapping[Resource, list[Literal]]) -> Value:
        value = self.resource_value(cls, names)
        value.href = self.class_link(cls.value) if isinstance(cls, NamedNode) else None
        value.note = None
        return value

    def _values(self, predicate: NamedNode, objects: list, names: Mapping[Resource, list[Literal]]) -> list[Value]:
        literals = sorted((o for o in objects if isinstance(o, Literal)),
                          key=lambda lit: (rank(lit, self.languages), natural_key(lit.value)))
        resources = [o for o in objects if not isinstance(o, Literal)]
        linked = sorted((self.resource_value(r, names) for r in resources), key=lambda v: natural_key(v.text))
        return linked + [self.literal_value(lit, predicate) for lit in literals]

    def build(self, description: Description, more_url: Callable[[NamedNode], str]) -> ResourcePage:
        """The page of a description; `more_url(p)` lists all resources linking here by `p`."""
        names = description.names()
        by_predicate: dict[NamedNode, list] = {}
        for triple in description.statements:
            if triple.subject == description.subject:
                by_predicate.setdefault(triple.predicate, []).append(triple.object)
        types = sorted((self.type_value(t, names) for t in by_predicate.pop(RDF.type, [])),
                       key=lambda v: (v.href is None, natural_key(v.text)))
        if set(by_predicate.get(RDFS.label, ())) <= set(by_predicate.get(SKOS.prefLabel, ())):
            by_predicate.pop(RDFS.label, None)  # the same names twice
        source_pages = [v for v in self._values(SCHEMA.url, by_predicate.get(SCHEMA.url, []), names) if v.href]
        return ResourcePage(description.subject.value, self._title(description, by_predicate), types,
                            self._sections(by_predicate, names), self._incoming(description, names, more_url),
                            source_pages, description.graph_size)

    def _title(self, description: Description, by_predicate: Mapping[NamedNode, list]) -> Value:
        for predicate in TITLE_PROPERTIES:
            chosen = pick([o for o in by_predicate.get(predicate, []) if isinstance(o, Literal)], self.languages)
            if chosen is not None:
                return Value(chosen.value, language=chosen.language)
        return Value(self.fallback_name(description.subject.value))

    def _sections(self, by_predicate: Mapping[NamedNode, list],
                  names: Mapping[Resource, list[Literal]]) -> list[Section]:
        sections = [Section(key, [self._row(p, by_predicate[p], names) for p in order if p in by_predicate])
                    for key, order in SECTIONS]
        placed = {p for _, order in SECTIONS for p in order}
        rest = sorted((p for p in by_predicate if p not in placed),
                      key=lambda p: (p in LAST, natural_key(self.label_of_property(p))))
        sections.append(Section("other", [self._row(p, by_predicate[p], names) for p in rest]))
        return [section for section in sections if section.rows]

    def _incoming(self, description: Description, names: Mapping[Resource, list[Literal]],
                  more_url: Callable[[NamedNode], str]) -> list[Row]:
        rows = []
        for group in description.incoming:
            if group.predicate in HIDDEN_INCOMING:
                continue
            values = sorted((self.resource_value(s, names) for s in group.subjects), key=lambda v: natural_key(v.text))
            rows.append(Row(group.predicate.value, self.label_of_property(group.predicate), values, group.count,
                            None if group.complete else more_url(group.predicate)))
        return rows

    def _row(self, predicate: NamedNode, objects: list, names: Mapping[Resource, list[Literal]]) -> Row:
        values = self._values(predicate, objects, names)
        return Row(predicate.value, self.label_of_property(predicate), values, len(values))


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
