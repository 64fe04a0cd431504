"""Records to RDF: one `EvaluationRecord` becomes the quads of one source graph.

The mapper knows the ontology and the IRIs (`kg.iris`) but nothing of the form a record came
in. Shared resources the records name (concepts, projects, units, people, funders, regions
outside the vocabulary) are described in every source graph that uses them, so dropping a
source never leaves another source's resources bare; countries and the vocabulary's regions
come from the gazetteers, so they are described once, in the reference graph
(`reference_descriptions`), and a source graph only links to them. Each kind of item an evaluation publishes (recommendation, lesson
learned, good practice) has one `ItemKind`: its class, IRIs, texts and own fields.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import MappingError
from kg.interpret import (
    parse_date,
    parse_integer,
    parse_ordinal,
    parse_related_conclusions,
    split_list,
    split_semicolons,
    trailing_integer,
)
from kg.iris import Iris
from kg.language import detect_language, preload as preload_language_models
from kg.linking.countries import Country, CountryResolver
from kg.linking.organizations import Mention, OrganizationMatcher, gazetteer_quads
from kg.linking.projects import Donor, ProjectSymbol, decode_symbol, is_placeholder, load_donors
from kg.linking.regions import Region, RegionResolver
from kg.namespaces import DCTERMS, EK, EU_COUNTRY, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.records import EvaluationRecord, GoodPracticeRecord, LessonRecord, RecommendationRecord, ThemeRecord

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
    lessons: int = 0
    good_practices: int = 0


@dataclass
class TextAnalysis:
    """What `Mapper.map` learns from a record's texts besides their words: each text's language,
    the record's own (for texts too short to tell), and the agencies each item text names.

    It depends on the record alone, not on what other records described, and is most of a
    record's mapping time, so a build can have other processes work it out (`Mapper.analyse`)
    while one process maps the records in order."""

    languages: dict[str, str | None] = field(default_factory=dict)
    record_language: str | None = None
    mentions: dict[str, list[Mention]] = field(default_factory=dict)


def short_label(text: str) -> str:
    """The start of a long text, cut at a word, for use as a label."""
    flat = " ".join(text.split())
    if len(flat) <= LABEL_LENGTH:
        return flat
    return flat[:LABEL_LENGTH].rsplit(" ", 1)[0] + "…"


Item = TypeVar("Item", RecommendationRecord, LessonRecord, GoodPracticeRecord)


@dataclass(frozen=True)
class ItemKind(Generic[Item]):
    """How one kind of item becomes RDF: its class and IRIs, its link to the evaluation, and
    its texts as (source field, property, text), the first being the one its label comes from."""

    name: str
    cls: NamedNode
    mint: Callable[[Iris, int], NamedNode]
    number: NamedNode
    link: NamedNode
    texts: Callable[[Item], list[tuple[str, NamedNode, str | None]]]


RECOMMENDATION = ItemKind[RecommendationRecord](
    "Recommendation", EK.Recommendation, Iris.recommendation, EK.recommendationNumber, EK.hasRecommendation,
    lambda r: [("text", EK.text, r.title), ("actionPlan", EK.actionPlan, r.action_plan),
               ("comments", EK.comments, r.comments)],
)
LESSON = ItemKind[LessonRecord](
    "Lesson learned", EK.LessonLearned, Iris.lesson, EK.lessonNumber, EK.hasLesson,
    lambda r: [("text", EK.text, r.description), ("context", EK.context, r.context),
               ("challenges", EK.challenges, r.challenges), ("success", EK.success, r.success),
               ("administrativeIssues", EK.administrativeIssues, r.administrative_issues),
               ("comments", EK.comments, r.comments)],
)
GOOD_PRACTICE = ItemKind[GoodPracticeRecord](
    "Good practice", EK.GoodPractice, Iris.good_practice, EK.goodPracticeNumber, EK.hasGoodPractice,
    lambda r: [("text", EK.text, r.description), ("context", EK.context, r.context),
               ("causeEffect", EK.causeEffect, r.cause_effect), ("indicators", EK.indicators, r.indicators),
               ("replication", EK.replication, r.replication)],
)


class Mapper:
    """Maps records to quads under one dataset base."""

    def __init__(self, iris: Iris, linkers: Linkers) -> None:
        self.iris = iris
        self.linkers = linkers

    def reference_descriptions(self, graph: NamedNode) -> list[Quad]:
        """Every country and every region of the vocabulary, described in `graph` (the reference
        graph) once, rather than in each source graph that names them."""
        quads: list[Quad] = []
        emit = _Emitter(quads, graph, set())
        for region in self.linkers.regions.every_region():
            self._describe_region(emit, self.iris.region(region.slug), region)
        for country in self.linkers.countries.every_country():
            self._describe_country(emit, self.iris.country(country.alpha3), country)
        return quads

    def load_models(self) -> None:
        """Load now what is otherwise loaded on first use (the language models), e.g. before
        forking worker processes that then share it."""
        preload_language_models()

    def analyse(self, record: EvaluationRecord) -> TextAnalysis:
        """The languages and agency mentions of a record's texts, worked out ahead of `map`."""
        texts = _TextTagger(record, self.linkers.organizations)
        if record.eval_title:
            texts.literal(record.eval_title)
        for item in record.items:
            for _, _, text in ITEM_KINDS[type(item)].texts(item):
                if text:
                    texts.literal(text)
                    texts.mentions(text)
        return texts.analysis

    def map(
        self, record: EvaluationRecord, graph: NamedNode, described: set[Hashable] | None = None,
        analysis: TextAnalysis | None = None,
    ) -> MappedRecord:
        """The quads of one record in `graph`; raises `MappingError` if it has no evaluation.

        `described` holds what earlier records of the same source already stated in `graph`
        (shared resources, and an evaluation's fields that several records repeat, as the
        rows of an export do); it is not stated again. `analysis` is the record's from
        `analyse`, if worked out ahead; what it lacks is worked out here.
        """
        if record.eval_number is None:
            raise MappingError(record.source, "record has no eval_number")
        eval_number = parse_integer(record.eval_number)
        if eval_number is None:
            raise MappingError(record.source, f"eval_number {record.eval_number!r} is not an integer")
        result = MappedRecord()
        emit = _Emitter(result.quads, graph, set() if described is None else described)
        evaluation = self.iris.evaluation(eval_number)
        texts = _TextTagger(record, self.linkers.organizations, analysis)
        self._evaluation(emit, record, evaluation, eval_number, texts, result)
        for recommendation in record.recommendations:
            if node := self._item(emit, RECOMMENDATION, recommendation, evaluation, texts, result):
                self._recommendation(emit, node, recommendation, evaluation, result)
                result.recommendations += 1
        for lesson in record.lessons:
            if self._item(emit, LESSON, lesson, evaluation, texts, result):
                result.lessons += 1
        for practice in record.good_practices:
            if node := self._item(emit, GOOD_PRACTICE, practice, evaluation, texts, result):
                if practice.links:
                    emit(node, EK.links, Literal(practice.links))
                result.good_practices += 1
        return result

    def _evaluation(
        self, emit: "_Emitter", record: EvaluationRecord, node: NamedNode, number: int,
        texts: "_TextTagger", result: MappedRecord,
    ) -> None:
        """The evaluation's own fields, each stated once per graph however many records repeat it."""
        if emit.first((node, "evaluation")):
            emit(node, RDF.type, EK.Evaluation)
            emit(node, EK.evaluationNumber, Literal(str(number), datatype=XSD.integer))
        if record.eval_title and emit.first((node, "title", record.eval_title)):
            title = texts.literal(record.eval_title)
            emit(node, DCTERMS.title, title)
            emit(node, RDFS.label, title)
        if record.eval_url and emit.first((node, "url", record.eval_url)):
            emit(node, SCHEMA.url, NamedNode(record.eval_url.strip()))
        for location in record.locations:
            if emit.first((node, "location", location)):
                self._location(emit, node, location.country, location.region, result)
        for scheme, prop, label in (
            ("evaluation-type", EK.evaluationType, record.evaluation_type),
            ("evaluation-timing", EK.evaluationTiming, record.evaluation_timing),
            ("evaluation-nature", EK.evaluationNature, record.evaluation_nature),
        ):
            if label and emit.first((node, scheme, label)):
                emit.once(node, prop, self._concept(emit, scheme, EK[_CONCEPT_CLASSES[scheme]], _tidy(label)))
        if record.document_type and emit.first((node, "document-type", record.document_type)):
            emit(node, EK.documentType, Literal(_tidy(record.document_type)))
        for prop, raw in ((EK.completionDate, record.completion_date),
                          (EK.plannedCompletionDate, record.planned_completion_date)):
            if raw and emit.first((node, prop, raw)):
                if day := parse_date(raw):
                    emit(node, prop, Literal(day.isoformat(), datatype=XSD.date))
                else:
                    result.warnings.append(f"{prop.value.rsplit('#', 1)[1]} {raw!r} is not a date; left out")
        for label in split_semicolons(record.themes or ""):
            if emit.first((node, "theme", label)):
                emit.once(node, EK.theme, self._concept(emit, "theme", EK.Theme, label))
        for name in split_semicolons(record.managers or ""):
            if emit.first((node, "manager", name)):
                emit.once(node, EK.manager, self._person(emit, name))
        for label in split_semicolons(record.admin_units or ""):
            if emit.first((node, "admin-unit", label)):
                emit.once(node, EK.adminUnit, self._unit(emit, EK.AdminUnit, label))
        for label in split_semicolons(record.technical_units or ""):
            if emit.first((node, "technical-unit", label)):
                emit.once(node, EK.technicalUnit, self._unit(emit, EK.TechnicalUnit, label))
        for funding in split_semicolons(record.funding_sources or ""):
            if emit.first((node, "funding", funding)):
                self._funding(emit, node, funding, result)
        if record.project_symbols and emit.first((node, "projects", record.project_symbols)):
            for project in self._projects(emit, record.project_symbols, result):
                emit.once(node, EK.evaluatesProject, project)

    def _location(
        self, emit: "_Emitter", evaluation: NamedNode, country: str | None, region: str | None,
        result: MappedRecord,
    ) -> None:
        """A country/region pair; a "country" that names a region (`Africa - regional`,
        `Global`, `Central America`) is regional coverage, not a country."""
        home: NamedNode | None = None
        if region:
            known, node = self._region(emit, self.linkers.regions.resolve(region))
            emit.once(evaluation, EK.coversRegion, node)
            home = node if known.contains_its_countries else None
        if not country:
            return
        if (covered := self.linkers.regions.known(country)) is not None:
            emit.once(evaluation, EK.coversRegion, self._region(emit, covered)[1])
        elif (node := self._country(emit, country, home, result)) is not None:
            emit.once(evaluation, EK.coversCountry, node)
        else:
            emit.once(evaluation, DCTERMS.spatial, Literal(country))

    def _item(
        self, emit: "_Emitter", kind: ItemKind[Item], item: Item, evaluation: NamedNode,
        texts: "_TextTagger", result: MappedRecord,
    ) -> NamedNode | None:
        """The fields every kind of item has: identity, link to its evaluation, texts with the
        agencies they name, themes. None (and an error) for an item without an id."""
        number = parse_integer(item.id) if item.id else trailing_integer(item.url) if item.url else None
        if number is None:
            main = next((text for _, _, text in kind.texts(item) if text), None) or "?"
            result.errors.append(f"{kind.name.lower()} without an id or id-bearing url ({short_label(main)!r})")
            return None
        node = kind.mint(self.iris, number)
        emit(node, RDF.type, kind.cls)
        emit(node, kind.number, Literal(str(number), datatype=XSD.integer))
        emit(node, EK.ofEvaluation, evaluation)
        emit(evaluation, kind.link, node)
        if item.url:
            emit(node, SCHEMA.url, NamedNode(item.url.strip()))
        labelled = False
        for field_name, prop, text in kind.texts(item):
            if not text:
                continue
            literal = texts.literal(text)
            emit(node, prop, literal)
            if not labelled:
                emit(node, RDFS.label, Literal(short_label(text), language=literal.language))
                labelled = True
            self._mentions(emit, node, field_name, texts.mentions(text))
        if not labelled:
            emit(node, RDFS.label, Literal(f"{kind.name} {number}", language="en"))
        self._themes(emit, node, item.themes)
        return node

    def _recommendation(
        self, emit: "_Emitter", node: NamedNode, rec: RecommendationRecord, evaluation: NamedNode,
        result: MappedRecord,
    ) -> None:
        """The fields only recommendations have: ordinal, conclusions, date, follow-up, units, projects."""
        if rec.title:
            if (ordinal := parse_ordinal(rec.title)) is not None:
                emit(node, EK.ordinal, Literal(str(ordinal), datatype=XSD.integer))
            for conclusion in parse_related_conclusions(rec.title):
                emit(node, EK.relatedConclusion, Literal(str(conclusion), datatype=XSD.integer))
        if rec.date and (day := parse_date(rec.date)):
            emit(node, DCTERMS.date, Literal(day.isoformat(), datatype=XSD.date))
        if rec.management_response:
            status = self._concept(emit, "response-status", EK.ResponseStatus, _tidy(rec.management_response))
            emit(node, EK.managementResponse, status)
        if rec.progress:
            emit(node, EK.progress, self._concept(emit, "progress-status", EK.ProgressStatus, _tidy(rec.progress)))
        for unit_label in split_list(rec.admin_units or ""):
            emit.once(node, EK.adminUnit, self._unit(emit, EK.AdminUnit, unit_label))
        if rec.information_source:
            emit(node, EK.informationSource, Literal(rec.information_source))
        for project in self._projects(emit, rec.project_symbols or "", result):
            emit(node, EK.project, project)
            emit.once(evaluation, EK.evaluatesProject, project)

    def _themes(self, emit: "_Emitter", node: NamedNode, themes: tuple[ThemeRecord, ...]) -> None:
        for pair in themes:
            theme = self._concept(emit, "theme", EK.Theme, pair.theme) if pair.theme else None
            if theme:
                emit.once(node, EK.theme, theme)
            if pair.category:
                category = self._concept(emit, "category", EK.Category, pair.category)
                emit.once(node, EK.category, category)
                if theme:
                    emit.once(category, SKOS.broader, theme)

    def _mentions(self, emit: "_Emitter", node: NamedNode, field_name: str, mentions: list[Mention]) -> None:
        for mention in mentions:
            mention_node = self.iris.mention(node, field_name, mention.start)
            emit.once(node, EK.mentions, mention.organization)
            emit(node, EK.hasMention, mention_node)  # makes it an ek:Mention (the property's range)
            emit(mention_node, EK.mentionOf, mention.organization)
            emit(mention_node, EK.surfaceForm, Literal(mention.surface_form))
            emit(mention_node, EK.sourceField, Literal(field_name))

    def _concept(self, emit: "_Emitter", scheme: str, cls: NamedNode, label: str) -> NamedNode:
        """A SKOS concept of one of the record's controlled vocabularies (themes, statuses...)."""
        node = self.iris.concept(scheme, label)
        if emit.first(node):
            emit(node, RDF.type, cls)
            emit(node, RDF.type, SKOS.Concept)
            emit(node, SKOS.prefLabel, Literal(label, language="en"))
            emit(node, RDFS.label, Literal(label, language="en"))
            emit(node, SKOS.inScheme, self.iris.scheme(scheme))
        return node

    def _unit(self, emit: "_Emitter", cls: NamedNode, label: str) -> NamedNode:
        """An ILO unit; administrative and technical units share one namespace, so a unit that
        is both has both classes."""
        unit = self.iris.unit(label)
        if emit.first(unit):
            emit(unit, RDFS.label, Literal(label))
            emit(unit, SKOS.prefLabel, Literal(label))
            emit(unit, ORG.unitOf, self.iris.organization("ILO"))
        if emit.first((unit, cls)):
            emit(unit, RDF.type, cls)
        return unit

    def _person(self, emit: "_Emitter", name: str) -> NamedNode:
        person = self.iris.person(name)
        if emit.first(person):
            emit(person, RDF.type, EK.Person)
            emit(person, SCHEMA.name, Literal(name))
            emit(person, RDFS.label, Literal(name))
        return person

    def _funding(self, emit: "_Emitter", evaluation: NamedNode, funding: str, result: MappedRecord) -> None:
        """`Donor country, Funding agency` (or either alone): the country as `ek:donor`, the
        agency as `ek:fundedBy`."""
        head, _, rest = funding.partition(",")
        if rest and self.linkers.countries.resolve(head):
            donor, agency = head, rest.strip()
        elif self.linkers.countries.resolve(funding):
            donor, agency = funding, ""  # a country alone: `Norway`
        else:
            donor, agency = None, funding
        country = self._country(emit, donor, None, result) if donor else None
        if country is not None:
            emit.once(evaluation, EK.donor, country)
        if agency:
            emit.once(evaluation, EK.fundedBy, self._funder(emit, agency, funding, country))

    def _funder(self, emit: "_Emitter", agency: str, funding: str, country: NamedNode | None) -> NamedNode:
        """The organization of the gazetteer an agency names exactly, else one of its own, named
        with its country (`Italy, Ministry of Foreign Affairs`: each country has one); an
        agency of a known organization (`European Commission, DGDEV`) is part of it."""
        mentions = self.linkers.organizations.find(agency)
        if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(agency)):
            return mentions[0].organization
        node = self.iris.organization(funding)
        if emit.first(node):
            emit(node, RDF.type, EK.Organization)
            emit(node, RDFS.label, Literal(funding))
            emit(node, SKOS.prefLabel, Literal(funding))
            if country is not None:
                emit(node, EK.donorCountry, country)
            if mentions and mentions[0].start == 0:
                emit(node, ORG.subOrganizationOf, mentions[0].organization)
        return node

    def _region(self, emit: "_Emitter", region: Region) -> tuple[Region, NamedNode]:
        """A region; one of the vocabulary's is described in the reference graph, another here."""
        node = self.iris.region(region.slug)
        if emit.first(node) and self.linkers.regions.known(region.slug) is None:
            self._describe_region(emit, node, region)
        return region, node

    def _describe_region(self, emit: "_Emitter", node: NamedNode, region: Region) -> None:
        emit(node, RDF.type, EK.Region)
        emit(node, RDF.type, SKOS.Concept)
        emit(node, SKOS.inScheme, self.iris.scheme("region"))
        for language, label in region.labels.items():
            emit(node, SKOS.prefLabel, Literal(label, language=language))
            emit(node, RDFS.label, Literal(label, language=language))
        if region.broader:
            emit(node, SKOS.broader, self.iris.region(region.broader))

    def _country(
        self, emit: "_Emitter", name: str, region: NamedNode | None, result: MappedRecord
    ) -> NamedNode | None:
        country = self.linkers.countries.resolve(name)
        if country is None:
            result.warnings.append(f"country {name!r} could not be resolved to an ISO code; kept as text")
            return None
        node = self.iris.country(country.alpha3)
        if region is not None and emit.first((node, region)):
            emit(node, EK.inRegion, region)
        return node

    def _describe_country(self, emit: "_Emitter", node: NamedNode, country: Country) -> None:
        emit(node, RDF.type, EK.Country)
        emit(node, EK.isoAlpha3, Literal(country.alpha3))
        if country.alpha2:
            emit(node, EK.isoAlpha2, Literal(country.alpha2))
        for language, label in country.names.items():
            emit(node, SKOS.prefLabel, Literal(label, language=language))
            emit(node, RDFS.label, Literal(label, language=language))
        emit(node, OWL.sameAs, EU_COUNTRY[country.alpha3])

    def _projects(self, emit: "_Emitter", symbols: str, result: MappedRecord) -> Iterator[NamedNode]:
        """The projects of a symbols field; placeholders (`NO_DC_SYMBOL_75`) are not projects."""
        for raw in split_list(symbols.replace(" ", "\n")):
            if is_placeholder(raw):
                continue
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


