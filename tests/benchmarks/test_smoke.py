"""CI smoke run of the benchmark scripts at a tiny size: they still work and their outputs are right.

Morph-KGC lives in its own environment (it pins an older pyoxigraph), so this covers the
generator, `kg build`, the bulk-load floor, the export and search benchmarks (the real sample,
once), the dump benchmark, the endpoint benchmark's query mix (run against a tiny store) and its
load generator (against a stub server); the endpoint benchmark's servers are not started here.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import Store

from benchmarks.corpus import record
from benchmarks.dump import COLUMNS as DUMP_COLUMNS
from benchmarks.dump import main as dump_main
from benchmarks.export import COLUMNS as EXPORT_COLUMNS
from benchmarks.export import FLOOR as EXPORT_FLOOR
from benchmarks.export import FLOOR_ALL as EXPORT_FLOOR_ALL
from benchmarks.export import FLOOR_PIECES as EXPORT_FLOOR_PIECES
from benchmarks.export import main as export_main
from benchmarks.export_corpus import SAMPLE
from benchmarks.export_stages import stages as export_stages
from benchmarks.endpoint import PREFIXES, ROUNDS, mix, parameters, queries
from benchmarks.load import Request, percentile, run_level
from benchmarks.measure import tree_cpu_seconds
from benchmarks.generate import FORMS, generate
from benchmarks.ingest import COLUMNS, FLOOR, FLOOR_ALL, main as ingest_main, run_size
from kg.readers import FORM_BY_SUFFIX, read_records
from kg.records import EvaluationRecord

RECORDS = 50


def _read(folder: Path) -> list[EvaluationRecord]:
    read = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for item in read_records(path.name, path.read_bytes(), FORM_BY_SUFFIX[path.suffix]):
            assert isinstance(item, EvaluationRecord), item
            read.append(item)
    return read


def test_generator_is_deterministic_and_shaped_like_the_records() -> None:
    assert record(7, 3) == record(7, 3)
    assert record(7, 3) != record(8, 3)
    sample = [record(1, i) for i in range(300)]
    assert {len(r["location"]) for r in sample} <= {1, 2, 3, 4, 5}
    assert {len(r["recommendations"]) for r in sample} == {1, 2, 3, 4, 5, 6}
    assert len({r["eval_number"] for r in sample}) == 300


@pytest.mark.parametrize("form", FORMS)
def test_every_form_reads_back_as_the_same_records(tmp_path: Path, form: str) -> None:
    generate(tmp_path / "json", RECORDS, "json", seed=3)
    generate(tmp_path / form, RECORDS, form, seed=3)
    expected = [(r.eval_number, r.eval_title, r.locations, r.recommendations) for r in _read(tmp_path / "json")]
    got = [(r.eval_number, r.eval_title, r.locations, r.recommendations) for r in _read(tmp_path / form)]
    assert len(got) == RECORDS
    assert got == expected
    assert all(not r.unknown_keys for r in _read(tmp_path / form))


@pytest.mark.slow
def test_ingest_benchmark_runs_and_kg_build_matches_the_floor(tmp_path: Path) -> None:
    rows = run_size(RECORDS, seed=1, work=tmp_path, forms=("json", "text"), morph_python=None)
    by_contender = {(r.contender, r.form): r for r in rows}
    floor, every = by_contender[(FLOOR, "json")], by_contender[(FLOOR_ALL, "json")]
    assert by_contender[("kg build", "json")].quads == every.quads > floor.quads > RECORDS * 100
    assert by_contender[("kg build", "text")].quads == every.quads
    assert all(r.seconds > 0 and r.peak_rss_mib > 10 and r.records == RECORDS and r.store_mib > 0 for r in rows)
    assert by_contender[("kg build", "json")].indexing_s is not None and floor.x_floor_time == 1.0


@pytest.mark.slow
def test_ingest_report_has_the_expected_columns(tmp_path: Path) -> None:
    out = tmp_path / "ingest.json"
    ingest_main(["--records", "20", "--forms", "jsonl", "--work", str(tmp_path / "work"), "--no-morph",
                 "--out", str(out)])
    rows = json.loads(out.read_text())
    assert [r["contender"] for r in rows] == ["kg build", FLOOR, FLOOR_ALL]
    assert all(set(COLUMNS) <= set(r) for r in rows)



@pytest.mark.slow
def test_export_benchmark_builds_the_sample_and_the_floor_loads_the_same_quads(tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    export_main(["--repeat", "1", "--runs", "1", "--work", str(tmp_path / "work"), "--out", str(out)])
    build, floor, every, pieces = json.loads(out.read_text())
    assert [r["contender"] for r in (build, floor, every, pieces)] == [
        "kg build", EXPORT_FLOOR, EXPORT_FLOOR_ALL, EXPORT_FLOOR_PIECES]
    assert all(set(EXPORT_COLUMNS) <= set(row) for row in (build, floor, every, pieces))
    assert build["records"] == floor["records"] == 247 + 198 + 250 + 135
    assert build["quads"] == every["quads"] == pieces["quads"] > floor["quads"] > 10_000
    assert build["seconds"] > 0 and build["store_mib"] > 0 and build["peak_tree_pss_mib"] > 10
    assert floor["x_floor_time"] == 1.0
    assert not (tmp_path / "work" / "repeat-1").exists()


def test_export_stages_time_reading_and_mapping_of_the_sample() -> None:
    stages = export_stages(SAMPLE)
    assert stages["evaluation_records"] == 390  # one per evaluation and sheet
    assert stages["quads"] > 10_000 and stages["nquads_mib"] > 1
    assert all(stages[name] > 0 for name in ("gazetteers_and_models_s", "reading_s", "mapping_s"))
    assert stages["serialising_s"] >= 0  # a hundredth of a second here: rounded, it may be 0


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> Path:
    """An evalkg store of a few generated records, built by `kg build` as a user would."""
    root = tmp_path_factory.mktemp("tiny")
    generate(root / "json", RECORDS, "json", seed=2)
    subprocess.run([str(Path(sys.executable).with_name("kg")), "build", "--store", str(root / "store"),
                    str(root / "json")], check=True, capture_output=True)
    return root / "store"


@pytest.mark.slow
def test_dump_benchmark_times_kg_dump_and_oxigraph_dump_of_the_same_store(tiny_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.json"
    dump_main(["--store", str(tiny_store), "--work", str(tmp_path / "work"), "--out", str(out)])
    rows = json.loads(out.read_text())
    assert [r["contender"].split(" (")[0] for r in rows] == ["kg dump", "oxigraph dump", "oxigraph dump piped to gzip -9"]
    assert all(tuple(r) == DUMP_COLUMNS and r["seconds"] > 0 and r["output_mib"] > 0 for r in rows)
    assert rows[1]["x_oxigraph_time"] == 1.0
    assert not (tmp_path / "work").exists()


def test_every_query_of_the_endpoint_mix_runs_and_finds_something(tiny_store: Path) -> None:
    store = Store.read_only(str(tiny_store / (tiny_store / "CURRENT").read_text().strip()))
    chosen = parameters(tiny_store)
    assert all(chosen[kind] for kind in ("evaluation", "country", "project", "organization"))
    names = set()
    for index in range(ROUNDS):
        for name, text, _ in queries(chosen, index):
            names.add(name)
            result = store.query(PREFIXES + text)
            if name.startswith(("lookup", "recommendations", "construct", "describe", "count", "top", "ask")):
                assert bool(result) if name.startswith("ask") else list(result), name
    assert len(names) >= 12
    requests = mix(chosen, "/sparql", with_pages=True)
    assert sum(r["name"] == "page-evaluation-html" for r in requests) == ROUNDS


def test_load_generator_counts_requests_errors_and_percentiles() -> None:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            status = {"/fail": 500, "/id/x": 303}.get(self.path, 200)
            self.send_response(status)
            if status == 303:
                self.send_header("Location", "http://127.0.0.1/page/x")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        level = run_level(base, [Request("ok", "/id/x", {}), Request("fail", "/fail", {})], 2, 0.5)
    finally:
        server.shutdown()
    assert level["requests"] > 4 and level["errors"] == pytest.approx(level["requests"] / 2, abs=2)
    assert 0 < level["p50_ms"] <= level["p99_ms"]
    assert "server_cpu_us" not in level  # no server process named
    assert set(level["p50_ms_by_query"]) == {"ok", "fail"}
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0


SERVER_BURNING_5_MS = """
import http.server, sys, time

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        end = time.process_time() + 0.005
        while time.process_time() < end:
            pass
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def test_load_generator_gives_the_server_processes_cpu_per_request() -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER_BURNING_5_MS], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        level = run_level(f"http://127.0.0.1:{port}", [Request("ok", "/", {})], 1, 1.0, server_pid=server.pid)
    finally:
        server.kill()
        server.wait()
    assert level["errors"] == 0 and level["requests"] >= 20
    # 5 ms burned per request, give or take the kernel's 10 ms clock ticks over the whole level
    assert 4_000 < level["server_cpu_us"] < 5_000 + 10_000 / level["requests"] * 2 + 2_000
    assert 0 < level["client_cpu_us"] < level["server_cpu_us"]


