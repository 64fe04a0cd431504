"""Every record kind to RDF: exact triples for an evaluation with a lesson and a good practice,
and the real export's quirks (regional coverage, placeholders, funding sources, repeated rows)."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode
from rdflib import Graph

from kg.iris import Iris
from kg.mapping import Linkers, Mapper
from kg.namespaces import DCTERMS, EK, RDF
from kg.records import (
    EvaluationRecord,
    GoodPracticeRecord,
    LessonRecord,
    Location,
    RecommendationRecord,
    ThemeRecord,
)
from tests.conftest import DATA
from tests.rdf_compare import assert_isomorphic, graph_of

IRIS = Iris()
GRAPH = NamedNode("https://example.org/graph")
ID = IRIS.base

RECORD = EvaluationRecord(
    source="t", eval_number="648", eval_title="Final evaluation of the cooperative development project",
    eval_url="https://webapps.ilo.org/ievaldiscovery/#eval_id=648",
    locations=(Location("Cameroon", "Africa"), Location("Africa - regional", "Africa")),
    themes="Cooperative; Child labour", evaluation_type="Project\u00a0-\u00a0Joint\u00a0evaluation",
    evaluation_timing="Final", evaluation_nature="Independent", document_type="unknown", completion_date="2010-04-01",
    managers="Manager1, Evaluation", admin_units="DWT/CO-Yaounde", technical_units="EMP/POLICY",
    funding_sources="Netherlands, Ministry of Foreign Affairs; United Nations Development Programme",
    project_symbols="CMR/06/50/NET; NO_DC_SYMBOL_75",
    lessons=(LessonRecord(id="151079", url="https://webapps.ilo.org/ievaldiscovery/lessons/151079",
                          description="The members of the cooperatives trained with UNICEF kept their businesses going.",
                          themes=(ThemeRecord("Cooperative"),)),),
    good_practices=(GoodPracticeRecord(
        id="162923", description="Young people trained in foreign languages found work abroad.",
        context="Employment services in the capital were weak.",
        cause_effect="Training in languages led to jobs with the support of the IOM.",
        indicators="Three hundred young people placed in jobs.",
        replication="Any employment service with a language centre.",
        links="DWCP outcome 2", themes=(ThemeRecord("Youth employment"),)),),
)


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(IRIS, Linkers.load(IRIS))


def _objects(quads, subject, predicate):
    return sorted(str(q.object) for q in quads if q.subject == subject and q.predicate == predicate)


def test_an_evaluation_with_a_lesson_and_a_good_practice_maps_to_the_hand_checked_graph(mapper):
    mapped = mapper.map(RECORD, GRAPH)
    assert (mapped.errors, mapped.warnings, mapped.lessons, mapped.good_practices) == ([], [], 1, 1)
    expected = Graph().parse(DATA / "expected" / "kinds-648.ttl", format="turtle")
    assert_isomorphic(graph_of(mapped.quads), expected)


def test_the_rows_of_an_export_repeat_their_evaluation_whose_fields_are_stated_once(mapper):
    described: set = set()
    first = mapper.map(RECORD, GRAPH, described).quads
    again = mapper.map(RECORD, GRAPH, described).quads
    evaluation = NamedNode(ID + "evaluation/648")
    assert len([q for q in first if q.subject == evaluation]) == 23
    assert [q for q in again if q.subject == evaluation and q.predicate not in (EK.hasLesson, EK.hasGoodPractice)] == []


@pytest.mark.parametrize(("country", "region"), [
    ("Africa - regional", "africa"), ("Inter-Regional", "interregional"), ("Global", "global"),
    ("Central America", "central-america"), ("Asia and the Pacific - regional", "asia-and-the-pacific"),
])
def test_regional_coverage_in_the_country_column_is_a_region_never_a_country_or_a_warning(mapper, country, region):
    record = EvaluationRecord(source="t", eval_number="1", locations=(Location(country, None),))
    mapped = mapper.map(record, GRAPH)
    evaluation = NamedNode(ID + "evaluation/1")
    assert mapped.warnings == []
    assert _objects(mapped.quads, evaluation, EK.coversRegion) == [f"<{ID}region/{region}>"]
    assert _objects(mapped.quads, evaluation, EK.coversCountry) == []
    assert _objects(mapped.quads, evaluation, DCTERMS.spatial) == []


def test_central_america_lies_in_the_americas(mapper):
    region = NamedNode(ID + "region/central-america")
    assert _objects(mapper.reference_descriptions(GRAPH), region, NamedNode("http://www.w3.org/2004/02/skos/core#broader")) == [
        f"<{ID}region/americas>"]


def test_countries_and_known_regions_are_described_in_the_reference_not_in_each_source(mapper):
    """A source graph links to a country or a region of the vocabulary, and states the region a
    record puts the country in; their labels and codes are the reference graph's, once."""
    record = EvaluationRecord(source="t", eval_number="1", locations=(Location("Peru", "Americas"),
                                                                      Location("Atlantis Islands", "Atlantic Rim")))
    mapped = mapper.map(record, GRAPH)
    peru, americas = NamedNode(ID + "country/PER"), NamedNode(ID + "region/americas")
    assert [q.predicate for q in mapped.quads if q.subject == peru] == [EK.inRegion]
    assert not [q for q in mapped.quads if q.subject == americas]
    unknown = NamedNode(ID + "region/atlantic-rim")
    assert _objects(mapped.quads, unknown, RDF.type) == ["<http://www.w3.org/2004/02/skos/core#Concept>", f"<{EK.Region.value}>"]
    reference = mapper.reference_descriptions(GRAPH)
    assert _objects(reference, peru, EK.isoAlpha3) == ['"PER"']
    assert '"Perú"@es' in _objects(reference, peru, NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"))
    assert _objects(reference, americas, RDF.type) == ["<http://www.w3.org/2004/02/skos/core#Concept>", f"<{EK.Region.value}>"]
    assert len({q.subject for q in reference if q.predicate == EK.isoAlpha3}) >= 249


@pytest.mark.parametrize(("funding", "donor", "funder"), [
    ("USA, United States Department of Labor, Bureau for International Labor Affairs", "USA",
     "usa-united-states-department-of-labor-bureau-for-international-labor-affairs"),
    ("Norway", "NOR", None),
    ("United Nations Development Programme", None, "undp"),
    ("European Commission, DGDEV", None, "european-commission-dgdev"),
    ("Global Issues Group, Washington, USA", None, "global-issues-group-washington-usa"),
])
def test_a_funding_source_gives_its_donor_country_and_its_agency(mapper, funding, donor, funder):
    mapped = mapper.map(EvaluationRecord(source="t", eval_number="1", funding_sources=funding), GRAPH)
    evaluation = NamedNode(ID + "evaluation/1")
    assert _objects(mapped.quads, evaluation, EK.donor) == ([f"<{ID}country/{donor}>"] if donor else [])
    assert _objects(mapped.quads, evaluation, EK.fundedBy) == ([f"<{ID}organization/{funder}>"] if funder else [])


def test_an_agency_of_a_known_organization_is_part_of_it(mapper):
    mapped = mapper.map(EvaluationRecord(source="t", eval_number="1", funding_sources="European Commission, DGDEV"), GRAPH)
    agency = NamedNode(ID + "organization/european-commission-dgdev")
    assert _objects(mapped.quads, agency, NamedNode("http://www.w3.org/ns/org#subOrganizationOf")) == [
        f"<{ID}organization/ec>"]


def test_the_same_ministry_of_two_countries_is_two_organizations(mapper):
    record = EvaluationRecord(source="t", eval_number="1", funding_sources=(
        "Italy, Ministry of Foreign Affairs; Norway, Ministry of Foreign Affairs"))
    funders = _objects(mapper.map(record, GRAPH).quads, NamedNode(ID + "evaluation/1"), EK.fundedBy)
    assert funders == [f"<{ID}organization/italy-ministry-of-foreign-affairs>",
                       f"<{ID}organization/norway-ministry-of-foreign-affairs>"]


def test_placeholder_symbols_are_not_projects(mapper):
    record = EvaluationRecord(source="t", eval_number="1", project_symbols="NO_DC_SYMBOL_75", recommendations=(
        RecommendationRecord(id="5", title="1. Keep going.", project_symbols="NO_DC_SYMBOL_12; EGY/11/06/USA\t"),))
    quads = mapper.map(record, GRAPH).quads
    assert sorted({str(q.subject) for q in quads if q.predicate == RDF.type and q.object == EK.Project}) == [
        f"<{ID}project/EGY-11-06-USA>"]


def test_recommendation_comments_are_a_text_whose_agencies_are_found(mapper):
    record = EvaluationRecord(source="t", eval_number="1", recommendations=(
        RecommendationRecord(id="5", title="1. Strengthen the partnerships with national institutions.",
                             comments="Agreed jointly with ACNUR and the Ministry in the last meeting."),))
    quads = mapper.map(record, GRAPH).quads
    recommendation = NamedNode(ID + "recommendation/5")
    assert [q.object for q in quads if q.subject == recommendation and q.predicate == EK.comments] == [
        Literal("Agreed jointly with ACNUR and the Ministry in the last meeting.", language="en")]
    assert _objects(quads, recommendation, EK.mentions) == [f"<{ID}organization/unhcr>"]
    assert _objects(quads, NamedNode(ID + "recommendation/5/mention/comments-20"), EK.sourceField) == ['"comments"']


def test_an_item_without_an_id_is_an_error_and_the_rest_is_mapped(mapper):
    record = EvaluationRecord(source="t", eval_number="1", lessons=(
        LessonRecord(description="Lost its id."), LessonRecord(id="7", description="Kept.")))
    mapped = mapper.map(record, GRAPH)
    assert mapped.errors == ["lesson learned without an id or id-bearing url ('Lost its id.')"]
    assert mapped.lessons == 1
