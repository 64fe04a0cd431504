"""A real `kg serve` over a copy of the sample store, shared by the server tests, and its helpers."""

from __future__ import annotations

import shutil

import httpx
import pytest
from pyoxigraph import Store

from kg.sources import sample_sources
from kg.store import StoreDirectory
from tests.server.running import Recorder, Server, recording_server, running_server

TOKEN = "server-test-token"
QUERY_TIMEOUT = 3.0
MAX_ROWS = 200


@pytest.fixture(scope="session")
def forbidden_host() -> Recorder:
    """A loopback port that SERVICE and LOAD must never reach."""
    with recording_server() as recorder:
        yield recorder


@pytest.fixture(scope="session")
def allowed_host() -> Recorder:
    """A loopback port on the server's allow-list (as host:port)."""
    with recording_server() as recorder:
        yield recorder


@pytest.fixture(scope="session")
def served_store(tmp_path_factory, sample_store: StoreDirectory) -> StoreDirectory:
    """A copy of the sample store that the test server reads and the write tests change."""
    path = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(sample_store.path, path, ignore=shutil.ignore_patterns("LOCK"))
    return StoreDirectory(path)


@pytest.fixture(scope="session")
def server(tmp_path_factory, served_store: StoreDirectory, allowed_host: Recorder) -> Server:
    """`kg serve` with two workers, an update token, a 3 s time limit, a 200-row cap and one allowed host."""
    allowed = allowed_host.url.removeprefix("http://")
    workdir = tmp_path_factory.mktemp("server")
    with running_server(served_store.path, workdir, "--workers", "2", "--update-token", TOKEN,
                        "--query-timeout", str(QUERY_TIMEOUT), "--allow-service", allowed,
                        env={"KG_MAX_ROWS": str(MAX_ROWS), "KG_QUERY_PROCESSES": "2"}) as running:
        yield running


@pytest.fixture(scope="session")
def bundled_server(tmp_path_factory, builder_factory) -> Server:
    """`kg serve` over a store of the bundled sample, as `kg build` with no sources makes it (read only)."""
    folder = tmp_path_factory.mktemp("bundled")
    report = builder_factory(folder / "store").build(sample_sources())
    assert report.errors == [], report.errors
    with running_server(folder / "store", folder) as running:
        yield running


@pytest.fixture
def client(server: Server) -> httpx.Client:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def live_store(directory: StoreDirectory) -> Store:
    """The store generation the server reads now, opened read-only for checking expectations."""
    return directory.open_read_only()


def read_count(directory: StoreDirectory, query: str) -> int:
    """The integer ?n of a COUNT query over the live store, with the union default graph as the server uses."""
    from kg.query import run_query

    return int(next(iter(run_query(live_store(directory), query)))["n"].value)


def store_state(directory: StoreDirectory) -> tuple[str, int]:
    """The live generation's name and its number of quads: equal before and after means nothing changed."""
    return directory.current_generation().name, len(live_store(directory))