def test_tree_cpu_counts_the_cpu_of_a_process_and_its_children() -> None:
    burner = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.4\n"
                               "while time.process_time() < end: pass\ntime.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while tree_cpu_seconds(burner.pid) < 0.4 and time.monotonic() < deadline:
            time.sleep(0.05)
        burned = tree_cpu_seconds(burner.pid)
        assert 0.4 <= burned < 1.5
        assert tree_cpu_seconds(os.getpid()) >= burned + time.process_time() - 0.05  # the test's process and its child
    finally:
        burner.kill()
        burner.wait()


CHILD_THAT_FORKS = """
import os, sys, time
held = b"x" * (48 * 2**20)  # touched, so resident
table = open(sys.argv[1], "rb")
pid = os.fork()
time.sleep(1.5)
if pid:
    os.waitpid(pid, 0)
    sys.exit(3)
"""


def test_memory_log_follows_every_process_of_the_tree_and_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (store / "gen-000001").mkdir(parents=True)
    (store / "gen-000001" / "000007.sst").write_bytes(b"\0" * 2**21)
    (store / "gen-000001" / "LOG").write_bytes(b"\0" * 2**20)
    log = tmp_path / "memory.jsonl"
    command = [sys.executable, "-m", "benchmarks.memlog", "--every", "0.3", "--store", str(store), "--out", str(log),
               "--", sys.executable, "-c", CHILD_THAT_FORKS, str(store / "gen-000001" / "000007.sst")]
    assert subprocess.run(command, cwd=Path(__file__).parents[2]).returncode == 3
    *samples, last = [json.loads(line) for line in log.read_text().splitlines()]
    forked = [s for s in samples if len(s["processes"]) == 2]
    assert forked, samples
    for line in forked:
        parent, child = line["processes"]
        # the 48 MiB are shared after the fork: both hold them, PSS counts them once
        assert parent["rss_mib"] > 48 and child["rss_mib"] > 48
        assert 48 < line["tree_pss_mib"] < parent["rss_mib"] + child["rss_mib"] - 24
        assert line["tree_pss_mib"] == round(parent["pss_mib"] + child["pss_mib"], 1)
        assert (line["store_mib"], line["table_files"], line["open_table_files"]) == (3, 1, 1)
    assert last["returncode"] == 3 and last["peak_store_mib"] == 3
    assert last["peak_tree_pss_mib"] == max(s["tree_pss_mib"] for s in samples)


def test_search_benchmark_times_the_index_and_the_filters_on_the_sample(tmp_path: Path) -> None:
    from benchmarks.search import SEARCHES
    from benchmarks.search import main as search_main

    out = tmp_path / "search.json"
    search_main(["--repeat", "1", "--runs", "1", "--work", str(tmp_path / "work"), "--out", str(out)])
    (size,) = json.loads(out.read_text("utf-8"))
    assert (size["repeat"], size["texts"], size["resources"]) == (1, 1090, 830)
    assert [timing["search"] for timing in size["timings"]] == [text for text, _ in SEARCHES]
    by_search = {timing["search"]: timing for timing in size["timings"]}
    assert by_search["emploi des jeunes"]["index_hits"] == 1
    # a word in every text the filters find is a word the index finds, in some form
    assert by_search["covid"]["contains_hits"] == by_search["covid"]["regex_hits"] <= by_search["covid"]["index_hits"]
    assert all(timing["index_ms"] > 0 and timing["contains_ms"] > 0 for timing in size["timings"])
    assert 0 < size["index_mib"] and 0 < size["store_mib"] and size["index_seconds"] > 0
