"""A small store of texts written for these tests, in English, Spanish and French, with facets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from kg.namespaces import DCTERMS, EK, RDF, RDFS, XSD
from kg.search.index import update_index
from kg.search.searching import SearchIndex

ID = "https://w3id.org/evalkg/id/"
E1, E2 = ID + "evaluation/1", ID + "evaluation/2"
R1 = ID + "recommendation/11"
L1, L2 = ID + "lesson/21", ID + "lesson/22"
G1 = ID + "good-practice/31"
AFRICA, SENEGAL, UNHCR = ID + "region/africa", ID + "country/SEN", ID + "organization/unhcr"
THEME, COMPLETED = ID + "theme/migration", ID + "response-status/completed"


def statements() -> list[tuple[str, NamedNode, object]]:
    """(subject, property, object) of the test store; objects are IRIs (str) or literals."""
    def text(value: str, lang: str) -> Literal:
        return Literal(value, language=lang)

    return [
        (E1, RDF.type, EK.Evaluation),
        (E1, DCTERMS.title, text("Promoting social protection floors in Africa", "en")),
        (E1, EK.coversRegion, AFRICA),
        (E1, EK.completionDate, Literal("2020-11-30", datatype=XSD.date)),
        (R1, RDF.type, EK.Recommendation),
        (R1, EK.ofEvaluation, E1),
        (R1, EK.text, text("Fortalecer la migración laboral y la protección social con ACNUR", "es")),
        (R1, EK.actionPlan, text("Se preparará una nota conceptual", "es")),
        (R1, EK.theme, THEME),
        (R1, EK.mentions, UNHCR),
        (R1, EK.managementResponse, COMPLETED),
        (R1, DCTERMS.date, Literal("2021-05-03", datatype=XSD.date)),
        (E2, RDF.type, EK.Evaluation),
        (E2, DCTERMS.title, text("Programme de promotion du dialogue social en Afrique francophone", "fr")),
        (E2, EK.coversCountry, SENEGAL),
        (E2, EK.plannedCompletionDate, Literal("2019-06-30", datatype=XSD.date)),
        (SENEGAL, EK.inRegion, AFRICA),
        (L1, RDF.type, EK.LessonLearned),
        (L1, EK.ofEvaluation, E2),
        (L1, EK.text, text("Le dialogue social n'est pas une fin en soi", "fr")),
        (L2, RDF.type, EK.LessonLearned),
        (L2, EK.ofEvaluation, E2),
        (L2, EK.text, text("Child labour in cocoa farming declined where schools were built", "en")),
        (G1, RDF.type, EK.GoodPractice),
        (G1, EK.ofEvaluation, E2),
        (G1, EK.text, text("Social dialogue committees met monthly with the children's parents", "en")),
        (AFRICA, RDFS.label, text("Africa", "en")),
        (AFRICA, RDFS.label, text("África", "es")),
        (SENEGAL, RDFS.label, text("Senegal", "en")),
        (UNHCR, RDFS.label, text("UNHCR", "en")),
        (THEME, RDFS.label, text("Migration", "en")),
        (COMPLETED, RDFS.label, text("Completed", "en")),
    ]


def make_store(triples: list[tuple[str, NamedNode, object]]) -> Store:
    store = Store()
    for subject, predicate, obj in triples:
        term = NamedNode(obj) if isinstance(obj, str) else obj
        store.add(Quad(NamedNode(subject), predicate, term, DefaultGraph()))  # type: ignore[arg-type]
    return store


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    path = tmp_path / "search.sqlite"
    update_index(make_store(statements()), path, None)
    return SearchIndex(path)
