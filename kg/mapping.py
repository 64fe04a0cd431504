"""Records to RDF: one `EvaluationRecord` becomes the quads of one source graph.

The mapper knows the ontology and the IRIs (`kg.iris`) but nothing of the form a record came
in. Shared resources (countries, regions, concepts, projects) are described in every source
graph that uses them, so dropping a source never leaves another source's resources bare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import MappingError
from kg.interpret import (
    parse_date,
    parse_integer,
    parse_ordinal,
    parse_related_conclusions,
    split_list,
    trailing_integer,
)
from kg.iris import Iris
from kg.language import detect_language, preload as preload_language_models
from kg.linking.countries import CountryResolver
from kg.linking.organizations import OrganizationMatcher, gazetteer_quads
from kg.linking.projects import Donor, ProjectSymbol, decode_symbol, load_donors
from kg.linking.regions import Region, RegionResolver
from kg.namespaces import DCTERMS, EK, EU_COUNTRY, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import EvaluationRecord, RecommendationRecord

LABEL_LENGTH = 100
UNDETERMINED_LANGUAGE = "und"


@dataclass
class Linkers:
    """The gazetteers a mapping consults, loaded once per build."""

    countries: CountryResolver
    regions: RegionResolver
    organizations: OrganizationMatcher
    donors: dict[str, Donor]

    @classmethod
    def load(cls, iris: Iris) -> "Linkers":
        return cls(
            countries=CountryResolver.from_csv(),
            regions=RegionResolver.from_csv(),
            organizations=OrganizationMatcher.from_quads(gazetteer_quads(iris.base)),
            donors=load_donors(),
        )


@dataclass
class MappedRecord:
    """The quads of one record, and what could not be mapped (reported, never silently lost)."""

    quads: list[Quad] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    recommendations: int = 0


def short_label(text: str) -> str:
    """The start of a long text, cut at a word, for use as a label."""
    flat = " ".join(text.split())
    if len(flat) <= LABEL_LENGTH:
        return flat
    return flat[:LABEL_LENGTH].rsplit(" ", 1)[0] + "…"


class Mapper:
    """Maps records to quads under one dataset base."""

    def __init__(self, iris: Iris, linkers: Linkers) -> None:
        self.iris = iris
        self.linkers = linkers

    def load_models(self) -> None:
        """Load now what is otherwise loaded on first use (the language models), e.g. before
        forking worker processes that then share it."""
        preload_language_models()

    def map(
        self, record: EvaluationRecord, graph: NamedNode, described: set[NamedNode] | None = None
    ) -> MappedRecord:
        """The quads of one record in `graph`; raises `MappingError` if it has no evaluation.

        `described` holds the shared resources (countries, concepts, projects...) already
        described in `graph` by earlier records of the same source; they are not repeated.
        """
        if record.eval_number is None:
            raise MappingError(record.source, "record has no eval_number")
        eval_number = parse_integer(record.eval_number)
        if eval_number is None:
            raise MappingError(record.source, f"eval_number {record.eval_number!r} is not an integer")
        result = MappedRecord()
        emit = _Emitter(result.quads, graph, set() if described is None else described)
        evaluation = self.iris.evaluation(eval_number)
        texts = _TextTagger(record)
        emit(evaluation, RDF.type, EK.Evaluation)
        emit(evaluation, EK.evaluationNumber, Literal(str(eval_number), datatype=XSD.integer))
        if record.eval_title:
            title = texts.literal(record.eval_title)
            emit(evaluation, DCTERMS.title, title)
            emit(evaluation, RDFS.label, title)
        if record.eval_url:
            emit(evaluation, SCHEMA.url, NamedNode(record.eval_url.strip()))
        for location in record.locations:
            home: NamedNode | None = None
            if location.region:
                region, node = self._region(emit, location.region)
                emit(evaluation, EK.coversRegion, node)
                home = node if region.contains_its_countries else None
            if location.country:
                country = self._country(emit, location.country, home, result)
                if country is not None:
                    emit(evaluation, EK.coversCountry, country)
                else:
                    emit(evaluation, DCTERMS.spatial, Literal(location.country))
        for recommendation in record.recommendations:
            try:
                node = self._recommendation(emit, recommendation, evaluation, texts)
            except MappingError as error:
                result.errors.append(str(error.reason))
                continue
            emit(evaluation, EK.hasRecommendation, node)
            emit(node, EK.ofEvaluation, evaluation)
            result.recommendations += 1
            for project in self._projects(emit, recommendation, result):
                emit(node, EK.project, project)
                emit(evaluation, EK.evaluatesProject, project)
        return result

    def _recommendation(
        self, emit: "_Emitter", rec: RecommendationRecord, evaluation: NamedNode, texts: "_TextTagger"
    ) -> NamedNode:
        number = trailing_integer(rec.url) if rec.url else None
        if number is None:
            raise MappingError("", f"recommendation without an id-bearing url ({short_label(rec.title or '?')!r})")
        node = self.iris.recommendation(number)
        emit(node, RDF.type, EK.Recommendation)
        emit(node, EK.recommendationNumber, Literal(str(number), datatype=XSD.integer))
        emit(node, SCHEMA.url, NamedNode(rec.url.strip()))  # type: ignore[union-attr]
        if rec.title:
            text = texts.literal(rec.title)
            emit(node, EK.text, text)
            emit(node, RDFS.label, Literal(short_label(rec.title), language=text.language))
            if (ordinal := parse_ordinal(rec.title)) is not None:
                emit(node, EK.ordinal, Literal(str(ordinal), datatype=XSD.integer))
            for conclusion in parse_related_conclusions(rec.title):
                emit(node, EK.relatedConclusion, Literal(str(conclusion), datatype=XSD.integer))
            self._mentions(emit, node, number, "text", rec.title)
        else:
            emit(node, RDFS.label, Literal(f"Recommendation {number}", language="en"))
        if rec.date and (day := parse_date(rec.date)):
            emit(node, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date))
        if rec.action_plan:
            emit(node, EK.actionPlan, texts.literal(rec.action_plan))
            self._mentions(emit, node, number, "actionPlan", rec.action_plan)
        for pair in rec.themes:
            theme = self._concept(emit, self.iris.theme, "theme", EK.Theme, pair.theme) if pair.theme else None
            if theme:
                emit(node, EK.theme, theme)
            if pair.category:
                category = self._concept(emit, self.iris.category, "category", EK.Category, pair.category)
                emit(node, EK.category, category)
                if theme:
                    emit(category, SKOS.broader, theme)
        if rec.management_response:
            status = self._concept(
                emit, self.iris.response_status, "response-status", EK.ResponseStatus, rec.management_response
            )
            emit(node, EK.managementResponse, status)
        if rec.progress:
            status = self._concept(
                emit, self.iris.progress_status, "progress-status", EK.ProgressStatus, rec.progress
            )
            emit(node, EK.progress, status)
        for unit_label in split_list(rec.admin_units or ""):
            unit = self.iris.unit(unit_label)
            if emit.first(unit):
                emit(unit, RDF.type, EK.AdminUnit)
                emit(unit, RDFS.label, Literal(unit_label))
                emit(unit, SKOS.prefLabel, Literal(unit_label))
                emit(unit, ORG.unitOf, self.iris.organization("ILO"))
            emit(node, EK.adminUnit, unit)
        if rec.information_source:
            emit(node, EK.informationSource, Literal(rec.information_source))
        return node

    def _mentions(self, emit: "_Emitter", node: NamedNode, number: int, field_name: str, text: str) -> None:
        for mention in self.linkers.organizations.find(text):
            mention_node = self.iris.mention(number, field_name, mention.start)
            emit(node, EK.mentions, mention.organization)
            emit(node, EK.hasMention, mention_node)
            emit(mention_node, RDF.type, EK.Mention)
            emit(mention_node, EK.mentionOf, mention.organization)
            emit(mention_node, EK.surfaceForm, Literal(mention.surface_form))
            emit(mention_node, EK.sourceField, Literal(field_name))

    def _concept(
        self, emit: "_Emitter", mint: Callable[[str], NamedNode], scheme: str, cls: NamedNode, label: str
    ) -> NamedNode:
        """A SKOS concept of one of the record's controlled vocabularies (themes, statuses...)."""
        node = mint(label)
        if emit.first(node):
            emit(node, RDF.type, cls)
            emit(node, RDF.type, SKOS.Concept)
            emit(node, SKOS.prefLabel, Literal(label, language="en"))
            emit(node, RDFS.label, Literal(label, language="en"))
            emit(node, SKOS.inScheme, self.iris.scheme(scheme))
        return node

    def _region(self, emit: "_Emitter", name: str) -> tuple[Region, NamedNode]:
        region = self.linkers.regions.resolve(name)
        node = self.iris.region(region.slug)
        if emit.first(node):
            emit(node, RDF.type, EK.Region)
            emit(node, RDF.type, SKOS.Concept)
            emit(node, SKOS.inScheme, self.iris.scheme("region"))
            for language, label in region.labels.items():
                emit(node, SKOS.prefLabel, Literal(label, language=language))
                emit(node, RDFS.label, Literal(label, language=language))
        return region, node

    def _country(
        self, emit: "_Emitter", name: str, region: NamedNode | None, result: MappedRecord
    ) -> NamedNode | None:
        country = self.linkers.countries.resolve(name)
        if country is None:
            result.warnings.append(f"country {name!r} could not be resolved to an ISO code; kept as text")
            return None
        node = self.iris.country(country.alpha3)
        if emit.first(node):
            emit(node, RDF.type, EK.Country)
            emit(node, EK.isoAlpha3, Literal(country.alpha3))
            if country.alpha2:
                emit(node, EK.isoAlpha2, Literal(country.alpha2))
            for language, label in country.names.items():
                emit(node, SKOS.prefLabel, Literal(label, language=language))
                emit(node, RDFS.label, Literal(label, language=language))
            emit(node, OWL.sameAs, EU_COUNTRY[country.alpha3])
        if region is not None:
            emit(node, EK.inRegion, region)
        return node

    def _projects(
        self, emit: "_Emitter", rec: RecommendationRecord, result: MappedRecord
    ) -> Iterator[NamedNode]:
        for raw in split_list((rec.project_symbols or "").replace(" ", "\n")):
            symbol = decode_symbol(raw)
            node = self.iris.project(symbol.symbol)
            if emit.first(node):
                self._describe_project(emit, node, symbol, result)
            yield node

    def _describe_project(
        self, emit: "_Emitter", node: NamedNode, symbol: ProjectSymbol, result: MappedRecord
    ) -> None:
        emit(node, RDF.type, EK.Project)
        emit(node, EK.projectSymbol, Literal(symbol.symbol))
        emit(node, RDFS.label, Literal(symbol.symbol))
        emit(node, SKOS.prefLabel, Literal(symbol.symbol))
        if symbol.area_code:
            emit(node, EK.areaCode, Literal(symbol.area_code))
            emit(node, EK.symbolYear, Literal(str(symbol.year), datatype=XSD.gYear))
            emit(node, EK.serialNumber, Literal(symbol.serial))  # type: ignore[arg-type]
            emit(node, EK.donorCode, Literal(symbol.donor_code))  # type: ignore[arg-type]
            donor = self.linkers.donors.get(symbol.donor_code)  # type: ignore[arg-type]
            if donor and donor.organization_slug:
                emit(node, EK.donor, self.iris.organization(donor.organization_slug))
            elif donor and donor.country_alpha3:
                if (country := self._country(emit, donor.country_alpha3, None, result)) is not None:
                    emit(node, EK.donor, country)


class _TextTagger:
    """Language-tagged literals for a record's texts.

    Each text gets the language detected in it; a text too short to tell gets the language of
    the record as a whole, worked out only when first needed.
    """

    def __init__(self, record: EvaluationRecord) -> None:
        self._record = record
        self._fallback: str | None = None

    def literal(self, text: str) -> Literal:
        return Literal(text, language=detect_language(text) or self._record_language())

    def _record_language(self) -> str:
        if self._fallback is None:
            record = self._record
            texts = [record.eval_title or ""] + [r.title or "" for r in record.recommendations]
            self._fallback = detect_language(" ".join(texts)) or UNDETERMINED_LANGUAGE
        return self._fallback


class _Emitter:
    """Appends triples to a quad list in one graph, and remembers which resources it described."""

    def __init__(self, quads: list[Quad], graph: NamedNode, described: set[NamedNode]) -> None:
        self._quads = quads
        self._graph = graph
        self._described = described

    def first(self, node: NamedNode) -> bool:
        """True the first time a shared resource is met in this graph: describe it then."""
        if node in self._described:
            return False
        self._described.add(node)
        return True

    def __call__(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        self._quads.append(Quad(subject, predicate, obj, self._graph))
