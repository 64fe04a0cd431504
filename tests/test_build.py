"""Building stores: merging, idempotence, atomic replacement, bad input, and killed builds."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from kg.build import DefaultCopies, _Writer
from kg.dump import DATA_DUMPS, write_dumps
from kg.iris import Iris
from kg.query import run_query
from kg.sources import find_sources
from kg.store import OPTIMIZE_SHARE, StoreDirectory, uncompacted_share
from tests.conftest import CORPUS, DATA


def _record(eval_number: int, rec_id: int, title: str = "1. Strengthen coordination with UNHCR and IOM.") -> dict:
    return {
        "eval_number": eval_number,
        "eval_title": f"Final evaluation of project {eval_number}",
        "location": [{"country": "Peru", "region": "Americas"}],
        "recommendations": [{"url": f"https://webapps.ilo.org/ievaldiscovery/recommendations/{rec_id}",
                             "title": title, "project_symbols": "PER/20/01/CAN", "date": "2023-01-02"}],
    }


def _write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _quads(store: StoreDirectory) -> set[str]:
    return {str(q) for q in store.open_read_only()}


def _select(store: StoreDirectory, query: str) -> list[tuple[str, ...]]:
    results = run_query(store.open_read_only(), query)
    return sorted(tuple(s[v].value for v in results.variables) for s in results)


def test_sample_build_merges_one_evaluation_seen_on_two_pages(sample_store):
    rows = _select(sample_store, "SELECT ?r WHERE { <https://w3id.org/evalkg/id/evaluation/3471> ek:hasRecommendation ?r }")
    assert rows == [("https://w3id.org/evalkg/id/recommendation/16089",), ("https://w3id.org/evalkg/id/recommendation/16090",)]


def test_each_source_has_its_graph_and_provenance(sample_store):
    rows = _select(sample_store, """SELECT ?key ?sha WHERE { GRAPH <https://w3id.org/evalkg/id/graph/metadata> {
        ?g a ek:SourceDocument ; dcterms:source ?key ; ek:sha256 ?sha ; prov:generatedAtTime ?t } }""")
    keys = [key for key, _ in rows]
    assert "corpus/ilo-recommendation-16089.txt" in keys and len(keys) == 17  # 16 files and the reference data
    seed = dict(rows)["corpus/ilo-recommendation-16089.txt"]
    assert seed == hashlib.sha256((CORPUS / "ilo-recommendation-16089.txt").read_bytes()).hexdigest()


def test_rebuilding_unchanged_sources_is_a_no_op(tmp_path, builder_factory):
    folder = tmp_path / "in"
    _write(folder, "a.json", _record(1, 11))
    _write(folder, "b.json", _record(2, 22))
    store = StoreDirectory(tmp_path / "store")
    first = builder_factory(store.path).build(find_sources([str(folder)])[0])
    before = _quads(store)
    generation = store.current_generation()
    second = builder_factory(store.path).build(find_sources([str(folder)])[0])
    assert (first.ingested, second.ingested, second.unchanged) == (2, 0, 2)
    assert second.store_changed is False and store.current_generation() == generation
    assert _quads(store) == before


def test_a_changed_source_replaces_its_graph(tmp_path, builder_factory):
    folder = tmp_path / "in"
    _write(folder, "a.json", _record(1, 11, "1. Work with UNHCR."))
    _write(folder, "b.json", _record(2, 22))
    store = StoreDirectory(tmp_path / "store")
    builder_factory(store.path).build(find_sources([str(folder)])[0])
    _write(folder, "a.json", _record(1, 11, "1. Work with UNICEF."))
    report = builder_factory(store.path).build(find_sources([str(folder)])[0])
    assert (report.ingested, report.unchanged) == (1, 1)
    rows = _select(store, "SELECT ?o WHERE { <https://w3id.org/evalkg/id/recommendation/11> ek:mentions ?o }")
    assert rows == [("https://w3id.org/evalkg/id/organization/unicef",)]
    texts = _select(store, "SELECT ?t WHERE { ?r ek:text ?t }")
    assert texts == [("1. Strengthen coordination with UNHCR and IOM.",), ("1. Work with UNICEF.",)]


def test_small_changes_keep_the_store_files_until_a_tenth_is_new(tmp_path, builder_factory):
    """A full compaction rewrites every table file: it runs only once much of the store is new."""
    folder = tmp_path / "in"
    for number in range(1, 101):
        _write(folder, f"r{number}.json", _record(number, number * 11))
    store = StoreDirectory(tmp_path / "store")

    def rebuild() -> float:
        builder_factory(store.path).build(find_sources([str(folder)])[0])
        return uncompacted_share(store.live_generation())

    assert rebuild() == 0.0  # compacted after the first load

    shares = []
    for number in range(1, 11):  # one source changed per build
        _write(folder, f"r{number}.json", _record(number, number * 11, "1. Work with UNICEF."))
        shares.append(share := rebuild())
        if share == 0.0:
            break
    assert 0 < shares[0] < OPTIMIZE_SHARE  # one source of 100 changed: its files are added, nothing rewritten
    assert shares[-1] == 0.0  # the new files added up, build after build, to a tenth of the store: compacted

    for number in range(1, 101):
        _write(folder, f"r{number}.json", _record(number, number * 11, "1. Work with ILO constituents."))
    assert rebuild() == 0.0
    assert len(_select(store, "SELECT ?r WHERE { ?r ek:text ?t FILTER(CONTAINS(?t, 'ILO constituents')) }")) == 100


def _open_table_files(store: Path) -> int:
    """The table files of the store at `store` this process has open (not those of stores other tests keep open)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            count += target.endswith(".sst") and target.startswith(f"{store}/")
        except OSError:  # closed meanwhile
            pass
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
@pytest.mark.parametrize("open_tables", [None, 48])
def test_a_writer_keeps_at_most_its_open_tables(tmp_path, open_tables):
    """Each bulk load adds table files; RocksDB keeps them open, and their indexes in memory."""
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    files_open_before = len(os.listdir("/proc/self/fd"))
    most_open = 0
    with StoreDirectory(tmp_path / "store").new_generation(open_tables) as store:
        hard = limits[1]  # lowered only while opening, then the soft limit raised to the hard one
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (limits[0] if hard == resource.RLIM_INFINITY else hard, hard)
        # enough loads for more table files than the bound, however many files the session has open
        # (stores that earlier tests keep open hold theirs: 191 at this point of a whole run)
        tables, graph = 0, 0
        while tables <= 48 + files_open_before + 20:
            store.bulk_load("".join(
                f'<http://x/s{graph}-{n}> <http://x/p{n % 7}> "{graph} {n}" <http://x/g{graph}> .\n' for n in range(200)
            ).encode(), format=RdfFormat.N_QUADS)
            most_open = max(most_open, _open_table_files(tmp_path / "store"))
            tables = len(list((tmp_path / "store").glob("*/*.sst")))
            graph += 1
            assert graph < 1000, "bulk loads stopped adding table files"
    del store
    assert tables > 48 + files_open_before
    if open_tables is None:  # Oxigraph's own bound: the process's file limit, here far above
        assert most_open > 48 + files_open_before
    else:  # room is left for the files the process had open already
        assert most_open <= open_tables + files_open_before


