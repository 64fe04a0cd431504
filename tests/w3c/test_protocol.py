"""The W3C SPARQL Protocol test suite (48 tests), run as data against a real `kg serve`.

The manifest encodes each test as HTTP requests and expected responses (see protocol/README.md).
Responses are checked for their status class, their Content-Type where one is named, their
form (boolean, tabular or RDF) and the boolean value of ASK results.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from pyoxigraph import QueryBoolean, QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace
from rdflib.collection import Collection

from kg.store import StoreDirectory
from tests.server.running import running_server

HERE = Path(__file__).parent / "protocol"
MANIFEST = HERE / "manifest.ttl"
TOKEN = "w3c-protocol-token"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
BOOLEAN_FORMATS = ("application/sparql-results+json", "application/sparql-results+xml")
RDF_FORMATS = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
               "application/n-quads")


@dataclass
class Expected:
    statuses: set[int] = field(default_factory=set)  # status classes: 2, 3, 4, 5
    content_types: tuple[str, ...] = ()
    result_form: str | None = None  # boolean, tabular or RDF
    boolean: bool | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class ProtocolTest:
    name: str
    graphs: list[tuple[str, Path]]  # (graph IRI, data file)
    requests: list[Request]


def _status_classes(graph: Graph, response: BNode) -> set[int]:
    codes = graph.objects(response, MF.expectedStatus)  # ht:StatusCode2xx, ...
    classes = {int(re.search(r"(\d)xx", str(code), re.I).group(1)) for code in codes}
    classes |= {int(str(value)[0]) for value in graph.objects(response, HT.statusCodeValue)}
    return classes


def _headers(graph: Graph, node: BNode) -> dict[str, str]:
    headers: dict[str, str] = {}
    for collection in graph.objects(node, HT.headers):
        for header in Collection(graph, collection):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    return headers


def _request(graph: Graph, node: BNode) -> Request:
    body = graph.value(node, HT.body)
    data = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(graph.value(body, CNT.chars)).encode(encoding.lower())
    response = graph.value(node, HT.resp)
    expected = Expected(_status_classes(graph, response))
    response_headers = _headers(graph, response)
    if "content-type" in response_headers:
        expected.content_types = tuple(t.strip() for t in response_headers["content-type"].split(","))
    if (form := graph.value(response, MF.expectedFormat)) is not None:
        expected.result_form = str(form)
    boolean = graph.value(response, MF.expectedBoolean)
    response_body = graph.value(response, HT.body)
    if boolean is None and response_body is not None:
        boolean = graph.value(response_body, CNT.chars)
    if isinstance(boolean, Literal) and isinstance(boolean.toPython(), bool):
        expected.boolean = boolean.toPython()
    path = re.sub(r"^/sparql/?", "/sparql", str(graph.value(node, HT.absolutePath)))
    return Request(str(graph.value(node, HT.methodName)), path, _headers(graph, node), data, expected)


def load_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        graphs = [(str(graph.value(data, RDFS.label)), Path(str(graph.value(data, UT.graph)).removeprefix("file://")))
                  for data in graph.objects(entry, UT.graphData)]
        action = graph.value(entry, MF.action)
        requests = [_request(graph, node) for node in Collection(graph, graph.value(action, HT.requests))]
        tests.append(ProtocolTest(str(entry).rpartition("#")[2], graphs, requests))
    return tests


TESTS = load_manifest()


def test_the_manifest_has_all_48_tests() -> None:
    assert len(TESTS) == 48
    assert all(test.requests and all(r.expected.statuses for r in test.requests) for test in TESTS)


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory):
    """A server with update enabled, on a store of its own (the tests clear and drop graphs)."""
    workdir = tmp_path_factory.mktemp("w3c-protocol")
    with StoreDirectory(workdir / "store").new_generation():
        pass
    with running_server(workdir / "store", workdir, "--update-token", TOKEN, "--workers", "2") as server:
        with httpx.Client(base_url=server.url, timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "identity"}) as client:
            yield client


def _load(client: httpx.Client, graphs: list[tuple[str, Path]]) -> None:
    for iri, data in graphs:
        response = client.put("/graph-store", params={"graph": iri}, content=(HERE / data.name).read_bytes(),
                              headers={"Content-Type": "application/n-triples"})
        assert response.status_code in (201, 204), response.text


def _check(request: Request, response: httpx.Response) -> None:
    expected = request.expected
    context = f"{request.method} {request.path} -> {response.status_code} {response.headers.get('content-type')}: " \
              f"{response.text[:300]}"
    assert response.status_code // 100 in expected.statuses, context
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if expected.content_types:
        assert media_type in expected.content_types, context
    if expected.result_form == "boolean" or expected.boolean is not None:
        assert media_type in BOOLEAN_FORMATS, context
        result = parse_query_results(response.content, format=RESULT_FORMATS[media_type])
        assert isinstance(result, QueryBoolean), context
        if expected.boolean is not None:
            assert bool(result) is expected.boolean, context
    elif expected.result_form == "tabular":
        assert media_type in RESULT_FORMATS, context
        if media_type == "text/csv":  # pyoxigraph reads no CSV results: the format loses term types
            assert next(csv.reader(io.StringIO(response.text))), context
        else:
            list(parse_query_results(response.content, format=RESULT_FORMATS[media_type]))
    elif expected.result_form == "RDF":
        assert media_type in RDF_FORMATS, context
        list(parse(response.content, format=RdfFormat.from_media_type(media_type)))


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_protocol(protocol_server: httpx.Client, test: ProtocolTest) -> None:
    _load(protocol_server, test.graphs)
    for request in test.requests:
        response = protocol_server.request(request.method, request.path, content=request.body,
                                           headers=request.headers)
        _check(request, response)
