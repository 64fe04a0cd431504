"""What the build knows of its sources follows the store: dropped graphs, --force, --prune,
`kg sources`, and figures a query confirms."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from kg.cli import main
from kg.iris import Iris
from kg.query import run_query
from kg.store import StoreDirectory, remove_named_graph
from tests.conftest import CORPUS

IRIS = Iris()


def _kg(*args: str):
    return CliRunner().invoke(main, [*args, "--workers", "1"] if args[0] == "build" else list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path) -> str:
    """The test's store, by an absolute path: RocksDB knows lock files by their path, and a
    relative one would be the same in every test."""
    return str(tmp_path / "store")


def _count(store: str, query: str) -> int:
    return int(next(iter(run_query(StoreDirectory(store).open_read_only(), query)))[0].value)


def _evaluations(store: str) -> int:
    return _count(store, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ek:Evaluation }")


def _records(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    for name in ("ilo-evaluation-3433.json", "ilo-evaluation-3502.txt", "ilo-evaluation-3590.json"):
        shutil.copy(CORPUS / name, records / name)
    return records


def test_a_graph_dropped_by_other_means_is_built_again_and_force_reads_every_source(tmp_path, monkeypatch, store):
    monkeypatch.chdir(tmp_path)
    _records(tmp_path)
    assert _kg("build", "--store", store, "records").exit_code == 0
    graph = IRIS.source_graph("records/ilo-evaluation-3502.txt")
    with StoreDirectory(store).new_generation() as generation:  # as a Graph Store DELETE does
        remove_named_graph(generation, graph)
    del generation  # closed now: RocksDB knows its lock files by path
    assert _evaluations(store) == 2
    again = _kg("build", "--store", store, "records")
    assert "3 sources: 1 ingested, 2 unchanged" in again.output
    assert _evaluations(store) == 3
    forced = _kg("build", "--store", store, "records", "--force")
    assert "3 sources: 3 ingested, 0 unchanged" in forced.output
    assert _evaluations(store) == 3


def test_prune_drops_the_graphs_of_files_gone_from_a_folder_and_nothing_else(tmp_path, monkeypatch, store):
    monkeypatch.chdir(tmp_path)
    records = _records(tmp_path)
    (tmp_path / "other").mkdir()
    shutil.copy(CORPUS / "ilo-evaluation-3725.json", tmp_path / "other" / "ilo-evaluation-3725.json")
    assert _kg("build", "--store", store, "records", "other").exit_code == 0
    (records / "ilo-evaluation-3590.json").unlink()
    kept = _kg("build", "--store", store, "records")
    assert "pruned" not in kept.output and _evaluations(store) == 4  # without --prune nothing goes
    pruned = _kg("build", "--store", store, "records", "--prune")
    assert "1 sources pruned (their files are gone): records/ilo-evaluation-3590.json" in pruned.output
    assert _evaluations(store) == 3
    assert _count(store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/evalkg/id/graph/metadata> {
        ?g dcterms:source "records/ilo-evaluation-3590.json" } }""") == 0


def test_the_same_file_built_from_two_places_is_one_graph(tmp_path, monkeypatch, store):
    records = _records(tmp_path)
    monkeypatch.chdir(tmp_path)
    _kg("build", "--store", store, "records/ilo-evaluation-3590.json")
    monkeypatch.chdir(records)
    second = _kg("build", "--store", store, "ilo-evaluation-3590.json")
    assert "1 sources: 0 ingested, 1 unchanged" in second.output
    graphs = _count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e a ek:Evaluation } }")
    assert graphs == 1


def test_kg_sources_lists_each_source_with_figures_a_query_confirms(tmp_path, monkeypatch, store):
    monkeypatch.chdir(tmp_path)
    _records(tmp_path)
    built = _kg("build", "--store", store, "records")
    written = int(built.output.split(" quads written")[0].rsplit(" ", 1)[1])
    assert written == _count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    listing = _kg("sources", "--store", store)
    assert listing.exit_code == 0 and listing.output.rstrip().endswith("3 sources")
    statements = _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{IRIS.source_graph('records/ilo-evaluation-3433.json').value}> {{ ?s ?p ?o }} }}")
    recorded = _count(store, f"""SELECT ?n WHERE {{ GRAPH <{IRIS.metadata_graph.value}> {{
        <{IRIS.source_graph('records/ilo-evaluation-3433.json').value}> void:triples ?n ; ek:recordCount 1 }} }}""")
    assert recorded == statements
    assert f" {statements:,} " in listing.output and "records/" in listing.output


def test_a_build_not_on_a_terminal_prints_a_line_per_phase(tmp_path, store):
    records = _records(tmp_path)
    command = [sys.executable, "-m", "kg.cli", "build", "--store", store, str(records)]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    phases = [line.split(" (")[0] for line in first.stderr.splitlines()]
    assert phases == ["build: 3 sources", "build: reading and mapping", "build: loading",
        "build: indexing texts and compacting"]
    (records / "ilo-evaluation-3590.json").write_text((CORPUS / "ilo-evaluation-3725.json").read_text("utf-8"))
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    again = [line.split(" (")[0] for line in second.stderr.splitlines()]
    assert again[:4] == [
        "build: 3 sources", "build: reading and mapping", "build: copying the live store", "build: loading"]
    # a third of the sources is new: compacted alongside the index, or after it when the share of new
    # table files, read while RocksDB's own compactions rewrite them, reached a tenth only then
    assert again[4:] in (["build: indexing texts and compacting"], ["build: indexing texts", "build: compacting"])
    assert "1 ingested, 2 unchanged" in second.stdout
