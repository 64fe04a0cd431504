"""The URLs the server publishes come from its public base, never from a request's Host or forwarded
headers unless proxies are trusted; every response that depends on a request header says so in `Vary`."""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef

from kg.errors import ConfigError
from kg.iris import Iris
from kg.settings import Settings
from server.app import create_app

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET = URIRef(Iris().base + "dataset")
HOSTILE = {"Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example",
           "X-Forwarded-Prefix": "/evil", "Forwarded": "host=evil.example;proto=https"}


def _void(response: httpx.Response | object) -> Graph:
    data = response.content if isinstance(response, httpx.Response) else response.data  # type: ignore[attr-defined]
    return Graph().parse(data=data, format="turtle")


@pytest.mark.slow
def test_the_real_server_publishes_its_own_address_whatever_the_host_header(server) -> None:
    with httpx.Client(base_url=server.url, timeout=30, headers=HOSTILE) as client:
        void = _void(client.get("/void", headers={"Accept": "text/turtle"}))
        assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(server.endpoint)
        description = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).content,
                                    format="turtle")
        assert set(description.subjects(SD.endpoint, None)) == {URIRef(server.endpoint)}
        redirect = client.get("/browse")
        assert redirect.status_code == 308 and redirect.headers["Location"] == server.url + "/browse/"
        relative = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<here> AS ?x) }"})
        assert relative.json()["results"]["bindings"][0]["x"]["value"] == server.url + "/here"
        for response in (client.get("/void.ttl"), client.get("/"), client.get("/sparql", params={"format": "ttl"})):
            assert "evil" not in response.text and "https://127.0.0.1" not in response.text


@pytest.mark.slow
def test_the_real_server_takes_no_path_prefix_from_a_header(server) -> None:
    """gunicorn believes a SCRIPT_NAME header from 127.0.0.1: the path is served as it came."""
    response = httpx.get(server.url + "/evil/void.ttl", headers={"SCRIPT_NAME": "/evil"}, timeout=30)
    assert response.status_code == 404, "the page was served under a path prefix the client chose"


@pytest.fixture(scope="module")
def make_client(sample_store, tmp_path_factory):
    dumps = str(tmp_path_factory.mktemp("host") / "none")

    def make(**settings: object):
        return create_app(Settings(store=str(sample_store.path), dumps=dumps, **settings)).test_client()

    return make


def test_the_default_base_is_the_address_kg_serve_prints(make_client) -> None:
    client = make_client(host="127.0.0.1", port=8123)
    void = _void(client.get("/void.ttl", headers={"Host": "evil.example"}))
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:8123/sparql")
    ipv6 = make_client(host="::1", port=8123).get("/browse", headers={"Host": "evil.example"})
    assert ipv6.headers["Location"] == "http://[::1]:8123/browse/"


def test_a_configured_public_url_with_a_path_is_used_whether_the_proxy_strips_the_path_or_not(make_client) -> None:
    client = make_client(public_url="https://kg.example.org/evalkg")
    for path in ("/evalkg/void.ttl", "/void.ttl"):
        void = _void(client.get(path, headers=HOSTILE))
        assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://kg.example.org/evalkg/sparql")
    for path in ("/evalkg/browse", "/browse"):
        assert client.get(path, headers=HOSTILE).headers["Location"] == "https://kg.example.org/evalkg/browse/"
    page = client.get("/evalkg/id/evaluation/3471", headers={"Accept": "text/turtle"})
    assert page.headers["Location"] == "/evalkg/id/evaluation/3471.ttl"


def test_forwarded_headers_are_believed_only_from_trusted_proxies(make_client) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kg.example.org", "X-Forwarded-Prefix": "/kg"}
    ignored = make_client(port=8000).get("/browse", headers=forwarded)
    assert ignored.headers["Location"] == "http://127.0.0.1:8000/browse/"
    believed = make_client(trusted_proxies=1).get("/browse", headers=forwarded)
    assert believed.headers["Location"] == "https://kg.example.org/kg/browse/"
    fixed = make_client(trusted_proxies=1, public_url="https://data.example/").get("/browse", headers=forwarded)
    assert fixed.headers["Location"] == "https://data.example/browse/"


@pytest.mark.parametrize("url", ["kg.example.org", "ftp://kg.example.org/", "https:///x", "https://kg.example.org/?a=1",
                                 "https://kg.example.org:port/", "https://user@kg.example.org/"])
def test_a_public_url_that_is_no_base_url_fails_at_start(sample_store, url: str) -> None:
    with pytest.raises(ConfigError, match="public_url"):
        create_app(Settings(store=str(sample_store.path), public_url=url))


VARIANTS = {
    "Accept": [None, "text/html", "text/turtle", "application/json", "application/sparql-results+json", "text/csv",
               "application/rdf+xml"],
    "Accept-Language": [None, "es", "fr"],
    "Origin": [None, "https://a.example"],
}
PATHS = ["/", "/browse/", "/browse", "/sparql", "/sparql?query=ASK%7B%7D", "/sparql?query=SELEC", "/void",
         "/.well-known/void", "/void.ttl", "/void.html", "/id/evaluation/3471", "/id/evaluation/3471.html",
         "/id/evaluation/3471.ttl", "/id/nothing", "/id/", "/dumps/", "/no/such/page", "/graph-store?default",
         "/graph-store", "/healthz", "/sparql?query=CONSTRUCT+%7B%3Fs+%3Fp+%3Fo%7D+WHERE+%7B%3Fs+%3Fp+%3Fo%7D+LIMIT+1"]


@pytest.mark.parametrize("path", PATHS)
def test_a_response_that_depends_on_a_header_names_it_in_vary(make_client, path: str) -> None:
    client = make_client()
    for header, values in VARIANTS.items():
        responses = [client.get(path, headers={header: value} if value else {}) for value in values]
        answers = {_answer(response) for response in responses}
        if len(answers) > 1:
            for response in responses:
                vary = {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}
                assert header.lower() in vary, (path, header, response.headers.get("Vary"))


def _answer(response) -> tuple:
    """What a client gets, but for the headers that name the request's date or its variants."""
    headers = tuple(sorted((k, v) for k, v in response.headers.items() if k not in ("Vary", "Date")))
    return response.status_code, response.data, headers


def test_the_service_description_is_the_same_bytes_each_time(make_client) -> None:
    client = make_client()
    first, second = (client.get("/sparql", headers={"Accept": "text/turtle"}).data for _ in range(2))
    assert first == second and re.search(rb"_:\w+", first)