_CONCEPT_CLASSES = {
    "evaluation-type": "EvaluationType",
    "evaluation-timing": "EvaluationTiming",
    "evaluation-nature": "EvaluationNature",
}


def _tidy(label: str) -> str:
    """A controlled label with its runs of spaces (non-breaking ones included) as one space."""
    return " ".join(label.split())


ITEM_KINDS: dict[type, ItemKind] = {  # type: ignore[type-arg]
    RecommendationRecord: RECOMMENDATION, LessonRecord: LESSON, GoodPracticeRecord: GOOD_PRACTICE,
}


def _main_text(item: RecommendationRecord | LessonRecord | GoodPracticeRecord) -> str | None:
    """The text an item's label comes from: the first of its kind's texts."""
    return ITEM_KINDS[type(item)].texts(item)[0][2]


class _TextTagger:
    """Language-tagged literals for a record's texts, and the agencies they name.

    Each text gets the language detected in it; a text too short to tell gets the language of
    the record as a whole, worked out only when first needed. What is worked out is kept in
    `analysis`, which may come filled in (`Mapper.analyse`).
    """

    def __init__(
        self, record: EvaluationRecord, organizations: OrganizationMatcher, analysis: TextAnalysis | None = None
    ) -> None:
        self._record = record
        self._organizations = organizations
        self.analysis = analysis if analysis is not None else TextAnalysis()

    def literal(self, text: str) -> Literal:
        languages = self.analysis.languages
        if text not in languages:
            languages[text] = detect_language(text)
        return Literal(text, language=languages[text] or self._record_language())

    def mentions(self, text: str) -> list[Mention]:
        mentions = self.analysis.mentions
        if text not in mentions:
            mentions[text] = self._organizations.find(text)
        return mentions[text]

    def _record_language(self) -> str:
        if self.analysis.record_language is None:
            record = self._record
            texts = [record.eval_title or ""] + [_main_text(item) or "" for item in record.items]
            self.analysis.record_language = detect_language(" ".join(texts)) or UNDETERMINED_LANGUAGE
        return self.analysis.record_language


class _Emitter:
    """Appends triples to a quad list in one graph, and remembers which resources it described."""

    def __init__(self, quads: list[Quad], graph: NamedNode, described: set[Hashable]) -> None:
        self._quads = quads
        self._graph = graph
        self._described = described

    def first(self, key: Hashable) -> bool:
        """True the first time a shared resource (or any other key) is met in this graph:
        describe it then."""
        if key in self._described:
            return False
        self._described.add(key)
        return True

    def __call__(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        self._quads.append(Quad(subject, predicate, obj, self._graph))

    def once(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        """A triple that several fields may give (a region named by two locations): once per graph."""
        if self.first((subject, predicate, obj)):
            self(subject, predicate, obj)
