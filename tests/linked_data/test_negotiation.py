"""Dereferencing `/id/{rest}`: 303 to the negotiated document, each kind of resource in each form."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kg.iris import Iris
from tests.linked_data.conftest import BASE, INJECTION_KEY

EK = Namespace("https://w3id.org/evalkg/ontology#")
ID = Namespace(BASE)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser

RDF_FORMATS = {  # media type: (extension, rdflib parser)
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}
CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# Each kind of resource, with statements its description must hold: its own, one pointing at
# it (small fan-in), and a label of something it links to.
RESOURCES = {
    "evaluation/3471": [
        (ID["evaluation/3471"], RDF.type, EK.Evaluation),
        (ID["evaluation/3471"], EK.evaluationNumber, Literal(3471)),
        (ID["evaluation/3471"], EK.hasRecommendation, ID["recommendation/16089"]),
        (ID["recommendation/16089"], EK.ofEvaluation, ID["evaluation/3471"]),
        (ID["country/PER"], RDFS.label, Literal("Peru", lang="en")),
    ],
    "recommendation/16089": [
        (ID["recommendation/16089"], RDF.type, EK.Recommendation),
        (ID["recommendation/16089"], EK.ofEvaluation, ID["evaluation/3471"]),
        (ID["recommendation/16089"], EK.mentions, ID["organization/unhcr"]),
        (ID["recommendation/16089"], EK.project, ID["project/RLA-19-03-USA"]),
        (ID["evaluation/3471"], EK.hasRecommendation, ID["recommendation/16089"]),
        (ID["organization/unhcr"], SKOS.prefLabel,
         Literal("Office of the United Nations High Commissioner for Refugees", lang="en")),
    ],
    "country/PER": [
        (ID["country/PER"], EK.isoAlpha3, Literal("PER")),
        (ID["evaluation/3471"], EK.coversCountry, ID["country/PER"]),
    ],
    "region/americas": [
        (ID["region/americas"], RDF.type, EK.Region),
        (ID["evaluation/3471"], EK.coversRegion, ID["region/americas"]),
    ],
    "project/RLA-19-03-USA": [
        (ID["project/RLA-19-03-USA"], EK.projectSymbol, Literal("RLA/19/03/USA")),
        (ID["recommendation/16089"], EK.project, ID["project/RLA-19-03-USA"]),
    ],
    "organization/unhcr": [
        (ID["organization/unhcr"], EK.acronym, Literal("UNHCR")),
        (ID["recommendation/16089"], EK.mentions, ID["organization/unhcr"]),
        (ID["organization/un-system"], SKOS.prefLabel, Literal("United Nations system", lang="en")),
    ],
    "unit/dwt-co-lima": [
        (ID["unit/dwt-co-lima"], RDF.type, EK.AdminUnit),
        (ID["recommendation/16089"], EK.adminUnit, ID["unit/dwt-co-lima"]),
    ],
    "theme/organizational-issues": [
        (ID["theme/organizational-issues"], RDF.type, EK.Theme),
        (ID["recommendation/16089"], EK.theme, ID["theme/organizational-issues"]),
    ],
    "response-status/completed": [
        (ID["response-status/completed"], RDF.type, EK.ResponseStatus),
        (ID["recommendation/16089"], EK.managementResponse, ID["response-status/completed"]),
    ],
    "progress-status/partially-achieved": [
        (ID["progress-status/partially-achieved"], RDF.type, EK.ProgressStatus),
    ],
    "recommendation/16089/mention/text-947": [
        (ID["recommendation/16089/mention/text-947"], EK.mentionOf, ID["organization/un-system"]),
    ],
    "region/": [(ID["region/"], RDF.type, SKOS.ConceptScheme)],
}


def _parse(body: bytes, parser: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=parser, publicID=BASE)


@pytest.mark.parametrize("media_type", RDF_FORMATS)
@pytest.mark.parametrize("rest", RESOURCES)
def test_each_resource_in_each_rdf_form(client, rest, media_type):
    extension, parser = RDF_FORMATS[media_type]
    response = client.get(f"/id/{rest}", headers={"Accept": media_type})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/id/{rest}.{extension}"
    assert "Accept" in response.headers["Vary"]
    document = client.get(response.headers["Location"])
    assert document.status_code == 200
    assert document.mimetype == media_type
    graph = _parse(document.data, parser)
    for triple in RESOURCES[rest]:
        assert triple in graph, f"{rest} as {media_type} lacks {triple}"
    alternates = document.headers["Link"]
    assert f'</id/{rest}.html>; rel="alternate"; type="text/html"' in alternates


@pytest.mark.parametrize("rest", RESOURCES)
@pytest.mark.parametrize("accept", [CHROME, FIREFOX, "text/html"])
def test_browsers_get_the_page(client, rest, accept):
    response = client.get(f"/id/{rest}", headers={"Accept": accept})
    assert (response.status_code, response.headers["Location"]) == (303, f"/id/{rest}.html")
    page = client.get(response.headers["Location"], headers={"Accept": accept})
    assert page.status_code == 200 and page.mimetype == "text/html"
    for media_type, (extension, _) in RDF_FORMATS.items():
        assert f'</id/{rest}.{extension}>; rel="alternate"; type="{media_type}"' in page.headers["Link"]


def test_every_form_holds_the_same_graph(client):
    graphs = [_parse(client.get(f"/id/recommendation/16089.{ext}").data, parser)
              for ext, parser in RDF_FORMATS.values()]
    for graph in graphs[1:]:
        assert isomorphic(graph, graphs[0])


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.8, */*;q=0.1", "rdf"),
    ("text/html;q=0.1, application/n-triples", "nt"),
    ("application/n-triples;q=0.2, text/turtle;q=0.3, text/html;q=0.25", "ttl"),
    ("text/turtle;q=0, */*", "html"),
    ("*/*", "ttl"),
    ("text/*", "ttl"),
    ("text/*, text/html", "html"),
    ("application/json", "jsonld"),
    ("application/x-turtle", "ttl"),
    ("application/rdf+xml, text/rdf+xml, text/xml;q=0.9, text/turtle;q=0.8, application/ld+json;q=0.7", "rdf"),
    (None, "ttl"),
])
def test_q_values_choose_the_form(client, accept, expected):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/id/evaluation/3471", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/id/evaluation/3471.{expected}"


def test_a_client_accepting_no_form_gets_406_listing_them(client):
    response = client.get("/id/evaluation/3471", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)
    assert 'rel="alternate"' in response.headers["Link"]


def test_the_lang_parameter_survives_the_redirect(client):
    response = client.get("/id/country/PER?lang=es", headers={"Accept": "text/html"})
    assert response.headers["Location"] == "/id/country/PER.html?lang=es"


@pytest.mark.parametrize("extension, media_type", [
    ("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
    ("rdf", "application/rdf+xml"), ("html", "text/html"),
])
def test_unknown_iris_are_404_in_the_asked_form(client, extension, media_type):
    by_extension = client.get(f"/id/evaluation/999999.{extension}")
    by_accept = client.get("/id/evaluation/999999", headers={"Accept": media_type})
    for response in (by_extension, by_accept):
        assert response.status_code == 404
        assert response.mimetype == media_type
        assert f"{BASE}evaluation/999999" in response.get_data(as_text=True)
        if extension in ("ttl", "nt", "rdf", "jsonld"):
            parser = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}[extension]
            assert len(_parse(response.data, parser)) == 0
    assert "Accept" in by_accept.vary


def test_json_404_uses_the_servers_error_shape(client):
    body = client.get("/id/nothing/here.jsonld").get_json()
    assert body["error"]["status"] == 404 and "nothing/here" in body["error"]["message"]


def test_percent_encoded_iris_resolve(injection_client):
    graph = Iris().source_graph(INJECTION_KEY).value
    rest = graph[len(BASE):]
    assert "%3A" in rest
    response = injection_client.get(f"/id/{rest}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    document = injection_client.get(response.headers["Location"])
    assert document.status_code == 200
    assert (URIRef(graph), RDF.type, EK.SourceDocument) in _parse(document.data, "turtle")


def test_the_dataset_iri_leads_to_its_description(client):
    response = client.get("/id/dataset", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.headers["Location"]) == (303, "/void")
    assert client.get("/id/dataset.ttl").headers["Location"] == "/void.ttl"
    assert client.get("/id/").headers["Location"] == "/"


def test_documents_revalidate_with_etags(client):
    first = client.get("/id/country/PER.ttl")
    again = client.get("/id/country/PER.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
