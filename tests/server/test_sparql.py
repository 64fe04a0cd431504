"""The SPARQL endpoint of a running `kg serve`: the three ways to query, formats, dataset, limits."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import httpx
import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import Graph

from tests.server.conftest import MAX_ROWS, TOKEN, read_count

pytestmark = pytest.mark.slow

EVALUATIONS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ek:Evaluation }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def count_of(response: httpx.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_query_by_get_form_post_and_direct_post_agree(client, served_store) -> None:
    expected = read_count(served_store, EVALUATIONS)
    assert expected > 0
    by_get = client.get("/sparql", params={"query": EVALUATIONS})
    by_form = client.post("/sparql", data={"query": EVALUATIONS})
    by_body = client.post("/sparql", content=EVALUATIONS, headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert count_of(response) == expected


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_by_accept_with_q_values(client, accept: str, media_type: str) -> None:
    query = "SELECT ?e ?n WHERE { ?e ek:evaluationNumber ?n } ORDER BY ?n LIMIT 3"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    if media_type == "text/csv":  # pyoxigraph reads no CSV results: the format loses term types
        rows = list(csv.DictReader(io.StringIO(response.text)))
    else:
        formats = {"application/sparql-results+json": QueryResultsFormat.JSON,
                   "application/sparql-results+xml": QueryResultsFormat.XML,
                   "text/tab-separated-values": QueryResultsFormat.TSV}
        rows = list(parse_query_results(response.content, format=formats[media_type]))
    assert len(rows) == 3


@pytest.mark.parametrize(("name", "media_type"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_overrides_accept(client, name: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "format": name},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(("accept", "rdf_format"), [
    ("text/turtle", RdfFormat.TURTLE), ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/n-quads", RdfFormat.N_QUADS), ("application/rdf+xml", RdfFormat.RDF_XML),
    ("application/ld+json", RdfFormat.JSON_LD),
])
def test_construct_and_describe_in_every_rdf_format(client, accept: str, rdf_format: RdfFormat) -> None:
    construct = "CONSTRUCT { ?e ek:evaluationNumber ?n } WHERE { ?e ek:evaluationNumber ?n }"
    for query in (construct, "DESCRIBE ?e WHERE { ?e ek:evaluationNumber 3471 }"):
        response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == accept
        assert list(parse(response.content, format=rdf_format))


def test_construct_turtle_uses_the_evalkg_prefixes(client) -> None:
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?e a ek:Evaluation } LIMIT 2"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert "@prefix ek: <https://w3id.org/evalkg/ontology#>" in response.text


def test_ask_in_json_and_xml(client) -> None:
    assert client.get("/sparql", params={"query": "ASK { ?e a ek:Evaluation }"}).json()["boolean"] is True
    xml = client.get("/sparql", params={"query": "ASK { ?e a ek:Nothing }"},
                     headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>false</boolean>" in xml.text


@pytest.mark.parametrize(("name", "accept", "body"), [("csv", "text/csv", "true\r\n"),
                                                     ("tsv", "text/tab-separated-values", "true\n")])
def test_ask_in_csv_and_tsv_is_the_one_word_as_kg_query_writes_it(client, name: str, accept: str, body: str) -> None:
    response = client.get("/sparql", params={"query": "ASK { ?e a ek:Evaluation }"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == accept
    assert response.text == body
    by_name = client.get("/sparql", params={"query": "ASK { ?e a ek:Nothing }", "format": name})
    assert by_name.headers["content-type"].split(";")[0] == accept and by_name.text.strip() == "false"


@pytest.mark.parametrize(("query", "formats", "media_type"), [
    ("CONSTRUCT WHERE { ?s a ek:Evaluation } LIMIT 1", ["json-ld", "application/ld+json,application/x-json+ld"],
     "application/ld+json"),
    ("CONSTRUCT WHERE { ?s a ek:Evaluation } LIMIT 1", ["n3"], "text/turtle"),
    ("CONSTRUCT WHERE { ?s a ek:Evaluation } LIMIT 1", ["rdf+xml", "application/rdf+xml"], "application/rdf+xml"),
    ("SELECT * WHERE { ?s a ek:Evaluation } LIMIT 1", ["tsv", "text/tab-separated-values"],
     "text/tab-separated-values"),
    ("SELECT * WHERE { ?s a ek:Evaluation } LIMIT 1", ["yaml,csv"], "text/csv"),
    ("SELECT * WHERE { ?s a ek:Evaluation } LIMIT 1", ["turtle"], "application/sparql-results+xml"),
])
def test_repeated_and_comma_separated_formats_the_first_that_fits_wins_else_accept(
        client, query: str, formats: list[str], media_type: str) -> None:
    """As SPARQLWrapper sends them; a format that does not fit the result leaves it to Accept."""
    params = [("query", query)] + [("format", value) for value in formats]
    accept = {"Accept": "application/sparql-results+xml, text/turtle;q=0.5"}
    for response in (client.get("/sparql", params=params, headers=accept),
                     client.post("/sparql", content=urlencode(params), headers={**accept, **FORM})):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type


def test_an_accept_that_cannot_be_met_is_406(client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "ASK" in response.text and "application/sparql-results+json" in response.text
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                           headers={"Accept": "application/sparql-results+json"})
    assert construct.status_code == 406


def test_unknown_format_parameter_is_400(client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "format": "yaml"})
    assert response.status_code == 400
    assert "unknown format" in response.text


def test_bad_query_is_400_with_the_parser_message(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "query syntax error: the query ends too early, at line 1, column 24;" in response.text


def test_wrong_method_is_405_with_allow(client) -> None:
    response = client.request("PUT", "/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert "POST" in response.headers["allow"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json", "application/sparql-results+json"])
def test_wrong_content_type_is_415(client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", content="ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


def test_non_utf8_bodies_and_parameters_are_400(client) -> None:
    latin1 = 'SELECT * WHERE { ?s ?p "café" }'.encode("latin-1")
    direct = client.post("/sparql", content=latin1, headers={"Content-Type": "application/sparql-query"})
    form = client.post("/sparql", content=b"query=ASK%20%7B%22caf%E9%22%20%3Fp%20%3Fo%7D", headers=FORM)
    url = client.get("/sparql?query=ASK%20%7B%22caf%E9%22%20%3Fp%20%3Fo%7D")
    utf16 = client.post("/sparql", content="ASK {}".encode("utf-16"),
                        headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    for response in (direct, form, url, utf16):
        assert response.status_code == 400, response.text
        assert "UTF-8" in response.text


def test_utf8_query_text_works(client) -> None:
    query = 'ASK { ?country skos:prefLabel ?name FILTER(CONTAINS(?name, "é")) }'
    response = client.post("/sparql", content=query.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert response.status_code == 200, response.text


def test_body_over_the_limit_is_413(client) -> None:
    huge = "# " + "x" * (1024 * 1024 + 10) + "\nASK {}"
    response = client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413
    assert "larger than this server accepts" in response.text


def test_select_is_cut_at_the_row_cap_and_says_so(client, served_store) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    assert read_count(served_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") > MAX_ROWS
    for accept in ("application/sparql-results+json", "text/csv"):
        response = client.get("/sparql", params={"query": everything}, headers={"Accept": accept})
        assert response.headers["x-evalkg-truncated"] == "true"
        if accept == "text/csv":
            assert len(list(csv.reader(io.StringIO(response.text)))) == MAX_ROWS + 1
        else:
            assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    small = client.get("/sparql", params={"query": everything + f" LIMIT {MAX_ROWS}"})
    assert "x-evalkg-truncated" not in small.headers
    assert len(small.json()["results"]["bindings"]) == MAX_ROWS


def test_construct_is_cut_at_the_row_cap(client) -> None:
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/n-triples"})
    assert response.headers["x-evalkg-truncated"] == "true"
    assert len(response.text.strip().splitlines()) <= MAX_ROWS


def test_default_graph_is_the_merge_of_all_named_graphs(client, served_store) -> None:
    merged = read_count(served_store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                      "WHERE { GRAPH ?g { ?s ?p ?o } } }")
    answer = count_of(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}))
    assert answer == merged > 0


def test_protocol_dataset_and_from_clauses_replace_the_union(client, served_store) -> None:
    store = served_store.open_read_only()
    graph = next(iter(store.named_graphs())).value
    in_graph = read_count(served_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    by_parameter = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                                 "default-graph-uri": graph})
    by_from = client.get("/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"})
    nothing = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                            "named-graph-uri": graph})
    assert count_of(by_parameter) == count_of(by_from) == in_graph
    assert count_of(nothing) == 0


def test_version_parameter(client) -> None:
    assert client.get("/sparql", params={"query": "ASK {}", "version": "1.2"}).status_code == 200
    several = client.get("/sparql", params=[("query", "ASK {}"), ("version", "1.1"), ("version", "1.2")])
    assert several.status_code == 400
    assert client.get("/sparql", params={"query": "ASK {}", "version": "2.0"}).status_code == 400
    in_media_type = client.post("/sparql", content="ASK {}",
                                headers={"Content-Type": "application/sparql-query; version=1.2"})
    assert in_media_type.status_code == 200


def test_relative_iris_resolve_against_the_endpoint(client, server) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"})
    assert response.json()["results"]["bindings"][0]["x"]["value"] == server.url + "/thing"


def test_predeclared_prefixes(client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?p WHERE { BIND(skos:prefLabel AS ?p) }"})
    assert response.json()["results"]["bindings"][0]["p"]["value"] == "http://www.w3.org/2004/02/skos/core#prefLabel"


def test_service_description_for_non_browsers(client, server) -> None:
    response = client.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = server.endpoint
    query = f"""ASK {{ <{endpoint}> a <{sd}Service> ; <{sd}endpoint> <{endpoint}> ;
        <{sd}supportedLanguage> <{sd}SPARQL11Query>, <{sd}SPARQL11Update> ;
        <{sd}feature> <{sd}UnionDefaultGraph>, <{sd}BasicFederatedQuery> ;
        <{sd}resultFormat> <http://www.w3.org/ns/formats/SPARQL_Results_JSON> }}"""
    assert graph.query(query).askAnswer
    for accept, rdf_format in [("application/rdf+xml", RdfFormat.RDF_XML), ("application/ld+json", RdfFormat.JSON_LD),
                               ("application/n-triples", RdfFormat.N_TRIPLES)]:
        other = client.get("/sparql", headers={"Accept": accept})
        assert other.headers["content-type"].split(";")[0] == accept
        assert len(list(parse(other.content, format=rdf_format))) == len(graph)


def test_browsers_get_the_query_ui_with_security_headers(client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    page = client.get("/sparql", headers={"Accept": accept})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "yasgui.min.js" in page.text and "Recommendations by country" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "https:" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"]
    assert 'rel="alternate"; type="text/turtle"' in page.headers["link"]
    for asset in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/static/sparql-ui.js"):
        assert client.get(asset).status_code == 200


def test_the_ui_page_embeds_its_configuration_as_inert_json(client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    start = page.index('<script type="application/json" id="evalkg-config">') + len(
        '<script type="application/json" id="evalkg-config">')
    config = json.loads(page[start: page.index("</script>", start)])
    assert config["endpoint"] == "/sparql"
    assert [e["title"] for e in config["examples"]][:4] == [
        "Recommendations by country", "Agencies per project", "Management response over time",
        "Open recommendations per admin unit"]
    assert all("PREFIX ek: <https://w3id.org/evalkg/ontology#>" in e["query"] for e in config["examples"])


def test_cors_on_the_endpoint(client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "X-Evalkg-Truncated" in response.headers["access-control-expose-headers"]
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    error = client.get("/sparql", params={"query": "ASK {"}, headers={"Origin": "https://example.org"})
    assert error.headers["access-control-allow-origin"] == "*"


def test_head_requests(client) -> None:
    head = client.head("/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200 and head.headers["content-type"] == "application/sparql-results+json"
    assert client.head("/sparql").headers["content-type"].startswith("text/turtle")


def test_the_ui_links_the_service_description(client) -> None:
    link = client.get("/sparql", headers={"Accept": "text/html"}).headers["link"]
    target = link.split(">")[0].lstrip("<")
    described = client.get(target, headers={"Accept": "text/html"})
    assert described.headers["content-type"].startswith("text/turtle")


def test_healthz(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


UNWRITABLE = "http://example.org/property/1"  # ends in a digit: no XML element name


@pytest.mark.parametrize("accept", ["application/rdf+xml", "application/xml", "text/xml"])
@pytest.mark.parametrize("query", [
    f"CONSTRUCT {{ ?e <{UNWRITABLE}> ?n }} WHERE {{ ?e ek:evaluationNumber ?n }} LIMIT 2",
    f"CONSTRUCT {{ ?e ek:evaluationNumber ?n ; <{UNWRITABLE}> ?n }} WHERE {{ ?e ek:evaluationNumber ?n }} LIMIT 2",
])
def test_rdf_xml_of_a_property_it_cannot_name_is_refused_not_ill_formed(client, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406, response.text
    assert f"RDF/XML cannot write the property <{UNWRITABLE}>" in response.text
    assert client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"}).status_code == 200
    writable = query.replace(UNWRITABLE, "http://example.org/property/one")
    fine = client.get("/sparql", params={"query": writable}, headers={"Accept": accept})
    assert fine.status_code == 200 and list(parse(fine.content, format=RdfFormat.RDF_XML))


def test_a_graph_store_read_as_rdf_xml_refuses_a_property_it_cannot_name(client) -> None:
    graph = "https://example.org/test-sparql/unwritable-property"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    put = client.put("/graph-store", params={"graph": graph}, content=f"<urn:a> <{UNWRITABLE}> <urn:b> .\n",
                     headers={"Content-Type": "application/n-triples", **auth})
    assert put.status_code in (201, 204), put.text
    try:
        response = client.get("/graph-store", params={"graph": graph}, headers={"Accept": "application/rdf+xml"})
        assert response.status_code == 406 and f"<{UNWRITABLE}>" in response.text
        described = client.get("/sparql", params={"query": "DESCRIBE <urn:a>"},
                               headers={"Accept": "application/rdf+xml"})
        assert described.status_code == 406
        assert client.get("/graph-store", params={"graph": graph}, headers={"Accept": "text/turtle"}).status_code == 200
    finally:
        assert client.delete("/graph-store", params={"graph": graph}, headers=auth).status_code == 204
