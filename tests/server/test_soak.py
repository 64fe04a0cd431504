"""A soak of a real `kg serve` (issue 17, "Done when"): for SECONDS, lookups, pages, counted writes
(SPARQL Update and Graph Store PUT), runaway queries, a slowloris and `kg build`s of the same store
all at once; at the end every acknowledged write is in the store and every lookup and page was
answered within its target."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.store import StoreDirectory
from tests.conftest import CORPUS
from tests.server.running import running_server
from tests.server.test_safety import RUNAWAY, SIMPLE
from tests.server.test_slowloris import Slowloris

pytestmark = pytest.mark.slow

SECONDS = 45
TOKEN = "soak-token"
# A lookup is answered or stopped at its time limit; a lookup that met a generation switch with a
# runaway on the other core once took 5.4 s, and a 5 s limit made that a 503 and not a slow answer.
QUERY_TIMEOUT = 10.0
# Seconds within which every lookup and page must be answered, and 99 in 100 of them. On two cores
# a build or a write switching generation while a runaway takes a core costs a few lookups seconds
# (5.4 s at most seen); the median is milliseconds. The 99th percentile was 1.1 s in the suite on
# an otherwise idle machine and 2.1 s with other test suites running beside it: 3 s holds both.
TARGET, TARGET_99 = 6.0, 3.0
WRITE_GRAPH = "urn:evalkg:soak:updates"
BUILD_PAUSE = 5.0  # seconds between builds: each makes every query process open a new generation


class Soak:
    def __init__(self, url: str) -> None:
        self.url = url
        self.until = time.monotonic() + SECONDS
        self.timings: dict[str, list[tuple[int, float]]] = {"lookup": [], "page": []}
        self.updates: list[int] = []  # counters of the updates acknowledged (204)
        self.puts: list[int] = []  # counters of the Graph Store PUTs acknowledged (201, 204)
        self.write_failures: list[tuple[str, int, int]] = []
        self.runaways: list[int] = []
        self.builds: list[int] = []

    def running(self) -> bool:
        return time.monotonic() < self.until

    def _timed(self, kind: str, client: httpx.Client, path: str, **params: str) -> None:
        started = time.monotonic()
        status = client.get(path, params=params).status_code
        self.timings[kind].append((status, time.monotonic() - started))

    def lookups(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while self.running():
                self._timed("lookup", client, "/sparql", query=SIMPLE)

    def pages(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60, headers={"Accept": "text/html"}) as client:
            while self.running():
                for path in ("/", "/browse/", "/healthz"):
                    self._timed("page", client, path)

    def update_writer(self) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
        with httpx.Client(base_url=self.url, timeout=180, headers=headers) as client:
            counter = 0
            while self.running():
                counter += 1
                update = (f"INSERT DATA {{ GRAPH <{WRITE_GRAPH}> {{ <urn:evalkg:soak:u{counter}> "
                          f"<urn:evalkg:soak:counter> {counter} }} }}")
                status = client.post("/sparql", content=update.encode()).status_code
                if status == 204:
                    self.updates.append(counter)
                else:
                    self.write_failures.append(("update", counter, status))

    def put_writer(self) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
        with httpx.Client(base_url=self.url, timeout=180, headers=headers) as client:
            counter = 0
            while self.running():
                counter += 1
                body = f'<urn:evalkg:soak:p{counter}> <urn:evalkg:soak:counter> "{counter}" .\n'
                status = client.put("/graph-store", params={"graph": f"urn:evalkg:soak:put:{counter}"},
                                    content=body.encode()).status_code
                if status in (201, 204):
                    self.puts.append(counter)
                else:
                    self.write_failures.append(("put", counter, status))

    def runaway(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while self.running():
                self.runaways.append(client.post("/sparql", data={"query": RUNAWAY}).status_code)

    def build(self, store: Path, workdir: Path) -> None:
        while self.running():
            done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--force", "--store", str(store),
                                   str(CORPUS)], cwd=workdir, capture_output=True, timeout=300)
            self.builds.append(done.returncode)
            time.sleep(BUILD_PAUSE)


def test_mixed_clients_runaways_slowloris_and_builds_lose_no_write(tmp_path: Path,
                                                                   sample_store: StoreDirectory) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_store.path, store, ignore=shutil.ignore_patterns("LOCK"))
    with running_server(store, tmp_path, "--workers", "2", "--query-timeout", str(QUERY_TIMEOUT),
                        env={"KG_UPDATE_TOKEN": TOKEN, "KG_SHORT_QUERY_TIMEOUT": "2"}) as server:
        soak = Soak(server.url)
        clients = [soak.lookups, soak.lookups, soak.pages, soak.update_writer, soak.put_writer,
                   soak.runaway, lambda: soak.build(store, tmp_path)]
        threads = [threading.Thread(target=client) for client in clients]
        with Slowloris(server.url, idle=100, drips=10):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(SECONDS + 300)
        with httpx.Client(base_url=server.url, timeout=60) as client:
            found = client.get("/sparql", headers={"Accept": "application/json"}, params={"query": (
                f"SELECT ?n WHERE {{ GRAPH <{WRITE_GRAPH}> {{ ?s <urn:evalkg:soak:counter> ?n }} }}")}).json()
            updated = {int(row["n"]["value"]) for row in found["results"]["bindings"]}
            found = client.get("/sparql", headers={"Accept": "application/json"}, params={"query": (
                "SELECT ?g ?n WHERE { GRAPH ?g { ?s <urn:evalkg:soak:counter> ?n } "
                "FILTER(STRSTARTS(STR(?g), 'urn:evalkg:soak:put:')) }")}).json()
            put = {int(row["n"]["value"]) for row in found["results"]["bindings"]
                   if row["g"]["value"] == f"urn:evalkg:soak:put:{row['n']['value']}"}
    figures = {kind: (len(timings), statistics.median(s for _, s in timings), max(s for _, s in timings))
               for kind, timings in soak.timings.items()}
    print(f"soak: {figures} (count, median s, max s); {len(soak.updates)} updates, {len(soak.puts)} puts, "
          f"{len(soak.runaways)} runaways {sorted(set(soak.runaways))}, builds {soak.builds}")
    assert soak.builds and all(code == 0 for code in soak.builds), soak.builds
    assert soak.write_failures == []
    assert soak.updates and set(soak.updates) <= updated, sorted(set(soak.updates) - updated)
    assert soak.puts and set(soak.puts) <= put, sorted(set(soak.puts) - put)
    assert soak.runaways and set(soak.runaways) == {503}
    for kind, timings in soak.timings.items():
        assert len(timings) > 10 and all(status == 200 for status, _ in timings), (kind, [t for t in timings if t[0] != 200])
        assert max(seconds for _, seconds in timings) < TARGET, (kind, figures)
        assert statistics.quantiles([seconds for _, seconds in timings], n=100)[98] < TARGET_99, (kind, figures)
