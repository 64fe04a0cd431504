"""The dataset description at /.well-known/void and /void: its figures are the store's."""

from __future__ import annotations

import hashlib

import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from tests.linked_data.conftest import BASE

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(BASE + "dataset")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _count(store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


@pytest.fixture(scope="module")
def void(app) -> rdflib.Graph:
    response = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.headers["Content-Location"] == "/void.ttl"
    return rdflib.Graph().parse(data=response.data, format="turtle")


def test_the_figures_are_the_stores(void, sample_store):
    store = sample_store.open_read_only()
    assert void.value(DATASET, VOID.triples) == Literal(_count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert void.value(DATASET, VOID.distinctSubjects) == Literal(
        _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"))
    classes = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
               for p in void.objects(DATASET, VOID.classPartition)}
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                  for p in void.objects(DATASET, VOID.propertyPartition)}
    for cls, entities in classes.items():
        assert entities == _count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}"), cls
    for prop, triples in properties.items():
        assert triples == _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{prop}> ?o }}"), prop
    assert void.value(DATASET, VOID.classes).toPython() == len(classes) == _count(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    assert void.value(DATASET, VOID.properties).toPython() == len(properties) == _count(
        store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    assert classes[URIRef("https://w3id.org/evalkg/ontology#Evaluation")] > 0


def test_it_names_the_endpoint_source_terms_and_uri_space(void):
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:8000/sparql")  # as kg serve prints it
    assert void.value(DATASET, DCTERMS.source) == URIRef("https://webapps.ilo.org/ievaldiscovery/")
    assert void.value(URIRef("https://webapps.ilo.org/ievaldiscovery/"), DCTERMS.publisher) == URIRef(
        "https://www.ilo.org/")
    rights = {literal.language: str(literal) for literal in void.objects(DATASET, DCTERMS.rights)}
    assert set(rights) == {"en", "es", "fr"}
    assert "i-eval Discovery" in rights["en"] and "claims no licence" in rights["en"]
    assert void.value(DATASET, VOID.uriSpace) == Literal(BASE)
    assert (DATASET, RDF.type, DCAT.Dataset) in void


def test_it_claims_no_licence_for_the_ilos_data(void):
    """The data are the ILO's, published under its terms: neither the dataset nor a dump states a licence."""
    assert list(void.triples((None, DCTERMS.license, None))) == []
    for distribution in void.objects(DATASET, DCAT.distribution):
        assert {literal.language for literal in void.objects(distribution, DCTERMS.rights)} == {"en", "es", "fr"}


def test_its_examples_are_the_first_evaluation_and_recommendation(void, sample_store):
    store = sample_store.open_read_only()
    expected = set()
    for cls, number in (("Evaluation", "evaluationNumber"), ("Recommendation", "recommendationNumber")):
        rows = store.query(f"PREFIX ek: <https://w3id.org/evalkg/ontology#> "
                           f"SELECT ?s WHERE {{ ?s a ek:{cls} ; ek:{number} ?n }} ORDER BY ?n LIMIT 1")
        expected.add(URIRef(next(iter(rows))["s"].value))
    assert set(void.objects(DATASET, VOID.exampleResource)) == expected


def test_it_describes_the_dumps_as_published(void, sample_dumps):
    dumps = {str(url).rsplit("/", 1)[1]: url for url in void.objects(DATASET, VOID.dataDump)}
    assert set(dumps) == {"evalkg.ttl.gz", "evalkg.nq.gz"}
    for name, url in dumps.items():
        assert str(url) == f"http://127.0.0.1:8000/dumps/{name}"
        distribution = next(d for d in void.objects(DATASET, DCAT.distribution)
                            if void.value(d, DCAT.downloadURL) == url)
        content = (sample_dumps / name).read_bytes()
        assert void.value(distribution, DCAT.byteSize).toPython() == len(content)
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert void.value(distribution, DCAT.compressFormat) == URIRef(
            "https://www.iana.org/assignments/media-types/application/gzip")
    media = {void.value(d, DCAT.mediaType) for d in void.objects(DATASET, DCAT.distribution)}
    assert URIRef("https://www.iana.org/assignments/media-types/text/turtle") in media


@pytest.mark.parametrize("extension, parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")])
def test_every_form_and_path_says_the_same(client, void, extension, parser):
    graph = rdflib.Graph().parse(data=client.get(f"/void.{extension}").data, format=parser)
    assert isomorphic(graph, void)
    assert client.get("/void", headers={"Accept": "text/turtle"}).data == client.get("/void.ttl").data


def test_browsers_get_a_page(client):
    response = client.get("/void", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.vary
    assert '</void.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]


# The classes of the new kinds, with the count the workbook gives where it gives one.
NEW_CLASSES = {"LessonLearned": 250, "GoodPractice": 135, "Evaluation": 247, "Recommendation": 198,
               "Person": None, "TechnicalUnit": None, "AdminUnit": None, "EvaluationType": None,
               "EvaluationTiming": 3, "EvaluationNature": None}


def test_every_class_partition_of_the_real_sample_counts_its_instances(real_client, real_store):
    response = real_client.get("/void.ttl")
    assert response.status_code == 200
    void = rdflib.Graph().parse(data=response.data, format="turtle")
    store = real_store.open_read_only()
    partitions = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
                  for p in void.objects(DATASET, VOID.classPartition)}
    expected = {URIRef(row[0].value): int(row[1].value) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")}
    assert partitions == expected
    for name, count in NEW_CLASSES.items():
        cls = URIRef(f"https://w3id.org/evalkg/ontology#{name}")
        assert partitions[cls] == _count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}") > 0
        if count is not None:
            assert partitions[cls] == count, name
