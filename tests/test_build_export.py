"""`kg build` of the i-eval export: its source graph, provenance, unchanged skip and bad rows."""

from __future__ import annotations

import hashlib
import io
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import kg.build
from kg.build import _Writer
from kg.cli import main
from kg.dump import DATA_DUMPS, write_dumps
from kg.iris import Iris
from kg.mapping import Mapper
from kg.query import run_query
from kg.sources import find_sources
from kg.store import StoreDirectory
from tests.conftest import REAL_EXPORT

GRAPH = "https://w3id.org/evalkg/id/source/export/ieval-export.xlsx"


def _kg(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def store(tmp_path) -> str:
    """The test's store, by an absolute path: RocksDB knows lock files by their path, and a
    relative one would be the same in every test."""
    return str(tmp_path / "store")


def _count(store, query: str) -> int:
    rows = run_query(StoreDirectory(store).open_read_only(), query)
    return int(next(iter(rows))[0].value)


def test_the_export_is_one_source_graph_with_provenance_and_is_skipped_when_unchanged(tmp_path, monkeypatch, store):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export").mkdir()
    shutil.copy(REAL_EXPORT, tmp_path / "export" / "ieval-export.xlsx")
    first = _kg("build", "--store", store, "export")
    assert first.exit_code == 0, first.output
    assert ("1 sources: 1 ingested, 0 unchanged, 0 failed; 390 records, 198 recommendations, 250 lessons learned, "
            "135 good practices;") in first.output
    assert _count(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?e a ek:Evaluation }} }}") == 247
    digest = hashlib.sha256(REAL_EXPORT.read_bytes()).hexdigest()
    assert _count(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <https://w3id.org/evalkg/id/graph/metadata> {{
        <{GRAPH}> ek:sha256 "{digest}" ; prov:generatedAtTime ?t }} }}""") == 1
    again = _kg("build", "--store", store, "export")
    assert "1 sources: 0 ingested, 1 unchanged, 0 failed" in again.output and "store unchanged" in again.output


def test_a_broken_row_is_reported_with_sheet_and_row_and_the_rest_is_ingested(tmp_path, monkeypatch, store):
    monkeypatch.chdir(tmp_path)
    book = load_workbook(REAL_EXPORT)
    lessons = book["Data (4)"]
    lessons.cell(row=10, column=[c.value for c in lessons[1]].index("Lessons learned ID") + 1, value="n/a")
    out = io.BytesIO()
    book.save(out)
    (tmp_path / "broken.xlsx").write_bytes(out.getvalue())
    result = _kg("build", "--store", store, "broken.xlsx")
    assert result.exit_code == 0, result.output
    assert "broken.xlsx [sheet 'Data (4)', row 10]: Lessons learned ID 'n/a' is not a whole number" in result.output
    assert _count(store, "SELECT (COUNT(?l) AS ?n) WHERE { ?l a ek:LessonLearned }") == 249
    assert _count(store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a ek:Recommendation }") == 198


def test_the_workbook_mapped_here_with_its_texts_analysed_by_workers_is_the_one_mapped_in_one_process(
    tmp_path, builder_factory, monkeypatch
):
    """One workbook is one source: with workers, this process maps its records in order while the
    workers analyse their texts, and a thread loads its quads while the rest is mapped. The store,
    its metadata and the report are those of one process."""
    shutil.copy(REAL_EXPORT, tmp_path / "ieval-export.xlsx")
    (source,) = find_sources([str(tmp_path / "ieval-export.xlsx")])[0]
    monkeypatch.setattr(kg.build, "BULK_BYTES", 1 << 20)  # the sample's ~4 MB of N-Quads: loads behind
    analysed_ahead: list[bool] = []
    mapping = Mapper.map

    def recording(mapper, record, graph, described=None, analysis=None):
        analysed_ahead.append(analysis is not None and record.eval_title in analysis.languages)
        return mapping(mapper, record, graph, described, analysis)

    monkeypatch.setattr(Mapper, "map", recording)
    loads_behind = _count_loads_behind(monkeypatch)
    outcomes = []
    for workers in (1, 2):
        analysed_ahead.clear()
        outcomes.append(_built(tmp_path / f"store-{workers}", builder_factory, source, workers))
        assert len(analysed_ahead) == 390 and set(analysed_ahead) == {workers > 1}
        assert (len(loads_behind) > 2) == (workers > 1)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == {"recordCount": "390", "triples": "17280", "errorCount": "0",
                              "sha256": hashlib.sha256(REAL_EXPORT.read_bytes()).hexdigest()}


def test_a_changed_workbook_replaces_its_graph_before_any_of_its_quads_are_loaded(tmp_path, builder_factory, monkeypatch):
    """A workbook whose graph the store holds is loaded only once mapped, after its old graph is
    dropped: the store is that of a fresh build, not a mix of the two versions."""
    book = load_workbook(REAL_EXPORT)
    book["Data (2)"].cell(row=2, column=[c.value for c in book["Data (2)"][1]].index("Evaluation title") + 1,
                          value="A title the new version no longer has")
    book.save(tmp_path / "ieval-export.xlsx")
    (source,) = find_sources([str(tmp_path / "ieval-export.xlsx")])[0]
    store = tmp_path / "store"
    _built(store, builder_factory, source, 2)
    shutil.copy(REAL_EXPORT, tmp_path / "ieval-export.xlsx")
    monkeypatch.setattr(kg.build, "BULK_BYTES", 1 << 20)
    loads_behind = _count_loads_behind(monkeypatch)
    rebuilt = _built(store, builder_factory, source, 2)
    assert loads_behind == []
    assert rebuilt[1:] == _built(tmp_path / "fresh", builder_factory, source, 1)[1:]  # metadata, dumps


def _count_loads_behind(monkeypatch) -> list[object]:
    """The loads `_Writer.load_behind` starts, as they start."""
    started: list[object] = []
    load_behind = _Writer.load_behind

    def counting(writer, graph):
        load_behind(writer, graph)
        if writer._loading is not None and writer._loading not in started:
            started.append(writer._loading)

    monkeypatch.setattr(_Writer, "load_behind", counting)
    return started


def _built(path, builder_factory, source, workers: int) -> tuple[object, dict[str, str], dict[str, str]]:
    """Build `source` into the store at `path`: the report's figures, the source's metadata, and the
    checksums of the canonical dumps (blank nodes relabelled, ingest times left out)."""
    store = StoreDirectory(path)
    builder = builder_factory(path)
    builder.workers = workers
    report = builder.build([source])
    files = write_dumps(store.live_generation(), path.parent / f"dumps-{path.name}", Iris())
    return ((report.records, report.recommendations, report.lessons, report.good_practices, report.quads_written,
             report.errors, report.warnings, report.unknown_keys),
            _metadata_of(store, f"https://w3id.org/evalkg/id/source/{source.key}"),
            {f.name: f.sha256 for f in files if f.name in DATA_DUMPS})


def _metadata_of(store: StoreDirectory, graph: str) -> dict[str, str]:
    """A source's record count, statements, errors and hash, as the metadata graph states them."""
    rows = run_query(store.open_read_only(), f"""SELECT ?p ?o WHERE {{ GRAPH <https://w3id.org/evalkg/id/graph/metadata> {{
        <{graph}> ?p ?o FILTER(?p IN (ek:recordCount, void:triples, ek:errorCount, ek:sha256)) }} }}""")
    return {row["p"].value.rsplit("#", 1)[-1]: row["o"].value for row in rows}
