"""Records to RDF: the seed maps to exactly the hand-checked graph; fields become typed values."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode
from rdflib import Graph

from kg.errors import MappingError
from kg.iris import Iris
from kg.mapping import Linkers, Mapper
from kg.namespaces import DCTERMS, EK, XSD
from kg.readers import read_records
from kg.records import EvaluationRecord, Location, RecommendationRecord
from tests.conftest import DATA, SEED
from tests.rdf_compare import assert_isomorphic, graph_of

IRIS = Iris()
GRAPH = NamedNode("https://example.org/graph")


@pytest.fixture(scope="module")
def mapper() -> Mapper:
    return Mapper(IRIS, Linkers.load(IRIS))


def _rec(**fields) -> EvaluationRecord:
    recommendation = RecommendationRecord(url="https://x/recommendations/5", **fields)
    return EvaluationRecord(source="t", eval_number="1", recommendations=(recommendation,))


def _objects(quads, predicate):
    return sorted(q.object for q in quads if q.predicate == predicate)


def test_seed_maps_to_the_hand_checked_graph(mapper):
    (record,) = read_records("seed", SEED.read_bytes(), "text")
    mapped = mapper.map(record, GRAPH)
    assert mapped.errors == [] and mapped.warnings == []
    assert {q.graph_name for q in mapped.quads} == {GRAPH}
    expected = Graph().parse(DATA / "expected" / "seed-16089.ttl", format="turtle")
    assert_isomorphic(graph_of(mapped.quads), expected)


@pytest.mark.parametrize("text", ["2023-04-20 00:00:00.0", "2023-04-20", "20/04/2023"])
def test_dates_become_xsd_date(mapper, text):
    quads = mapper.map(_rec(date=text), GRAPH).quads
    assert _objects(quads, DCTERMS.date) == [Literal("2023-04-20", datatype=XSD.date)]


@pytest.mark.parametrize(("text", "language"), [
    ("1. Strengthen the coordination between the project teams and the national partners.", "en"),
    ("1. Renforcer la coordination entre les équipes du projet et les partenaires nationaux.", "fr"),
    ("1. Fortalecer la coordinación entre los equipos del proyecto y los socios nacionales.", "es"),
])
def test_texts_carry_their_detected_language(mapper, text, language):
    quads = mapper.map(_rec(title=text), GRAPH).quads
    assert [o.language for o in _objects(quads, EK.text)] == [language]


def test_several_units_and_symbols_each_become_a_resource(mapper):
    quads = mapper.map(_rec(admin_units="DWT/CO-Bangkok, ROAP", project_symbols="RLA/19/03/USA; PER/20/01/CAN,GLO/18/20/CHE"), GRAPH).quads
    assert [o.value for o in _objects(quads, EK.adminUnit)] == [
        IRIS.base + "unit/dwt-co-bangkok", IRIS.base + "unit/roap"]
    assert [o.value for o in _objects(quads, EK.project)] == [
        IRIS.base + "project/GLO-18-20-CHE", IRIS.base + "project/PER-20-01-CAN", IRIS.base + "project/RLA-19-03-USA"]


def test_unknown_donor_code_is_kept_as_a_code_only(mapper):
    quads = mapper.map(_rec(project_symbols="TZA/20/51/ZZZ"), GRAPH).quads
    assert _objects(quads, EK.donorCode) == [Literal("ZZZ")]
    assert _objects(quads, EK.donor) == []


def test_unresolvable_country_is_reported_and_kept_as_text(mapper):
    record = EvaluationRecord(source="t", eval_number="1", locations=(Location("Atlantis", "Africa"),))
    mapped = mapper.map(record, GRAPH)
    assert mapped.warnings == ["country 'Atlantis' could not be resolved to an ISO code; kept as text"]
    assert _objects(mapped.quads, DCTERMS.spatial) == [Literal("Atlantis")]
    assert _objects(mapped.quads, EK.coversCountry) == []


def test_interregional_evaluations_do_not_place_countries_in_that_region(mapper):
    record = EvaluationRecord(source="t", eval_number="1", locations=(Location("Nepal", "Interregional"),))
    quads = mapper.map(record, GRAPH).quads
    assert _objects(quads, EK.coversRegion) == [NamedNode(IRIS.base + "region/interregional")]
    assert _objects(quads, EK.inRegion) == []


def test_record_without_eval_number_is_a_mapping_error(mapper):
    with pytest.raises(MappingError, match="no eval_number"):
        mapper.map(EvaluationRecord(source="f.json"), GRAPH)


def test_recommendation_without_url_is_reported_and_the_rest_mapped(mapper):
    good = RecommendationRecord(url="https://x/recommendations/7", title="1. Keep")
    bad = RecommendationRecord(title="2. Lost its url")
    mapped = mapper.map(EvaluationRecord(source="t", eval_number="1", recommendations=(bad, good)), GRAPH)
    assert mapped.recommendations == 1
    assert mapped.errors == ["recommendation without an id or id-bearing url ('2. Lost its url')"]