def test_a_writer_raises_the_soft_open_file_limit_to_the_hard_one(tmp_path):
    """Compactions and bulk loads open table files beyond the table cache: a low soft limit
    (1,024 is common) would fail a big build with "Too many open files"."""
    script = """
import resource, sys
from kg.store import StoreDirectory
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(256, hard), hard))
with StoreDirectory(sys.argv[1]).new_generation(48):
    print(resource.getrlimit(resource.RLIMIT_NOFILE) == (hard, hard))
"""
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "store")], capture_output=True, text=True)
    assert done.stdout.split() == ["True"], done.stderr
    assert StoreDirectory(tmp_path / "store").current_generation() is not None


def test_default_graph_copies_are_written_once_while_remembered():
    peru = b"<http://x/PER> <http://x/label> \"Peru\"@en"
    first = b"<http://x/e1> <http://x/covers> <http://x/PER> <http://x/g1> .\n" + peru + b" <http://x/g1> .\n"
    second = b"<http://x/e2> <http://x/covers> <http://x/PER> <http://x/g2> .\n" + peru + b" <http://x/g2> .\n"
    copies = DefaultCopies(remembered=3)
    assert copies.with_copies(first, b" <http://x/g1> .\n") == (
        first + b"<http://x/e1> <http://x/covers> <http://x/PER> .\n" + peru + b" .\n")
    assert copies.with_copies(second, b" <http://x/g2> .\n") == (  # Peru's label: copied already
        second + b"<http://x/e2> <http://x/covers> <http://x/PER> .\n")
    third = b"<http://x/e3> <http://x/covers> <http://x/PER> <http://x/g3> .\n" + peru + b" <http://x/g3> .\n"
    assert copies.with_copies(third, b" <http://x/g3> .\n") == (  # a fourth copy: the memory is cleared
        third + b"<http://x/e3> <http://x/covers> <http://x/PER> .\n")
    assert copies.with_copies(first, b" <http://x/g1> .\n") == (  # forgotten, so copied again
        first + b"<http://x/e1> <http://x/covers> <http://x/PER> .\n" + peru + b" .\n")


