"""Kept answers sent from a connection's own greenlet (`ConnectionWorker.handle`), against a real `kg serve`:
byte for byte the answer the app gave, 304 on revalidation, pipelined requests in order, and every
request gunicorn would refuse or read otherwise still left to it."""

from __future__ import annotations

import re
import socket
from urllib.parse import quote

import pytest

from server.serving import HeadLimits, simple_get
from tests.server.conftest import TOKEN

ASK = "/sparql?query=" + quote("ASK { ?s a ek:Evaluation }")
JSON = "application/sparql-results+json"
ANSWER = b'{"head": {}, "boolean": true}'
HEADERS = (b"Content-Type: application/sparql-results+json", b"Content-Length: 29", b"Vary: Accept",
           b"X-Content-Type-Options: nosniff", b"Access-Control-Allow-Origin: *",
           b"Access-Control-Expose-Headers: X-Evalkg-Truncated")


def _exchange(server, data: bytes, responses: int = 1) -> list[tuple[bytes, list[bytes], bytes]]:
    """Send `data` on one connection; the status line, headers and body of each of `responses` answers."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(data)
        received, answers = b"", []
        while len(answers) < responses:
            while b"\r\n\r\n" not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    return answers
                received += chunk
            head, _, received = received.partition(b"\r\n\r\n")
            status, *headers = head.split(b"\r\n")
            length = int(next((h.split(b":")[1] for h in headers if h.lower().startswith(b"content-length:")), b"0"))
            while len(received) < length:
                received += connection.recv(65536)
            answers.append((status, headers, received[:length]))
            received = received[length:]
    return answers


def _get(target: str, *headers: str) -> bytes:
    return "\r\n".join((f"GET {target} HTTP/1.1", "Host: 127.0.0.1", f"Accept: {JSON}", *headers, "", "")).encode()


@pytest.mark.slow
def test_a_kept_answer_is_the_answer_the_app_gave_byte_for_byte(server) -> None:
    # two workers, each with its own cache: enough requests that each worker answers some from it
    answers = [answer for _ in range(6) for answer in _exchange(server, _get(ASK) * 3, 3)]
    assert len(answers) == 18
    for status, headers, body in answers:
        assert status == b"HTTP/1.1 200 OK" and body == ANSWER
        assert headers[:3] == [b"Server: gunicorn", headers[1], b"Connection: keep-alive"]
        assert re.fullmatch(rb"Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", headers[1])
        assert tuple(headers[3:9]) == HEADERS and re.fullmatch(rb'ETag: W/"[0-9a-f]{24}"', headers[9])
        assert headers[10:] == [b"Cache-Control: public, no-cache"]
    etag = answers[0][1][9].split(b": ")[1].decode()
    assert {headers[9] for _, headers, _ in answers} == {f"ETag: {etag}".encode()}
    revalidated = [answer for _ in range(4) for answer in _exchange(server, _get(ASK, f"If-None-Match: {etag}") * 2, 2)]
    for status, headers, body in revalidated:
        assert (status, headers[2:], body) == (b"HTTP/1.1 304 Not Modified", [
            b"Connection: keep-alive", b"Vary: Accept", f"ETag: {etag}".encode(), b"Cache-Control: public, no-cache"],
            b"")


@pytest.mark.slow
def test_pipelined_requests_are_answered_in_order_kept_or_not(server) -> None:
    other = "/sparql?query=" + quote("ASK { ?s a ek:Nothing }")
    data = _get(ASK) * 2 + _get(other) + _get(ASK) + _get("/healthz") + _get(ASK)
    for _ in range(3):
        answers = _exchange(server, data, 6)
        assert [body for _, _, body in answers] == [ANSWER, ANSWER, b'{"head": {}, "boolean": false}', ANSWER,
                                                    answers[4][2], ANSWER]
        assert answers[4][0] == b"HTTP/1.1 200 OK" and b"ETag" not in b"".join(answers[4][1])


@pytest.mark.slow
def test_requests_gunicorn_refuses_are_refused_though_their_answer_is_kept(server) -> None:
    for _ in range(4):
        assert _exchange(server, _get(ASK))[0][2] == ANSWER  # kept by each worker
    refused = {
        "a repeated Host": _get(ASK, "Host: 127.0.0.2"),
        "a header name with a space": _get(ASK, "Bad Name: x"),
        "a control character in a value": _get(ASK, "X-Value: a\x01b"),
        "a folded header": _get(ASK, "X-Value: a", " folded"),
        "an unknown expectation": _get(ASK, "Expect: something"),
        "a request line past limit_request_line": _get(ASK + "%20" * 1400),
    }
    for reason, data in refused.items():
        status = _exchange(server, data)[0][0]
        assert status.split(b" ")[1] in (b"400", b"414", b"417"), (reason, status)


@pytest.mark.slow
def test_a_write_between_two_kept_answers_on_one_connection_gives_the_new_one(server) -> None:
    graph = "http://example.org/test/kept"
    count = "/sparql?query=" + quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    put = (b"PUT /graph-store?graph=http%3A%2F%2Fexample.org%2Ftest%2Fkept HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Content-Type: application/n-triples\r\nAuthorization: Bearer " + TOKEN.encode()
           + b"\r\nContent-Length: 35\r\n\r\n<http://a> <http://b> <http://c> .\n")
    delete = (b"DELETE /graph-store?graph=http%3A%2F%2Fexample.org%2Ftest%2Fkept HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Authorization: Bearer " + TOKEN.encode() + b"\r\n\r\n")
    try:
        answers = _exchange(server, _get(count) * 3 + put + _get(count) * 3, 7)
        assert [status.split(b" ")[1] for status, _, _ in answers] == [b"200"] * 3 + [b"201"] + [b"200"] * 3
        assert [b'"value": "1"' in body for _, _, body in answers] == [False] * 3 + [False] + [True] * 3
    finally:
        assert _exchange(server, delete)[0][0].split(b" ")[1] == b"204"


def test_only_the_plainest_get_is_read_without_gunicorn() -> None:
    from gunicorn.config import Config

    defaults = Config()
    cfg = HeadLimits(defaults.limit_request_line, defaults.limit_request_fields, defaults.limit_request_field_size)
    environ, length = simple_get(_get("/id/evaluation/3471.html?x=%C3%A9") + b"GET / HTTP/1.1\r\n", cfg)
    assert length == len(_get("/id/evaluation/3471.html?x=%C3%A9"))
    assert environ == {"HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT": JSON, "REQUEST_METHOD": "GET", "SCRIPT_NAME": "",
                       "PATH_INFO": "/id/evaluation/3471.html", "QUERY_STRING": "x=%C3%A9",
                       "SERVER_PROTOCOL": "HTTP/1.1", "RAW_URI": "/id/evaluation/3471.html?x=%C3%A9",
                       "wsgi.url_scheme": "http"}
    assert simple_get(_get("/a%20b"), cfg)[0]["PATH_INFO"] == "/a b"
    for data in (b"HEAD / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.0\r\n\r\n", b"GET //x HTTP/1.1\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: a", b"GET http://a/ HTTP/1.1\r\n\r\n", _get("/", "Content-Length: 0"),
                 _get("/", "Transfer-Encoding: chunked"), _get("/", "Connection: close"), _get("/", "Upgrade: h2c"),
                 _get("/", "X-Forwarded-Proto: https"), _get("/", "Script_Name: /x"), _get("/", "Accept: again"),
                 _get("/", "X: \x7f"), _get("/#f")):
        assert simple_get(data, cfg) is None, data
