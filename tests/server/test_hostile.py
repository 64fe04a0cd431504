"""A hostile or careless client against a running server (issue 17): no request may starve the
server, no limit may be passed by changing the framing, and no write is ever cut short."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytestmark = pytest.mark.slow

LOOKUP = "ASK { ?e a ek:Evaluation }"
QUERY_TYPE = {"Content-Type": "application/sparql-query"}


def _timed(client: httpx.Client, *args, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.request(*args, **kwargs)
    return response, time.monotonic() - started


def test_a_long_query_mentioning_load_is_read_in_linear_time(client) -> None:
    """The SERVICE/LOAD check tokenized `a.a.a...` in quadratic time, in the web worker: 57 s for this."""
    body = "#load\nASK { " + "a." * 56_000
    response, seconds = _timed(client, "POST", "/sparql", content=body, headers=QUERY_TYPE)
    assert response.status_code == 400, response.text
    assert seconds < 5


def test_many_such_queries_at_once_leave_a_lookup_answered(server) -> None:
    body = "#service\nASK { " + "a." * 20_000
    with httpx.Client(base_url=server.url, timeout=60) as client, ThreadPoolExecutor(8) as pool:
        attacks = [pool.submit(client.post, "/sparql", content=body, headers=QUERY_TYPE) for _ in range(8)]
        time.sleep(0.2)
        response, seconds = _timed(client, "GET", "/sparql", params={"query": LOOKUP})
        assert response.status_code == 200 and response.json()["boolean"] is True
        assert seconds < 5
        assert all(attack.result().status_code == 400 for attack in attacks)