def test_a_dropped_source_loses_its_triples_only(tmp_path, builder_factory):
    folder = tmp_path / "in"
    _write(folder, "a.json", _record(1, 11))
    _write(folder, "b.json", _record(2, 22))
    store = StoreDirectory(tmp_path / "store")
    builder = builder_factory(store.path)
    sources = find_sources([str(folder)])[0]
    builder.build(sources)
    first = next(iter(sources))
    assert builder.drop([first.key, "no/such/key"]) == [first.key]
    assert _select(store, "SELECT ?e WHERE { ?e a ek:Evaluation }") == [("https://w3id.org/evalkg/id/evaluation/2",)]
    # Peru is still covered by the remaining source, and described by the reference graph whatever is dropped
    assert _select(store, "SELECT ?c WHERE { ?e ek:coversCountry ?c }") == [("https://w3id.org/evalkg/id/country/PER",)]
    assert _select(store, "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/evalkg/id/country/PER> rdfs:label ?l }"
                          " FILTER(lang(?l) = 'es') }") == [("Perú",)]


def test_bad_inputs_are_reported_by_file_and_the_rest_is_ingested(tmp_path, builder_factory):
    folder = tmp_path / "bad"
    shutil.copytree(DATA / "bad", folder)
    (folder / "README.md").unlink()
    with open(folder / "huge.json", "wb") as f:
        f.write(b'{"eval_number": 1, "eval_title": "' + b"x" * (50 * 1024 * 1024) + b'"}')
    store = StoreDirectory(tmp_path / "store")
    report = builder_factory(store.path).build(find_sources([str(folder)])[0])
    by_file = {Path(e.split(":", 1)[0]).name: e for e in report.errors}
    assert set(by_file) == {"empty.txt", "binary.json", "truncated.json", "no-record.html", "no-eval-number.json", "huge.json"}
    assert "file is empty" in by_file["empty.txt"]
    assert "binary content" in by_file["binary.json"]
    assert "invalid JSON" in by_file["truncated.json"]
    assert "no record found" in by_file["no-record.html"]
    assert "no eval_number" in by_file["no-eval-number.json"]
    assert "over the 20 MB limit" in by_file["huge.json"]
    assert (report.ingested, report.failed) == (2, 6)
    rows = _select(store, "SELECT ?n WHERE { ?e ek:evaluationNumber ?n }")
    assert rows == [("9001",), ("9002",)]
    title = _select(store, "SELECT ?t WHERE { <https://w3id.org/evalkg/id/evaluation/9002> dcterms:title ?t }")
    assert title == [("Évaluation finale du projet « Sécurité sociale pour les travailleurs agricoles » au Bénin et au Togo",)]


def test_fields_of_the_wrong_type_are_errors_of_the_build_and_the_source_is_read_again(tmp_path, builder_factory):
    folder = tmp_path / "in"
    _write(folder, "typed.json", {**_record(1, 11), "eval_title": {"en": "x"}, "location": 4})
    report = builder_factory(tmp_path / "store").build(find_sources([str(folder)])[0])
    assert report.ingested == 1 and report.records == 1
    assert [e.split(": ", 1)[1] for e in report.errors] == [
        "field eval_title is an object; expected text", "field location is a number; expected a list of objects"]
    again = builder_factory(tmp_path / "store").build(find_sources([str(folder)])[0])
    assert again.unchanged == 0 and len(again.errors) == 2  # a source with errors is never skipped as unchanged


