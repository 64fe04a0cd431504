"""`kg build` of the i-eval export: its source graph, provenance, unchanged skip and bad rows."""

from __future__ import annotations

import hashlib
import io
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kg.cli import main
from kg.query import run_query
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
