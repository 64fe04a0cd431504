"""The sample build conforms to the SHACL shapes; broken graphs do not."""

import json

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF

from kg.sources import find_sources
from kg.validate import union_graph, validate_graph
from tests.conftest import CORPUS

EK = Namespace("https://w3id.org/evalkg/ontology#")
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_sample_store_conforms(sample_store):
    result = validate_graph(union_graph(sample_store.open_read_only()))
    assert result.conforms, result.report
    assert result.violations == 0


def test_broken_graph_violates_the_shapes(sample_store):
    graph = union_graph(sample_store.open_read_only())
    evaluation = URIRef("https://w3id.org/evalkg/id/evaluation/3471")
    recommendation = URIRef("https://w3id.org/evalkg/id/recommendation/16089")
    graph.add((evaluation, EK.evaluationNumber, Literal("not a number")))
    graph.remove((recommendation, EK.ofEvaluation, None))
    graph.add((URIRef("https://w3id.org/evalkg/id/country/XXX"), RDF.type, EK.Country))
    graph.add((recommendation, EK.ordinal, Literal(0, datatype=INTEGER)))
    result = validate_graph(graph)
    assert not result.conforms
    assert result.violations >= 4
    for focus in ("evaluation/3471", "recommendation/16089", "country/XXX"):
        assert focus in result.report


def test_the_real_export_sample_conforms(real_store):
    result = validate_graph(union_graph(real_store.open_read_only()))
    assert result.conforms, result.report


def test_a_lesson_without_its_evaluation_or_text_violates_the_shapes(real_store):
    graph = union_graph(real_store.open_read_only())
    lesson = URIRef("https://w3id.org/evalkg/id/lesson/151079")
    graph.remove((lesson, EK.ofEvaluation, None))
    graph.remove((lesson, EK.text, None))
    graph.add((URIRef("https://w3id.org/evalkg/id/evaluation/648"), EK.completionDate, Literal("April 2010")))
    result = validate_graph(graph)
    assert result.violations == 4  # no evaluation, no text; a date not typed, and a second date
    assert "lesson/151079" in result.report and "evaluation/648" in result.report


def test_an_evaluation_given_two_titles_by_two_sources_violates_the_shapes(tmp_path, builder_factory):
    """Issue 18: an edited copy of a record built beside the original left two titles, and the
    store still 'conformed'."""
    folder = tmp_path / "records"
    folder.mkdir()
    original = json.loads((CORPUS / "ilo-evaluation-3590.json").read_text("utf-8"))
    (folder / "original.json").write_text(json.dumps(original), "utf-8")
    (folder / "edited-copy.json").write_text(json.dumps({**original, "eval_title": "Edited title"}), "utf-8")
    builder = builder_factory(tmp_path / "store")
    builder.build(find_sources([str(folder)])[0])
    result = validate_graph(union_graph(builder.store.open_read_only()))
    assert not result.conforms
    assert "evaluation/3590" in result.report and "exactly one dcterms:title" in result.report