def test_a_build_that_fails_midway_leaves_the_store_as_it_was(tmp_path, builder_factory, monkeypatch):
    folder = tmp_path / "in"
    _write(folder, "a.json", _record(1, 11))
    store = StoreDirectory(tmp_path / "store")
    builder = builder_factory(store.path)
    builder.build(find_sources([str(folder)])[0])
    before, generation = _quads(store), store.current_generation()
    _write(folder, "b.json", _record(2, 22))
    _write(folder, "c.json", _record(3, 33))
    calls = []

    def failing_map(record, graph, described=None, analysis=None, original=builder.mapper.map):
        calls.append(record)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return original(record, graph, described, analysis)

    monkeypatch.setattr(builder.mapper, "map", failing_map)
    with pytest.raises(RuntimeError):
        builder.build(find_sources([str(folder)])[0])
    assert store.current_generation() == generation and _quads(store) == before
    assert not list(store.path.glob("*.staging"))


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_previous_store_intact(tmp_path):
    folder = tmp_path / "in"
    _write(folder, "first.json", _record(1, 11))
    store_path = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "build", "--store", str(store_path)]
    subprocess.run([*command, str(folder)], check=True, capture_output=True)
    store = StoreDirectory(store_path)
    before, generation = _quads(store), store.current_generation()
    for n in range(2, 1500):
        _write(folder, f"r{n:05d}.json", _record(n, n * 10))
    # SIGKILL leaves the build's spool folder behind: keep it inside tmp_path, not in /tmp
    spool_parent = tmp_path / "tmp"
    spool_parent.mkdir()
    process = subprocess.Popen([*command, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, "TMPDIR": str(spool_parent)})
    deadline = time.monotonic() + 60
    while not list(store_path.glob("*.staging")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    time.sleep(0.5)
    assert process.poll() is None, "the build finished before it could be killed; make the corpus bigger"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert [p.name.startswith("evalkg-build-") for p in spool_parent.iterdir()] == [True]
    assert store.current_generation() == generation
    assert _quads(store) == before
    completed = subprocess.run([*command, str(folder)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert len(_select(store, "SELECT ?e WHERE { ?e a ek:Evaluation }")) == 1499
    assert not list(store_path.glob("*.staging"))


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_worker_processes_end_when_the_build_is_killed(tmp_path):
    folder = tmp_path / "in"
    for n in range(1, 1500):
        _write(folder, f"r{n:05d}.json", _record(n, n * 10))
    spool_parent = tmp_path / "tmp"
    spool_parent.mkdir()
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", "--workers", "2", "--store",
                              str(tmp_path / "store"), str(folder)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(spool_parent)})
    deadline = time.monotonic() + 60
    while len(workers := _children(build.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2 and build.poll() is None, "the build ended before its workers were seen"
    os.kill(build.pid, signal.SIGKILL)  # the build alone, not its process group
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = [pid for pid in workers if _alive(pid)]
    for pid in orphans:  # not to leave them running if the test fails
        os.kill(pid, signal.SIGKILL)
    assert orphans == []


def test_worker_processes_end_before_the_last_load_and_the_compaction(tmp_path, builder_factory, monkeypatch):
    folder = tmp_path / "in"
    for number in range(1, 4):
        _write(folder, f"r{number}.json", _record(number, number * 11))
    builder = builder_factory(tmp_path / "store")
    builder.workers = 2
    workers_alive = {"while loading": [], "at the last load": []}
    for method, moment in (("add_file", "while loading"), ("flush", "at the last load")):
        original = getattr(_Writer, method)

        def counting(writer, *args, original=original, moment=moment):
            workers_alive[moment].append(len(multiprocessing.active_children()))
            return original(writer, *args)

        monkeypatch.setattr(_Writer, method, counting)
    report = builder.build(find_sources([str(folder)])[0])
    assert report.ingested == 3
    assert workers_alive["while loading"] and all(n == 2 for n in workers_alive["while loading"])
    assert workers_alive["at the last load"] == [0]


def test_worker_processes_give_the_same_store_as_one_process(tmp_path, builder_factory):
    folder = tmp_path / "in"
    for number in range(1, 6):
        _write(folder, f"r{number}.json", _record(number, number * 11))
    checksums = []
    for workers in (1, 3):
        store = StoreDirectory(tmp_path / f"store-{workers}")
        builder = builder_factory(store.path)
        builder.workers = workers
        report = builder.build(find_sources([str(folder)])[0])
        assert (report.ingested, report.records, report.errors) == (5, 5, [])
        # the dumps are canonical (blank nodes relabelled, ingest times left out)
        files = write_dumps(store.live_generation(), tmp_path / f"dumps-{workers}", Iris())
        checksums.append({f.name: f.sha256 for f in files if f.name in DATA_DUMPS})
    assert checksums[0] == checksums[1]
